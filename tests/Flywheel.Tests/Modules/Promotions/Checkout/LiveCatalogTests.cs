using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.Checkout;

/// <summary>
/// Checkout keeps each workspace's live promotions in memory between quotes. Every test here first quotes (so that the
/// list is loaded and kept), then changes something, then quotes again: a kept list that missed the change would
/// price the old terms. The ledger's facts (budget left, uses) are never kept: a spend refuses the very next quote.
/// Amounts in yuan, worked out in the comments.
/// </summary>
public sealed class LiveCatalogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EveryChangeToThePromotions_IsPricedByTheNextQuote()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var twenty = await CheckoutTests.ActiveAsync(app, new { name = "¥20 off", @class = "order", reward = new { kind = "amount_off", amount = 20 } });
        async Task<decimal> PayableAsync() => (await app.QuoteAsync(PromotionsClient.Cart("c1", 100))).GetProperty("payable").GetDecimal();
        Assert.Equal(80m, await PayableAsync()); // 100 − 20.

        // Created after the list was loaded; neither combines with the other, so the larger wins: 100 − 50 = 50.
        var fifty = await CheckoutTests.ActiveAsync(app, new { name = "¥50 off", @class = "order", reward = new { kind = "amount_off", amount = 50 } });
        Assert.Equal(50m, await PayableAsync());

        // Paused: only the ¥20 is left, 100 − 20 = 80; active again: 50.
        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync($"/api/v1/promotions/{fifty}/status", new { status = "paused" })).StatusCode);
        Assert.Equal(80m, await PayableAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync($"/api/v1/promotions/{fifty}/status", new { status = "active" })).StatusCode);
        Assert.Equal(50m, await PayableAsync());

        // The ¥20 replaced by ¥60 off: it now wins, 100 − 60 = 40.
        var replaced = await app.Client.PutAsJsonAsync($"/api/v1/promotions/{twenty}", new { name = "¥60 off", status = "active", @class = "order", reward = new { kind = "amount_off", amount = 60 } });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var quote = await app.QuoteAsync(PromotionsClient.Cart("c1", 100));
        Assert.Equal(40m, quote.GetProperty("payable").GetDecimal());
        Assert.Equal("¥60 off", CheckoutTests.Outcome(quote, twenty).GetProperty("name").GetString());

        // Replaced again with a total limit of 1, which one committed order uses up: then the ¥50 is best again.
        replaced = await app.Client.PutAsJsonAsync($"/api/v1/promotions/{twenty}", new { name = "¥60 off", status = "active", @class = "order", reward = new { kind = "amount_off", amount = 60 }, total_limit = 1 });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(40m, await PayableAsync());
        var reservation = await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c2", 100), "order-1"));
        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(reservation.GetProperty("id").GetString()!)).StatusCode);
        Assert.Equal(50m, await PayableAsync());

        // Ended: nothing is left but the limited one, whose limit is reached: full price.
        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync($"/api/v1/promotions/{fifty}/status", new { status = "ended" })).StatusCode);
        quote = await app.QuoteAsync(PromotionsClient.Cart("c1", 100));
        Assert.Equal(100m, quote.GetProperty("payable").GetDecimal());
        Assert.Equal("limit_reached", CheckoutTests.Outcome(quote, twenty).GetProperty("reason").GetString());
        Assert.DoesNotContain(quote.GetProperty("promotions").EnumerateArray(), p => p.GetProperty("promotion_id").GetString() == fifty);
    }

    [Fact]
    public async Task ABudgetSpentOrHeld_RefusesTheNextQuoteAtOnce_AndAPerCustomerLimitOnlyThatCustomer()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var id = await CheckoutTests.ActiveAsync(app, new
        {
            name = "¥20 off", @class = "order", reward = new { kind = "amount_off", amount = 20 }, budget = 40, per_customer_limit = 1,
        });
        Assert.Equal(80m, (await app.QuoteAsync(PromotionsClient.Cart("c1", 100))).GetProperty("payable").GetDecimal()); // 100 − 20.

        // c1 orders and pays: 20 of the 40 spent, and c1's one use taken.
        var first = await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c1", 100), "order-1"));
        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(first.GetProperty("id").GetString()!)).StatusCode);
        var again = await app.QuoteAsync(PromotionsClient.Cart("c1", 100));
        Assert.Equal(100m, again.GetProperty("payable").GetDecimal());
        Assert.Equal("limit_reached", CheckoutTests.Outcome(again, id).GetProperty("reason").GetString());
        Assert.Equal(80m, (await app.QuoteAsync(PromotionsClient.Cart("c2", 100))).GetProperty("payable").GetDecimal()); // 40 − 20 = 20 left: enough.

        // c2 reserves without paying yet: the other 20 is held, so c3 gets nothing at once (40 − 20 − 20 = 0 left).
        var second = await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c2", 100), "order-2"));
        var third = await app.QuoteAsync(PromotionsClient.Cart("c3", 100));
        Assert.Equal(100m, third.GetProperty("payable").GetDecimal());
        Assert.Equal("budget_insufficient", CheckoutTests.Outcome(third, id).GetProperty("reason").GetString());

        // Released: the 20 comes back to the budget, and c3's next quote has it.
        Assert.Equal(HttpStatusCode.OK, (await app.ReleaseAsync(second.GetProperty("id").GetString()!)).StatusCode);
        Assert.Equal(80m, (await app.QuoteAsync(PromotionsClient.Cart("c3", 100))).GetProperty("payable").GetDecimal());
    }

    [Fact]
    public async Task ASpentBudget_IsTheReasonGiven_EvenOutOfScope_ButNotWhenTheAudienceRulesThePromotionOutFirst()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        // Two ¥10 off a beauty line, each from a budget of ¥10 (one use spends it): one for everyone, one for gold members.
        var everyone = await CheckoutTests.ActiveAsync(app, new
        {
            name = "Beauty ¥10 off", @class = "item", reward = new { kind = "amount_off", amount = 10 }, scope = new { categories = new[] { "beauty" } }, budget = 10,
        });
        var gold = await CheckoutTests.ActiveAsync(app, new
        {
            name = "Gold beauty ¥10 off", @class = "item", reward = new { kind = "amount_off", amount = 10 }, scope = new { categories = new[] { "beauty" } }, budget = 10,
            audience = new { tiers = new[] { "gold" } },
        });
        object Cart(string customer, string tier, string category) => new
        {
            customer = new { id = customer, tier },
            lines = new[] { new { id = "l1", sku = category + "-1", category, quantity = 1, unit_price = 100 } },
        };
        string Reason(System.Text.Json.JsonElement quote, string id) => CheckoutTests.Outcome(quote, id).GetProperty("reason").GetString()!;

        // A silver member's lipstick: only the one for everyone applies, 100 − 10 = 90, and paying spends its budget.
        var first = await PromotionsClient.CreatedAsync(await app.ReserveAsync(Cart("c1", "silver", "beauty"), "order-1"));
        Assert.Equal(90m, first.GetProperty("quote").GetProperty("payable").GetDecimal());
        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(first.GetProperty("id").GetString()!)).StatusCode);

        // Spent: refused for its budget before its scope is looked at, so a tea cart hears the same.
        var tea = await app.QuoteAsync(Cart("c2", "silver", "food"));
        Assert.Equal("budget_insufficient", Reason(tea, everyone));
        Assert.Equal("tier_not_matched", Reason(tea, gold));
        var goldTea = await app.QuoteAsync(Cart("c3", "gold", "food"));
        Assert.Equal("no_eligible_items", Reason(goldTea, gold)); // Its budget is untouched: only the scope refuses it.

        // A gold member's lipstick: the gold one applies (100 − 10 = 90) and paying spends its budget as well.
        var second = await PromotionsClient.CreatedAsync(await app.ReserveAsync(Cart("c4", "gold", "beauty"), "order-2"));
        Assert.Equal(90m, second.GetProperty("quote").GetProperty("payable").GetDecimal());
        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(second.GetProperty("id").GetString()!)).StatusCode);

        // Now both are spent; a silver member still hears the tier first, a gold member the budget.
        Assert.Equal("tier_not_matched", Reason(await app.QuoteAsync(Cart("c5", "silver", "beauty")), gold));
        var goldAgain = await app.QuoteAsync(Cart("c6", "gold", "food"));
        Assert.Equal("budget_insufficient", Reason(goldAgain, gold));
        Assert.Equal(100m, (await app.QuoteAsync(Cart("c7", "gold", "beauty"))).GetProperty("payable").GetDecimal());
    }
}
