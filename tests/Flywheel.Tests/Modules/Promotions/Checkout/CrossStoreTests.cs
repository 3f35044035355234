using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.Checkout;

/// <summary>
/// 跨店满减 through HTTP: created by /api/v1/promotions, quoted by /api/v1/checkout/quote with each store's share of the
/// discount in the answer. Amounts in yuan; each expected value is worked out in its comment.
/// </summary>
public sealed class CrossStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AStoreCouponThatLeaves20_CapsTheCrossStoreShareAt20_AndTheCustomerPaysNothing()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var crossStore = await CrossStoreAsync(app, threshold: 400, off: 50);
        var template = (await app.CreateTemplateAsync(new
        {
            name = "Store A 400−380", @class = "order", reward = new { kind = "threshold_off", threshold = 400, off = 380 },
            scope = new { stores = new[] { "A" } }, combines_with = new[] { "order" },
        })).GetProperty("id").GetString()!;
        var code = await app.ClaimAsync(template, "c1");

        // Both thresholds are reached on the base of 400. The store coupon is allocated first and takes 380, leaving 20
        // on the line; the cross-store 50 can take only those 20. 400 − 380 − 20 = 0.
        var quote = await app.QuoteAsync(new
        {
            customer = new { id = "c1" },
            lines = new[] { new { id = "bag", sku = "bag", store = "A", quantity = 1, unit_price = 400m } },
            coupon_codes = new[] { code },
        });
        Assert.Equal(0m, quote.GetProperty("payable").GetDecimal());
        var outcome = CheckoutTests.Outcome(quote, crossStore);
        Assert.True(outcome.GetProperty("applied").GetBoolean());
        Assert.Equal(20m, outcome.GetProperty("amount").GetDecimal());
        Assert.Equal([("A", 20m)], Shares(outcome));
        Assert.Equal([("A", 380m)], Shares(CheckoutTests.Outcome(quote, "coupon:" + code)));
    }

    [Fact]
    public async Task ThreeStores_ShareTheDiscountProRata_AndACappedStoresRemainderGoesToTheOthers()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var crossStore = await CrossStoreAsync(app, threshold: 500, off: 60);
        var storeA = await CheckoutTests.ActiveAsync(app, new
        {
            name = "Store A 100−95", @class = "order", reward = new { kind = "threshold_off", threshold = 100, off = 95 },
            scope = new { stores = new[] { "A" } }, combines_with = new[] { "order" },
        });

        // A 100, B 200, C 300: 600 together reaches 满500. Pro rata the 60 would be A 60×100/600 = 10, B 20, C 30; but A
        // has only 100 − 95 = 5 left after its own discount, so A takes 5 and the other 5 goes to B and C by 200 : 300,
        // B 5×200/500 = 2 and C 3: B 22, C 33. Payable: A 0, B 200 − 22 = 178, C 300 − 33 = 267; 445 = 600 − 95 − 60.
        var quote = await app.QuoteAsync(new
        {
            customer = new { id = "c1" },
            lines = new[]
            {
                new { id = "a", sku = "tea", store = "A", quantity = 1, unit_price = 100m },
                new { id = "b", sku = "cup", store = "B", quantity = 2, unit_price = 100m },
                new { id = "c", sku = "pot", store = "C", quantity = 1, unit_price = 300m },
            },
        });
        Assert.Equal(445m, quote.GetProperty("payable").GetDecimal());
        Assert.Equal([("A", 5m), ("B", 22m), ("C", 33m)], Shares(CheckoutTests.Outcome(quote, crossStore)));
        Assert.Equal([("A", 95m)], Shares(CheckoutTests.Outcome(quote, storeA)));
        var payables = quote.GetProperty("lines").EnumerateArray()
            .Select(l => (l.GetProperty("store").GetString(), l.GetProperty("payable").GetDecimal())).ToArray();
        Assert.Equal([("A", 0m), ("B", 178m), ("C", 267m)], payables);
    }

    [Fact]
    public async Task CrossStore_OnAnItemPromotion_IsRefusedNamingTheField()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var response = await app.PostJsonAsync("/api/v1/promotions", new
        {
            name = "wrong", @class = "item", reward = new { kind = "percent_off", percent = 10 }, cross_store = true,
        });
        Assert.Equal(["cross_store"], await PromotionsClient.ErrorFieldsAsync(response));
        Assert.Equal(0, (await app.GetJsonAsync("/api/v1/promotions")).GetArrayLength());
    }

    private static async Task<string> CrossStoreAsync(Flywheel.Tests.Support.FlywheelApp app, int threshold, int off)
    {
        var id = await CheckoutTests.ActiveAsync(app, new
        {
            name = $"跨店 {threshold}−{off}", @class = "order", reward = new { kind = "threshold_off", threshold, off },
            cross_store = true, combines_with = new[] { "order" },
        });
        var stored = await app.GetJsonAsync($"/api/v1/promotions/{id}");
        Assert.True(stored.GetProperty("cross_store").GetBoolean());
        return id;
    }

    private static (string?, decimal)[] Shares(JsonElement outcome) =>
        outcome.GetProperty("store_shares").EnumerateArray()
            .Select(s => (s.GetProperty("store").GetString(), s.GetProperty("amount").GetDecimal())).ToArray();
}
