using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Flywheel.Modules.Promotions.Budgets;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.Checkout;

/// <summary>
/// Campaign budgets through HTTP: several promotions draw on one amount, reserved at checkout and spent on payment;
/// the burn per local day. Amounts in yuan, each expected value worked out in its comment.
/// </summary>
public sealed class CampaignBudgetTests
{
    // 10:00 in Shanghai, the workspace's time zone.
    private static readonly DateTimeOffset Start = new(2026, 11, 9, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TwoPromotionsShareOneBudget_SpentByCommits_AndStopWhenTooLittleIsLeft_UntilItIsRaised()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var budget = await CreateBudgetAsync(app, new { name = "Double 11", amount = 100 });
        var a = await CheckoutTests.ActiveAsync(app, Off("¥30 off", 30, budget));
        var b = await CheckoutTests.ActiveAsync(app, Off("¥50 off", 50, budget));

        // 30 + 50 = 80 of the 100: both apply, 200 − 80 = 120.
        var reserved = await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c1", 200), "order-1"));
        Assert.Equal(120m, reserved.GetProperty("quote").GetProperty("payable").GetDecimal());
        var view = await app.GetJsonAsync($"/api/v1/campaign-budgets/{budget}");
        Assert.Equal((0m, 80m, 20m), (view.GetProperty("spent").GetDecimal(), view.GetProperty("held").GetDecimal(), view.GetProperty("left").GetDecimal()));

        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(reserved.GetProperty("id").GetString()!)).StatusCode);
        view = await app.GetJsonAsync($"/api/v1/campaign-budgets/{budget}");
        Assert.Equal((80m, 0m, 20m), (view.GetProperty("spent").GetDecimal(), view.GetProperty("held").GetDecimal(), view.GetProperty("left").GetDecimal()));
        // 80 of 100 is 80%, the default warning level.
        Assert.Equal(80, view.GetProperty("used_percent").GetInt32());
        Assert.True(view.GetProperty("nearly_spent").GetBoolean());
        Assert.Equal(["¥30 off:30", "¥50 off:50"], view.GetProperty("promotions").EnumerateArray()
            .Select(p => $"{p.GetProperty("name").GetString()}:{p.GetProperty("spent").GetDecimal():0}"));

        // 20 left covers neither 30 nor 50: the next customer pays 200, and both say why.
        var second = await app.QuoteAsync(PromotionsClient.Cart("c2", 200));
        Assert.Equal(200m, second.GetProperty("payable").GetDecimal());
        Assert.Equal("campaign_budget_insufficient", CheckoutTests.Outcome(second, a).GetProperty("reason").GetString());
        Assert.Equal("campaign_budget_insufficient", CheckoutTests.Outcome(second, b).GetProperty("reason").GetString());

        // Raised to 150: 70 left. Both would need 80; ¥50 alone beats ¥30 alone: 200 − 50 = 150.
        var raised = await app.Client.PutAsJsonAsync($"/api/v1/campaign-budgets/{budget}", new { name = "Double 11", amount = 150 });
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        var third = await app.QuoteAsync(PromotionsClient.Cart("c3", 200));
        Assert.Equal(150m, third.GetProperty("payable").GetDecimal());
        Assert.Equal("campaign_budget_insufficient", CheckoutTests.Outcome(third, a).GetProperty("reason").GetString());

        // The first checkout replays as it was priced, with the 100 then left of the campaign: both applied, 120.
        var replay = await app.GetJsonAsync($"/api/v1/checkout/{reserved.GetProperty("id").GetString()}/replay");
        Assert.True(replay.GetProperty("identical").GetBoolean());
        Assert.Equal(120m, replay.GetProperty("quote").GetProperty("payable").GetDecimal());

        // Drawn on, it cannot be deleted; its changes are audited.
        Assert.Equal(HttpStatusCode.Conflict, (await app.Client.DeleteAsync($"/api/v1/campaign-budgets/{budget}")).StatusCode);
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        Assert.Equal(["created", "updated"], await db.AuditLog.Where(e => e.EntityType == "campaign_budget" && e.EntityId == budget)
            .OrderBy(e => e.At).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task BadBudgets_AndPromotionsNamingNoBudget_AreRefusedNamingTheField_AndNothingIsStored()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        Assert.Equal(["amount"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/campaign-budgets", new { name = "x" })));
        Assert.Equal(["amount"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/campaign-budgets", new { name = "x", amount = -1 })));
        Assert.Equal(["amount"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/campaign-budgets", new { name = "x", amount = 1.005 })));
        Assert.Equal(["name", "warn_at_percent"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/campaign-budgets", new { amount = 5, warn_at_percent = 0 })));
        Assert.Equal(["colour"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/campaign-budgets", new { name = "x", amount = 5, colour = "red" })));
        var budget = await CreateBudgetAsync(app, new { name = "Double 11", amount = 100 });
        Assert.Equal(["name"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/campaign-budgets", new { name = "Double 11", amount = 5 })));
        Assert.Equal(["campaign_budget"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/promotions", Off("¥30 off", 30, "cbudget_none"))));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/campaign-budgets/cbudget_none/burn")).StatusCode);

        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        Assert.Equal([budget], await db.CampaignBudgets.Select(x => x.Id).ToListAsync());
        Assert.Empty(await db.Promotions.ToListAsync());

        // Nothing drew on it: it can be deleted.
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/api/v1/campaign-budgets/{budget}")).StatusCode);
        Assert.Empty(await db.CampaignBudgets.ToListAsync());
    }

    [Fact]
    public async Task TheBurn_CountsEachPaymentOnItsLocalDay_WithTheRunningTotal_AndThePace()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await CheckoutTests.StartAsync(clock);
        var budget = await CreateBudgetAsync(app, new { name = "Double 11", amount = 150 });
        var promotion = await CheckoutTests.ActiveAsync(app, Off("¥30 off", 30, budget));

        // 9 Nov 10:00 Shanghai: ¥30.
        await PayAsync(app, "c1", "o1");
        // 10 Nov 15:30 UTC is 23:30 in Shanghai, still the 10th there: ¥30.
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 10, 15, 30, 0, TimeSpan.Zero));
        await PayAsync(app, "c2", "o2");
        // 10 Nov 16:30 UTC is 00:30 on the 11th in Shanghai: ¥30, then ¥30 more; one more held, not yet paid.
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 10, 16, 30, 0, TimeSpan.Zero));
        await PayAsync(app, "c3", "o3");
        await PayAsync(app, "c4", "o4");
        await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c5", 100), "o5"));

        var burn = await app.GetJsonAsync($"/api/v1/campaign-budgets/{budget}/burn");
        Assert.Equal(
            ["2026-11-09 30 30", "2026-11-10 30 60", "2026-11-11 60 120"],
            burn.GetProperty("days").EnumerateArray().Select(d => $"{d.GetProperty("date").GetString()} {d.GetProperty("spent").GetDecimal():0} {d.GetProperty("cumulative").GetDecimal():0}"));
        // 120 spent, 30 held: 150 − 150 = 0 left. The pace: 120 over the last 7 days / 7 = 17.142857… → 17.14 a day.
        Assert.Equal((120m, 30m, 0m), (burn.GetProperty("spent").GetDecimal(), burn.GetProperty("held").GetDecimal(), burn.GetProperty("left").GetDecimal()));
        Assert.Equal(17.14m, burn.GetProperty("average_daily_spend_7d").GetDecimal());
        Assert.Equal(0, burn.GetProperty("days_left_at_pace").GetInt32());

        // The promotion's own spend burns the same way, without an amount (it has no budget of its own).
        var own = await app.GetJsonAsync($"/api/v1/promotions/{promotion}/burn");
        Assert.Equal(120m, own.GetProperty("spent").GetDecimal());
        Assert.Equal(JsonValueKind.Null, own.GetProperty("amount").ValueKind);
        Assert.Equal(JsonValueKind.Null, own.GetProperty("days_left_at_pace").ValueKind);

        // 400 days on, the series is the last 366 days: every payment is before it, carried in as the running total.
        clock.SetUtcNow(Start.AddDays(400));
        var later = (await app.GetJsonAsync($"/api/v1/campaign-budgets/{budget}/burn")).GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(BudgetBurn.MaxDays, later.Count);
        Assert.All(later, d => Assert.Equal((0m, 120m), (d.GetProperty("spent").GetDecimal(), d.GetProperty("cumulative").GetDecimal())));
    }

    [Fact]
    public async Task ParallelCheckouts_NeverTakeMoreThanTheBudget_AndTakeAllOfItWhileItCovers()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var budget = await CreateBudgetAsync(app, new { name = "Double 11", amount = 100 });
        await CheckoutTests.ActiveAsync(app, Off("¥30 off", 30, budget));
        await CheckoutTests.ActiveAsync(app, new
        {
            name = "¥20 off tea", @class = "item", reward = new { kind = "amount_off", amount = 20 }, combines_with = new[] { "item", "order" }, campaign_budget = budget,
        });

        // A cart takes 20 + 30 = 50 while 50 is left, else 30 while 30 is, else 20 while 20 is: 100 covers two in full.
        // Whoever quoted before the budget ran low and reserves after is refused (409) and holds nothing.
        var outcomes = new ConcurrentBag<HttpStatusCode>();
        await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            var response = await app.ReserveAsync(PromotionsClient.Cart($"c{i}", 100), $"k{i}");
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var reservation = await FlywheelApp.ReadJsonAsync(response);
                Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(reservation.GetProperty("id").GetString()!)).StatusCode);
            }
            outcomes.Add(response.StatusCode);
        }));

        var view = await app.GetJsonAsync($"/api/v1/campaign-budgets/{budget}");
        Assert.Equal(0m, view.GetProperty("held").GetDecimal());
        var spent = view.GetProperty("spent").GetDecimal();
        Assert.InRange(spent, 0m, 100m);
        Assert.Equal(0m, spent % 10m);
        Assert.Equal(spent, view.GetProperty("promotions").EnumerateArray().Sum(p => p.GetProperty("spent").GetDecimal()));
        Assert.All(outcomes, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.Conflict, s.ToString()));

        // Once the rush is over, what is left is used as long as it covers a discount: keep checking out one at a time.
        for (var i = 0; i < 10; i++)
        {
            var response = await app.ReserveAsync(PromotionsClient.Cart($"late{i}", 100), $"late{i}");
            var reservation = await PromotionsClient.CreatedAsync(response);
            Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(reservation.GetProperty("id").GetString()!)).StatusCode);
        }
        view = await app.GetJsonAsync($"/api/v1/campaign-budgets/{budget}");
        // Whatever the rush left (a multiple of 10), later checkouts one at a time take 50, 30 or 20 while one fits, so
        // they stop with 0 or 10 left: never more than a discount's worth unused while buyers remain.
        Assert.Contains(view.GetProperty("left").GetDecimal(), new[] { 0m, 10m });
    }

    private static object Off(string name, decimal amount, string budget) => new
    {
        name, @class = "order", reward = new { kind = "amount_off", amount }, combines_with = new[] { "item", "order" }, campaign_budget = budget,
    };

    private static async Task<string> CreateBudgetAsync(FlywheelApp app, object body) =>
        (await PromotionsClient.CreatedAsync(await app.PostJsonAsync("/api/v1/campaign-budgets", body))).GetProperty("id").GetString()!;

    private static async Task PayAsync(FlywheelApp app, string customer, string key)
    {
        var reservation = await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart(customer, 100), key));
        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(reservation.GetProperty("id").GetString()!)).StatusCode);
    }
}
