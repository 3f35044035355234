using System.Net;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Flywheel.Tests.Modules.Promotions.Checkout.CheckoutTests;

namespace Flywheel.Tests.Modules.Promotions.Checkout;

/// <summary>
/// Replaying a past checkout's pricing after everything it depended on changed, and an idempotency key reused for a
/// different cart. Amounts in yuan; each expected value is worked out in its comment.
/// </summary>
public sealed class ReplayTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AReplay_GivesThePriceOfThen_AfterTheDefinitionTheBudgetTheCouponAndTheClockAllChanged()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var sale = await ActiveAsync(app, new
        {
            name = "Double 11: 10% off", @class = "item", reward = new { kind = "percent_off", percent = 10 },
            ends_at = Start.AddDays(1), combines_with = new[] { "order" },
        });
        var off = await ActiveAsync(app, new
        {
            name = "¥20 off", @class = "order", reward = new { kind = "amount_off", amount = 20 }, budget = 30, combines_with = new[] { "item", "order" },
        });
        var template = (await app.CreateTemplateAsync(new { name = "¥5 coupon", @class = "order", reward = new { kind = "amount_off", amount = 5 }, combines_with = new[] { "item", "order" } }))
            .GetProperty("id").GetString()!;
        var code = await app.ClaimAsync(template, "c1");

        // 2 × 125 = 250; 10% off the items → 225; then ¥20 and the ¥5 coupon on that base → 200.
        var cart = PromotionsClient.Cart("c1", 125, 2, code);
        var reserved = await PromotionsClient.CreatedAsync(await app.ReserveAsync(cart, "k1"));
        var reservationId = reserved.GetProperty("id").GetString()!;
        Assert.Equal(200m, reserved.GetProperty("quote").GetProperty("payable").GetDecimal());
        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync($"/api/v1/checkout/{reservationId}/commit", new { order_id = "ord-1" })).StatusCode);

        // Since then: ¥20 off became ¥35 off (version 2), its budget has 30 − 20 = 10 left, the coupon is redeemed and
        // the sale ended. A fresh quote of the same cart: no sale, ¥35 > ¥10 left, coupon used → pays 250.
        var replaced = await app.Client.PutAsJsonAsync($"/api/v1/promotions/{off}", new
        {
            name = "¥35 off", status = "active", @class = "order", reward = new { kind = "amount_off", amount = 35 }, budget = 30, combines_with = new[] { "item", "order" },
        });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        clock.Advance(TimeSpan.FromDays(2));
        var now = await app.QuoteAsync(cart);
        Assert.Equal(250m, now.GetProperty("payable").GetDecimal());
        Assert.Equal("budget_insufficient", Outcome(now, off).GetProperty("reason").GetString());

        foreach (var path in new[] { "/api/v1/checkout/replay?order_id=ord-1", $"/api/v1/checkout/{reservationId}/replay" })
        {
            var replay = await app.GetJsonAsync(path);
            Assert.Equal(reservationId, replay.GetProperty("reservation_id").GetString());
            Assert.Equal("ord-1", replay.GetProperty("order_id").GetString());
            Assert.Equal(Start, replay.GetProperty("priced_at").GetDateTimeOffset());
            Assert.True(replay.GetProperty("identical").GetBoolean());
            var quote = replay.GetProperty("quote");
            Assert.Equal(200m, quote.GetProperty("payable").GetDecimal());
            Assert.Equal(25m, Outcome(quote, sale).GetProperty("amount").GetDecimal());
            Assert.Equal("¥20 off", Outcome(quote, off).GetProperty("name").GetString());
            Assert.Equal(20m, Outcome(quote, off).GetProperty("amount").GetDecimal());
            Assert.Equal(5m, Outcome(quote, "coupon:" + code).GetProperty("amount").GetDecimal());
        }
    }

    [Fact]
    public async Task AReplay_OfWhatCannotBeReplayed_SaysWhy()
    {
        await using var app = await StartAsync(new FakeTimeProvider(Start));
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.GetAsync("/api/v1/checkout/replay")).StatusCode);
        var unknown = await app.Client.GetAsync("/api/v1/checkout/replay?order_id=never-paid");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("checkout API", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/checkout/rsv_none/replay")).StatusCode);

        // A reservation released rather than paid is not an order's checkout, but its pricing can still be replayed by id.
        var reserved = await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c1", 100), "k1"));
        var id = reserved.GetProperty("id").GetString()!;
        await app.ReleaseAsync(id);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/checkout/replay?order_id=" + id)).StatusCode);
        Assert.True((await app.GetJsonAsync($"/api/v1/checkout/{id}/replay")).GetProperty("identical").GetBoolean());
    }

    [Fact]
    public async Task AnIdempotencyKey_ReusedForADifferentCart_Is422AndHoldsNothing_WhileARetryOfTheSameCartFindsItsReservation()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var id = await ActiveAsync(app, new { name = "¥20 off", @class = "order", reward = new { kind = "amount_off", amount = 20 }, budget = 100 });
        var first = await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c1", 100), "k1"));

        // The retry arrives later (the server's time differs) with the same cart: the same reservation, 200.
        clock.Advance(TimeSpan.FromSeconds(5));
        var retry = await app.ReserveAsync(PromotionsClient.Cart("c1", 100), "k1");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(first.GetProperty("id").GetString(), (await FlywheelApp.ReadJsonAsync(retry)).GetProperty("id").GetString());

        foreach (var other in new[] { PromotionsClient.Cart("c1", 100, 2), PromotionsClient.Cart("c2", 100), PromotionsClient.Cart("c1", 100, 1, "SOMECODE") })
        {
            var reused = await app.ReserveAsync(other, "k1");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
            Assert.Contains("'k1'", (await FlywheelApp.ReadJsonAsync(reused)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        // Only the first reservation holds: 20 of the budget, one use.
        var promotion = await app.GetJsonAsync($"/api/v1/promotions/{id}");
        Assert.Equal(20m, promotion.GetProperty("budget_held").GetDecimal());
        Assert.Equal(1, promotion.GetProperty("uses_held").GetInt32());
    }
}
