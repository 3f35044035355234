using System.Net;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Platform;

/// <summary>
/// Two hosts on one PostgreSQL (and one Redis), taking checkouts for the same coupon and the same budget at once, as
/// nodes behind a load balancer do: the hold ledger's conditional updates in the shared store let exactly one checkout
/// redeem the coupon and keep the budget within its limit. Only meaningful on the production stores, hence only here.
/// </summary>
public sealed class TwoNodeCheckoutTests
{
    [Fact]
    public async Task TwoHostsOnOnePostgres_RedeemACouponOnce_AndNeverExceedABudget()
    {
        var settings = await FlywheelApp.OwnStoresAsync();
        settings["FLYWHEEL_PUBLIC_KEY"] = "fw_pk_" + Guid.NewGuid().ToString("N");
        settings["FLYWHEEL_SECRET_KEY"] = "fw_sk_" + Guid.NewGuid().ToString("N");
        await using var a = await FlywheelApp.StartAsync(settings);
        await using var b = await FlywheelApp.StartAsync(settings);

        // ¥7 off from a budget of ¥50 (at most 7 orders: 49; an 8th would need 56), and a ¥10 coupon with one code.
        var promotion = await CheckoutTests.ActiveAsync(a, new
        {
            name = "¥7 off", @class = "order", reward = new { kind = "amount_off", amount = 7 }, budget = 50, combines_with = new[] { "order" },
        });
        var template = (await a.CreateTemplateAsync(new { name = "¥10", @class = "order", reward = new { kind = "amount_off", amount = 10 }, combines_with = new[] { "order" } }))
            .GetProperty("id").GetString()!;
        var code = (await FlywheelApp.ReadJsonAsync(await a.PostJsonAsync($"/api/v1/coupon-templates/{template}/codes", new { count = 1 })))
            .GetProperty("codes")[0].GetString()!;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var node = i % 2 == 0 ? a : b;
            var response = await PromotionsClient.ReserveAsync(node.Client, PromotionsClient.Cart($"c{i}", 100, 1, code), $"two-node-{i}");
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                return (Coupon: false, Promotion: false);
            }
            var reservation = await PromotionsClient.CreatedAsync(response);
            var held = reservation.GetProperty("holds").EnumerateArray().Select(h => h.GetProperty("resource").GetString()).ToList();
            // Commit on the other node: the reservation lives in the shared store, not in the node that made it.
            var other = node == a ? b : a;
            Assert.Equal(HttpStatusCode.OK, (await other.CommitAsync(reservation.GetProperty("id").GetString()!)).StatusCode);
            return (Coupon: held.Contains("coupon:" + code), Promotion: held.Contains($"promotion:{promotion}:budget"));
        }));

        Assert.Equal(1, outcomes.Count(o => o.Coupon));
        var applied = outcomes.Count(o => o.Promotion);
        Assert.InRange(applied, 1, 7);
        var view = await b.GetJsonAsync($"/api/v1/promotions/{promotion}");
        Assert.Equal(7m * applied, view.GetProperty("budget_spent").GetDecimal());
        Assert.Equal(0m, view.GetProperty("budget_held").GetDecimal());
    }

    [Fact]
    public async Task APromotionChangedOnOneHost_IsPricedByTheOthersNextQuote_AndASpendOnOneRefusesOnTheOther()
    {
        var settings = await FlywheelApp.OwnStoresAsync();
        settings["FLYWHEEL_PUBLIC_KEY"] = "fw_pk_" + Guid.NewGuid().ToString("N");
        settings["FLYWHEEL_SECRET_KEY"] = "fw_sk_" + Guid.NewGuid().ToString("N");
        await using var a = await FlywheelApp.StartAsync(settings);
        await using var b = await FlywheelApp.StartAsync(settings);
        async Task<decimal> PayableOnBAsync(string customer) => (await b.QuoteAsync(PromotionsClient.Cart(customer, 100))).GetProperty("payable").GetDecimal();

        // Each change is made on a and quoted on b, which has kept the live promotions since its previous quote.
        var id = await CheckoutTests.ActiveAsync(a, new { name = "¥20 off", @class = "order", reward = new { kind = "amount_off", amount = 20 } });
        Assert.Equal(80m, await PayableOnBAsync("c1")); // 100 − 20.
        var replaced = await a.Client.PutAsJsonAsync($"/api/v1/promotions/{id}", new
        {
            name = "¥35 off", status = "active", @class = "order", reward = new { kind = "amount_off", amount = 35 }, budget = 35,
        });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(65m, await PayableOnBAsync("c1")); // 100 − 35.
        Assert.Equal(HttpStatusCode.OK, (await a.PostJsonAsync($"/api/v1/promotions/{id}/status", new { status = "paused" })).StatusCode);
        Assert.Equal(100m, await PayableOnBAsync("c1"));
        Assert.Equal(HttpStatusCode.OK, (await a.PostJsonAsync($"/api/v1/promotions/{id}/status", new { status = "active" })).StatusCode);
        Assert.Equal(65m, await PayableOnBAsync("c1"));

        // An order paid on a spends the whole budget of 35: b refuses the promotion on its very next quote.
        var reservation = await PromotionsClient.CreatedAsync(await a.ReserveAsync(PromotionsClient.Cart("c2", 100), "paid-on-a"));
        Assert.Equal(HttpStatusCode.OK, (await a.CommitAsync(reservation.GetProperty("id").GetString()!)).StatusCode);
        var quote = await b.QuoteAsync(PromotionsClient.Cart("c3", 100));
        Assert.Equal(100m, quote.GetProperty("payable").GetDecimal());
        Assert.Equal("budget_insufficient", CheckoutTests.Outcome(quote, id).GetProperty("reason").GetString());
    }
}
