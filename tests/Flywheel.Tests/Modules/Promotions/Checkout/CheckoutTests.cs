using System.Net;
using System.Text.Json;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.Checkout;

/// <summary>
/// Checkout through HTTP: the quote with its explanation, reserve → commit / release, idempotency, expiry, restarts.
/// Amounts are in yuan; each expected value is worked out in its comment.
/// </summary>
public sealed class CheckoutTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Quote_AppliesWhatTheCartReaches_AndExplainsNearMissesAndRejections()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        var threshold = await ActiveAsync(app, new { name = "满200减20", @class = "order", reward = new { kind = "threshold_off", threshold = 200, off = 20 } });
        var beauty = await ActiveAsync(app, new { name = "Beauty 10%", @class = "item", reward = new { kind = "percent_off", percent = 10 }, scope = new { categories = new[] { "beauty" } } });
        await app.CreatePromotionAsync(new { name = "draft 50%", @class = "item", reward = new { kind = "percent_off", percent = 50 } });

        // ¥188 of tea: 满200 is ¥12 away, nothing applies; the draft is not live, so not considered.
        var near = await app.QuoteAsync(PromotionsClient.Cart("c1", 188));
        Assert.Equal(188m, near.GetProperty("payable").GetDecimal());
        Assert.Equal("threshold_not_reached", Outcome(near, threshold).GetProperty("reason").GetString());
        Assert.Equal("no_eligible_items", Outcome(near, beauty).GetProperty("reason").GetString());
        Assert.Equal(2, near.GetProperty("promotions").GetArrayLength());
        var miss = Assert.Single(near.GetProperty("near_misses").EnumerateArray());
        Assert.Equal(12m, miss.GetProperty("missing_amount").GetDecimal());
        Assert.Equal("再买¥12享满200减20", miss.GetProperty("text_zh").GetString());

        // ¥250: 250 − 20 = 230.
        var reached = await app.QuoteAsync(PromotionsClient.Cart("c1", 125, 2));
        Assert.Equal(230m, reached.GetProperty("payable").GetDecimal());
        Assert.True(Outcome(reached, threshold).GetProperty("applied").GetBoolean());
        Assert.Equal(20m, Outcome(reached, threshold).GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task AReplacedDefinition_IsPricedByTheNextQuote_AndAPausedPromotionIsNotPricedAtAll()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        var id = await ActiveAsync(app, new { name = "¥20 off", @class = "order", reward = new { kind = "amount_off", amount = 20 } });
        // 100 − 20 = 80.
        Assert.Equal(80m, (await app.QuoteAsync(PromotionsClient.Cart("c1", 100))).GetProperty("payable").GetDecimal());
        // Replaced at the same instant (the clock does not move): 100 − 35 = 65.
        var replaced = await app.Client.PutAsJsonAsync($"/api/v1/promotions/{id}", new { name = "¥35 off", status = "active", @class = "order", reward = new { kind = "amount_off", amount = 35 } });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var quote = await app.QuoteAsync(PromotionsClient.Cart("c1", 100));
        Assert.Equal(65m, quote.GetProperty("payable").GetDecimal());
        Assert.Equal("¥35 off", Outcome(quote, id).GetProperty("name").GetString());
        await app.PostJsonAsync($"/api/v1/promotions/{id}/status", new { status = "paused" });
        Assert.Equal(100m, (await app.QuoteAsync(PromotionsClient.Cart("c1", 100))).GetProperty("payable").GetDecimal());
    }

    [Fact]
    public async Task ABudget_IsSpentByCommits_AndAPromotionWithTooLittleLeftIsRejectedWithThatReason()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        var id = await ActiveAsync(app, new { name = "¥20 off", @class = "order", reward = new { kind = "amount_off", amount = 20 }, budget = 30 });

        // First order: 100 − 20 = 80; the budget has 30 − 20 = 10 left once it is committed.
        var reserved = await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c1", 100), "order-1"));
        Assert.Equal(80m, reserved.GetProperty("quote").GetProperty("payable").GetDecimal());
        var promotion = await app.GetJsonAsync($"/api/v1/promotions/{id}");
        Assert.Equal(20m, promotion.GetProperty("budget_held").GetDecimal());
        Assert.Equal(0m, promotion.GetProperty("budget_spent").GetDecimal());
        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(reserved.GetProperty("id").GetString()!)).StatusCode);
        promotion = await app.GetJsonAsync($"/api/v1/promotions/{id}");
        Assert.Equal(0m, promotion.GetProperty("budget_held").GetDecimal());
        Assert.Equal(20m, promotion.GetProperty("budget_spent").GetDecimal());
        Assert.Equal(1, promotion.GetProperty("uses").GetInt32());

        // Second: 20 off would need 20 of the 10 left, so it does not apply: the customer pays 100.
        var second = await app.QuoteAsync(PromotionsClient.Cart("c2", 100));
        Assert.Equal(100m, second.GetProperty("payable").GetDecimal());
        Assert.Equal("budget_insufficient", Outcome(second, id).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task UsageLimits_PerCustomerAndInTotal_AreRejectedWithLimitReached()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        var id = await ActiveAsync(app, new { name = "¥5 off", @class = "order", reward = new { kind = "amount_off", amount = 5 }, per_customer_limit = 1, total_limit = 2 });
        await CommitNewAsync(app, PromotionsClient.Cart("c1", 50), "a");
        // c1 has used it once, the most one customer may.
        Assert.Equal("limit_reached", Outcome(await app.QuoteAsync(PromotionsClient.Cart("c1", 50)), id).GetProperty("reason").GetString());
        await CommitNewAsync(app, PromotionsClient.Cart("c2", 50), "b");
        // Two uses in total: none left for c3 either.
        var third = await app.QuoteAsync(PromotionsClient.Cart("c3", 50));
        Assert.Equal("limit_reached", Outcome(third, id).GetProperty("reason").GetString());
        Assert.Equal(50m, third.GetProperty("payable").GetDecimal());
    }

    [Fact]
    public async Task Release_ReturnsEverything_AndCommitAfterReleaseIsRefused_AndBothAreIdempotent()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        var id = await ActiveAsync(app, new
        {
            name = "¥20 off", @class = "order", reward = new { kind = "amount_off", amount = 20 }, budget = 100, total_limit = 1, combines_with = new[] { "order" },
        });
        var template = (await app.CreateTemplateAsync(new { name = "¥10 coupon", @class = "order", reward = new { kind = "amount_off", amount = 10 }, combines_with = new[] { "order" } }))
            .GetProperty("id").GetString()!;
        var code = await app.ClaimAsync(template, "c1");

        // 100 − 20 − 10 = 70, holding the use, 20 of the budget and the coupon.
        var reservation = await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c1", 100, 1, code), "r1"));
        var rid = reservation.GetProperty("id").GetString()!;
        Assert.Equal(70m, reservation.GetProperty("quote").GetProperty("payable").GetDecimal());
        Assert.Equal(["coupon:" + code, $"promotion:{id}:budget", $"promotion:{id}:uses"],
            reservation.GetProperty("holds").EnumerateArray().Select(h => h.GetProperty("resource").GetString()));
        // While held, another customer's quote finds the total limit taken.
        Assert.Equal("limit_reached", Outcome(await app.QuoteAsync(PromotionsClient.Cart("c2", 100)), id).GetProperty("reason").GetString());

        Assert.Equal(HttpStatusCode.OK, (await app.ReleaseAsync(rid)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ReleaseAsync(rid)).StatusCode);
        var promotion = await app.GetJsonAsync($"/api/v1/promotions/{id}");
        Assert.Equal(0m, promotion.GetProperty("budget_held").GetDecimal());
        Assert.Equal(0, promotion.GetProperty("uses_held").GetInt32());
        var coupon = Assert.Single((await app.GetJsonAsync($"/api/v1/coupons?customer_id=c1")).GetProperty("items").EnumerateArray());
        Assert.Equal("claimed", coupon.GetProperty("state").GetString());

        var commit = await app.CommitAsync(rid);
        Assert.Equal(HttpStatusCode.Conflict, commit.StatusCode);
        Assert.Contains("released", await commit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Everything is back: the same cart reserves again in full.
        var again = await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c1", 100, 1, code), "r2"));
        Assert.Equal(70m, again.GetProperty("quote").GetProperty("payable").GetDecimal());
    }

    [Fact]
    public async Task TheSameIdempotencyKey_GivesTheSameReservation_AndHoldsOnce_AndCommitTwiceSpendsOnce()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        var id = await ActiveAsync(app, new { name = "¥20 off", @class = "order", reward = new { kind = "amount_off", amount = 20 }, budget = 100 });
        var keys = Enumerable.Repeat("same-key", 8).ToArray();
        var answers = await Task.WhenAll(keys.Select(k => app.ReserveAsync(PromotionsClient.Cart("c1", 100), k)));
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        var ids = (await Task.WhenAll(answers.Select(FlywheelApp.ReadJsonAsync))).Select(a => a.GetProperty("id").GetString()).Distinct().ToArray();
        var rid = Assert.Single(ids)!;
        Assert.Equal(20m, (await app.GetJsonAsync($"/api/v1/promotions/{id}")).GetProperty("budget_held").GetDecimal());

        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(rid)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(rid)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.ReleaseAsync(rid)).StatusCode);
        var promotion = await app.GetJsonAsync($"/api/v1/promotions/{id}");
        Assert.Equal(20m, promotion.GetProperty("budget_spent").GetDecimal());
        Assert.Equal(1, promotion.GetProperty("uses").GetInt32());
    }

    [Fact]
    public async Task AnExpiredReservation_IsReturnedByTheSweep_AndCannotBeCommitted()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var id = await ActiveAsync(app, new { name = "¥20 off", @class = "order", reward = new { kind = "amount_off", amount = 20 }, budget = 100 });
        var swept = await PromotionsClient.CreatedAsync(await app.ReserveAsync(new { customer = new { id = "c1" }, lines = Line(100), ttl_seconds = 60 }, "s"));
        var lapsed = await PromotionsClient.CreatedAsync(await app.ReserveAsync(new { customer = new { id = "c2" }, lines = Line(100), ttl_seconds = 60 }, "t"));
        Assert.Equal(Start.AddSeconds(60), swept.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal(40m, (await app.GetJsonAsync($"/api/v1/promotions/{id}")).GetProperty("budget_held").GetDecimal());

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await app.Services.GetRequiredService<HoldSweeper>().SweepAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(1));
        // Both are due. A commit and sweeps (this one, and the background one the clock may have woken) race for the
        // second: whichever comes first, it lapses once and the commit is refused.
        var commit = app.CommitAsync(lapsed.GetProperty("id").GetString()!);
        await app.Services.GetRequiredService<HoldSweeper>().SweepAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.Conflict, (await commit).StatusCode);
        Assert.Equal(0m, (await app.GetJsonAsync($"/api/v1/promotions/{id}")).GetProperty("budget_held").GetDecimal());
        var late = await app.CommitAsync(swept.GetProperty("id").GetString()!);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("expired", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("expired", (await app.GetJsonAsync($"/api/v1/checkout/{swept.GetProperty("id").GetString()}")).GetProperty("state").GetString());
        Assert.Equal(0m, (await app.GetJsonAsync($"/api/v1/promotions/{id}")).GetProperty("budget_spent").GetDecimal());
    }

    [Fact]
    public async Task Holds_SurviveARestart_AndAreCommittedByTheNewHost()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        var id = await ActiveAsync(app, new { name = "¥20 off", @class = "order", reward = new { kind = "amount_off", amount = 20 }, budget = 30 });
        var rid = (await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c1", 100), "before-restart"))).GetProperty("id").GetString()!;
        await app.RestartAsync();
        // Still held: 30 − 20 = 10 left, too little for another 20 off.
        Assert.Equal(20m, (await app.GetJsonAsync($"/api/v1/promotions/{id}")).GetProperty("budget_held").GetDecimal());
        Assert.Equal("budget_insufficient", Outcome(await app.QuoteAsync(PromotionsClient.Cart("c2", 100)), id).GetProperty("reason").GetString());
        // The key still finds it.
        var replay = await app.ReserveAsync(PromotionsClient.Cart("c1", 100), "before-restart");
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(rid, (await FlywheelApp.ReadJsonAsync(replay)).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(rid)).StatusCode);
        Assert.Equal(20m, (await app.GetJsonAsync($"/api/v1/promotions/{id}")).GetProperty("budget_spent").GetDecimal());
    }

    [Fact]
    public async Task BadCarts_AreRefusedWith400NamingTheField()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        async Task<string[]> Fields(object cart) => await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/checkout/quote", cart));
        Assert.Equal(["customer"], await Fields(new { lines = Line(10) }));
        Assert.Equal(["lines"], await Fields(new { customer = new { id = "c" } }));
        Assert.Equal(["lines[0].quantity"], await Fields(new { customer = new { id = "c" }, lines = new[] { new { sku = "a", quantity = 0, unit_price = 1 } } }));
        Assert.Equal(["lines[0].unit_price"], await Fields(new { customer = new { id = "c" }, lines = new[] { new { sku = "a", quantity = 1, unit_price = 1.234m } } }));
        Assert.Equal(["lines[1].id"], await Fields(new { customer = new { id = "c" }, lines = new[] { new { id = "x", sku = "a", quantity = 1, unit_price = 1 }, new { id = "x", sku = "b", quantity = 1, unit_price = 1 } } }));
        Assert.Equal(["colour"], await Fields(new { customer = new { id = "c" }, lines = Line(10), colour = "red" }));
        // Reserving needs a key, and a TTL within range.
        var noKey = await app.Client.PostAsJsonAsync("/api/v1/checkout/reserve", PromotionsClient.Cart("c", 10), Flywheel.Platform.Api.ApiJson.Options);
        Assert.Equal(["Idempotency-Key"], await PromotionsClient.ErrorFieldsAsync(noKey));
        Assert.Equal(["ttl_seconds"], await PromotionsClient.ErrorFieldsAsync(await app.ReserveAsync(new { customer = new { id = "c" }, lines = Line(10), ttl_seconds = 5 }, "k")));
        Assert.Equal(HttpStatusCode.NotFound, (await app.CommitAsync("rsv_missing")).StatusCode);
    }

    private static object[] Line(decimal price) => [new { id = "l1", sku = "tea", quantity = 1, unit_price = price }];

    internal static JsonElement Outcome(JsonElement quote, string promotionId) =>
        quote.GetProperty("promotions").EnumerateArray().Single(p => p.GetProperty("promotion_id").GetString() == promotionId);

    internal static async Task<string> ActiveAsync(FlywheelApp app, object body)
    {
        var id = (await app.CreatePromotionAsync(body)).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync($"/api/v1/promotions/{id}/status", new { status = "active" })).StatusCode);
        return id;
    }

    private static async Task CommitNewAsync(FlywheelApp app, object cart, string key)
    {
        var id = (await PromotionsClient.CreatedAsync(await app.ReserveAsync(cart, key))).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(id)).StatusCode);
    }

    internal static Task<FlywheelApp> StartAsync(FakeTimeProvider clock) =>
        FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
}
