using System.Collections.Concurrent;
using System.Net;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.Checkout;

/// <summary>
/// Nothing finite is ever spent twice: one coupon from 50 checkouts at once, and a budget, a total limit and per-customer
/// limits under randomised concurrent reserve / commit / release, checked against what the clients themselves saw.
/// </summary>
public sealed class ConcurrencyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OneCoupon_From50ParallelCheckouts_IsRedeemedExactlyOnce()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var template = (await app.CreateTemplateAsync(new { name = "¥10 off", @class = "order", reward = new { kind = "amount_off", amount = 10 } })).GetProperty("id").GetString()!;
        var code = (await FlywheelApp.ReadJsonAsync(await app.PostJsonAsync($"/api/v1/coupon-templates/{template}/codes", new { count = 1 })))
            .GetProperty("codes")[0].GetString()!;

        // Each checkout is a different customer entering the same (unclaimed) code, then paying at once.
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            var response = await app.ReserveAsync(PromotionsClient.Cart($"c{i}", 100, 1, code), $"checkout-{i}");
            if (response.StatusCode != HttpStatusCode.Created)
            {
                Assert.Equal(HttpStatusCode.Conflict, response.StatusCode); // Lost the race between quote and hold.
                return false;
            }
            var reservation = await FlywheelApp.ReadJsonAsync(response);
            var usedCoupon = reservation.GetProperty("holds").EnumerateArray().Any(h => h.GetProperty("resource").GetString() == "coupon:" + code);
            // A checkout whose quote found the code taken pays full price: 100; the one that holds it pays 100 − 10 = 90.
            Assert.Equal(usedCoupon ? 90m : 100m, reservation.GetProperty("quote").GetProperty("payable").GetDecimal());
            Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(reservation.GetProperty("id").GetString()!)).StatusCode);
            return usedCoupon;
        }));
        Assert.Equal(1, results.Count(used => used));
        var coupon = Assert.Single((await app.GetJsonAsync($"/api/v1/coupons?template_id={template}")).GetProperty("items").EnumerateArray());
        Assert.Equal("redeemed", coupon.GetProperty("state").GetString());
        var templateView = await app.GetJsonAsync($"/api/v1/coupon-templates/{template}");
        Assert.Equal(1, templateView.GetProperty("redeemed").GetInt32());
        Assert.Equal(0, templateView.GetProperty("locked").GetInt32());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ABudgetAndUsageLimits_AreNeverExceeded_UnderRandomConcurrentReserveCommitRelease(int seed)
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        // ¥7 off each order from a budget of ¥50: at most 7 orders (7 × 7 = 49; an 8th would need 56). A total limit of
        // 9 and 2 per customer (5 customers: 10) bind later, so the budget is what stops it; per customer still holds.
        var id = await CheckoutTests.ActiveAsync(app, new
        {
            name = "¥7 off", @class = "order", reward = new { kind = "amount_off", amount = 7 }, budget = 50, total_limit = 9, per_customer_limit = 2,
        });
        var committedWithPromotion = new ConcurrentBag<string>();

        async Task WorkerAsync(int worker)
        {
            var random = new Random(seed * 1000 + worker);
            for (var step = 0; step < 12; step++)
            {
                var customer = $"c{random.Next(5)}";
                var response = await app.ReserveAsync(PromotionsClient.Cart(customer, 30), $"w{worker}-{step}");
                if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    continue;
                }
                var reservation = await PromotionsClient.CreatedAsync(response);
                var rid = reservation.GetProperty("id").GetString()!;
                var applied = reservation.GetProperty("holds").GetArrayLength() > 0;
                // Commit two times in three, else release: what a shop's payments look like when some are abandoned.
                if (random.Next(3) < 2)
                {
                    Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(rid)).StatusCode);
                    if (applied)
                    {
                        committedWithPromotion.Add(customer);
                    }
                }
                else
                {
                    Assert.Equal(HttpStatusCode.OK, (await app.ReleaseAsync(rid)).StatusCode);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 6).Select(WorkerAsync));

        var promotion = await app.GetJsonAsync($"/api/v1/promotions/{id}");
        var commits = committedWithPromotion.Count;
        Assert.InRange(commits, 1, 7);
        // The ledger's figures agree with what the clients were told, unit for unit.
        Assert.Equal(7m * commits, promotion.GetProperty("budget_spent").GetDecimal());
        Assert.Equal(commits, promotion.GetProperty("uses").GetInt32());
        Assert.Equal(0m, promotion.GetProperty("budget_held").GetDecimal());
        Assert.Equal(0, promotion.GetProperty("uses_held").GetInt32());
        Assert.All(committedWithPromotion.GroupBy(c => c), g => Assert.InRange(g.Count(), 1, 2));
    }
}
