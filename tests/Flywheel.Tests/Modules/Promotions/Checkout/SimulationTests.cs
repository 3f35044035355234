using System.Net;
using System.Text.Json;
using Flywheel.Tests.Modules.Segments.Membership;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Promotions.Checkout;

/// <summary>
/// A draft promotion priced over a period's paid orders, through HTTP. The shop (Asia/Shanghai, CNY): TEA sells at 50
/// and costs 30, MUG sells at 20 and costs 10, LOOSE has no cost. The draft is 满200减20 with a budget of 50 and one use
/// per customer; the live promotion is 10% off MUG, applied first, so the threshold counts the mugs at 18.
/// Every figure below is worked out by hand in its comment.
/// </summary>
public sealed class SimulationTests
{
    [Fact]
    public async Task ADraft_IsPricedOverThePeriodsOrders_UsingUpItsBudgetAndLimitsInPaymentOrder()
    {
        await using var app = await ShopAsync();
        var draft = await DraftAsync(app);

        var result = await SimulateAsync(app, draft, new { from = "2026-11-01", to = "2026-11-30" });
        // o0 was paid at 23:30 on 31 October, Shanghai time: outside the period. Priced, in payment order:
        //   o1 c1  4 TEA = 200                 before 200        after 200 − 20 = 180  (applies; budget 50 → 30)
        //   o2 c1  4 TEA + 2 MUG = 240         before 240 − 4 = 236, after 236         (c1's one use is spent: limit_reached)
        //   o3 c2  5 TEA = 250                 before 250        after 230             (applies; budget 30 → 10)
        //   o4 c3  10 MUG = 200                before 200 − 20 = 180, after 180        (180 after the mug discount < 200)
        //   o6 c4  4 TEA + LOOSE 10 = 210      before 210        after 210             (20 > the 10 left: budget_insufficient)
        Assert.Equal(1, result.GetProperty("compared_promotions").GetInt32());
        Assert.Equal(5, result.GetProperty("orders_priced").GetInt32());
        Assert.Equal(2, result.GetProperty("orders_touched").GetInt32());
        Assert.Equal(0.4m, result.GetProperty("touch_rate").GetDecimal());
        Assert.Equal(2, result.GetProperty("customers_touched").GetInt32());
        Assert.Equal(40m, result.GetProperty("promotion_amount").GetDecimal());
        Assert.Equal(40m, result.GetProperty("cost").GetDecimal());
        // 200 + 236 + 250 + 180 + 210 = 1,076; with the draft 1,076 − 40 = 1,036.
        Assert.Equal(1076m, result.GetProperty("payable_before").GetDecimal());
        Assert.Equal(1036m, result.GetProperty("payable_after").GetDecimal());

        var budget = result.GetProperty("budget");
        Assert.Equal(50m, budget.GetProperty("budget").GetDecimal());
        Assert.Equal(40m, budget.GetProperty("spent").GetDecimal());
        Assert.Equal(1, budget.GetProperty("orders_refused_for_budget").GetInt32());
        Assert.Equal(1, budget.GetProperty("orders_refused_for_limit").GetInt32());
        var why = result.GetProperty("not_applied_because");
        Assert.Equal(1, why.GetProperty("limit_reached").GetInt32());
        Assert.Equal(1, why.GetProperty("threshold_not_reached").GetInt32());
        Assert.Equal(1, why.GetProperty("budget_insufficient").GetInt32());

        // Margin over o1–o4 (o6 has a line without cost). Goods cost: 4×30 + (4×30 + 2×10) + 5×30 + 10×10 = 510.
        // Revenue before 200 + 236 + 250 + 180 = 866, after 180 + 236 + 230 + 180 = 826.
        // Gross profit 866 − 510 = 356 → 826 − 510 = 316; rates 356 / 866 = 0.41109 → 0.4111, 316 / 826 = 0.38257 → 0.3826.
        var margin = result.GetProperty("margin");
        Assert.Equal(4, margin.GetProperty("orders_with_cost").GetInt32());
        Assert.Equal(510m, margin.GetProperty("goods_cost").GetDecimal());
        Assert.Equal(866m, margin.GetProperty("revenue_before").GetDecimal());
        Assert.Equal(826m, margin.GetProperty("revenue_after").GetDecimal());
        Assert.Equal(-40m, margin.GetProperty("gross_profit_change").GetDecimal());
        Assert.Equal(0.4111m, margin.GetProperty("margin_rate_before").GetDecimal());
        Assert.Equal(0.3826m, margin.GetProperty("margin_rate_after").GetDecimal());

        // big-spenders (total_spend > 250): c1 (200 + 240 = 440) and c2 (20 + 250 = 270); c3 (200) and c4 (210) are in none.
        var segments = result.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal(2, segments.Length);
        Assert.Equal("big-spenders", segments[0].GetProperty("segment").GetString());
        Assert.Equal([3, 2, 2], new[] { "orders", "orders_touched", "customers_touched" }.Select(p => segments[0].GetProperty(p).GetInt32()));
        Assert.Equal(40m, segments[0].GetProperty("cost").GetDecimal());
        Assert.Equal(20m, segments[0].GetProperty("cost_per_order").GetDecimal());
        Assert.Equal(JsonValueKind.Null, segments[1].GetProperty("segment").ValueKind);
        Assert.Equal([2, 0], new[] { "orders", "orders_touched" }.Select(p => segments[1].GetProperty(p).GetInt32()));

        // First paid orders: o1 (c1), o4 (c3), o6 (c4) — not o3, since c2 first paid in October; o1 touched.
        var buyers = result.GetProperty("buyers").EnumerateArray().ToDictionary(b => b.GetProperty("buyers").GetString()!);
        Assert.Equal([3, 1], new[] { "orders", "orders_touched" }.Select(p => buyers["first_order"].GetProperty(p).GetInt32()));
        Assert.Equal([2, 1], new[] { "orders", "orders_touched" }.Select(p => buyers["repeat_order"].GetProperty(p).GetInt32()));

        Assert.Equal(["o1", "o3"], result.GetProperty("largest_costs").EnumerateArray().Select(o => o.GetProperty("order_id").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ComparedWithNothing_TheMugsCountInFull_SoTheBudgetRunsOutEarlier()
    {
        await using var app = await ShopAsync();
        var draft = await DraftAsync(app);

        var result = await SimulateAsync(app, draft, new { from = "2026-11-01", to = "2026-11-30", compare_with = "nothing" });
        // Without the mug discount: o1 200 → 180 (budget 30 left), o2 240 (limit), o3 250 → 230 (10 left),
        // o4 200 reaches 满200 now but needs 20 of the 10 left, o6 likewise: two budget refusals.
        // Before 200 + 240 + 250 + 200 + 210 = 1,100; after 1,100 − 40 = 1,060.
        Assert.Equal(0, result.GetProperty("compared_promotions").GetInt32());
        Assert.Equal(2, result.GetProperty("orders_touched").GetInt32());
        Assert.Equal(1100m, result.GetProperty("payable_before").GetDecimal());
        Assert.Equal(1060m, result.GetProperty("payable_after").GetDecimal());
        Assert.Equal(2, result.GetProperty("not_applied_because").GetProperty("budget_insufficient").GetInt32());
        Assert.Equal(1, result.GetProperty("not_applied_because").GetProperty("limit_reached").GetInt32());

        // A period of the last day of October only: o0 alone (c2's first order, 1 MUG = 20, below the threshold).
        var october = await SimulateAsync(app, draft, new { from = "2026-10-31", to = "2026-10-31" });
        Assert.Equal(1, october.GetProperty("orders_priced").GetInt32());
        Assert.Equal(0, october.GetProperty("orders_touched").GetInt32());
        Assert.Equal(0m, october.GetProperty("touch_rate").GetDecimal());
        Assert.Equal(1, october.GetProperty("buyers").EnumerateArray().Single(b => b.GetProperty("buyers").GetString() == "first_order").GetProperty("orders").GetInt32());
    }

    [Fact]
    public async Task BadSimulationRequests_NameTheField_AndAnUnknownPromotionIs404()
    {
        await using var app = await FlywheelApp.StartAsync();
        var draft = await DraftAsync(app);
        async Task<string[]> Fields(object body) =>
            await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync($"/api/v1/promotions/{draft}/simulation", body));

        Assert.Equal(["from", "to"], await Fields(new { }));
        Assert.Equal(["from"], await Fields(new { from = "2026-12-01", to = "2026-11-01" }));
        Assert.Equal(["from"], await Fields(new { from = "1 Nov", to = "2026-11-01" }));
        Assert.Equal(["to"], await Fields(new { from = "2025-01-01", to = "2026-11-01" }));
        Assert.Equal(["compare_with"], await Fields(new { from = "2026-11-01", to = "2026-11-30", compare_with = "yesterday" }));
        Assert.Equal(["period"], await Fields(new { from = "2026-11-01", to = "2026-11-30", period = "month" }));
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostJsonAsync("/api/v1/promotions/promo_none/simulation", new { from = "2026-11-01", to = "2026-11-30" })).StatusCode);
    }

    [Fact]
    public async Task APromotionForOneLifecycleStage_ReachesTheOrdersWhoseBuyerWasInItWhenPlacingThem()
    {
        await using var app = await ShopAsync();
        var forNew = (await app.CreatePromotionAsync(new
        {
            name = "¥5 off, new customers", @class = "order", reward = new { kind = "amount_off", amount = 5 }, audience = new { lifecycles = new[] { "new" } },
        })).GetProperty("id").GetString()!;

        var result = await SimulateAsync(app, forNew, new { from = "2026-11-01", to = "2026-11-30", compare_with = "nothing" });
        // The stage each buyer had when placing the order, from their payments before it (one payment within 30 days: new):
        //   o1 c1: none yet → prospect;  o2 c1: o1 the day before → new;  o3 c2: o0 four days before → new;
        //   o4 c3 and o6 c4: none → prospect.  So o2 and o3 get ¥5 each, and three orders are the wrong stage.
        Assert.Equal(2, result.GetProperty("orders_touched").GetInt32());
        Assert.Equal(10m, result.GetProperty("promotion_amount").GetDecimal());
        Assert.Equal(3, result.GetProperty("not_applied_because").GetProperty("lifecycle_not_matched").GetInt32());
    }

    private static async Task<FlywheelApp> ShopAsync()
    {
        var app = await FlywheelApp.StartAsync();
        foreach (var (sku, price, cost) in new[] { ("TEA", 50m, (decimal?)30m), ("MUG", 20m, 10m), ("LOOSE", 10m, null) })
        {
            (await app.PostJsonAsync("/api/v1/products", new { sku, name = sku, price, cost })).EnsureSuccessStatusCode();
        }
        await OrderAsync(app, "o0", "c2", "2026-10-31T23:30:00+08:00", ("MUG", 1, 20m));
        await OrderAsync(app, "o1", "c1", "2026-11-02T10:00:00+08:00", ("TEA", 4, 50m));
        await OrderAsync(app, "o2", "c1", "2026-11-03T10:00:00+08:00", ("TEA", 4, 50m), ("MUG", 2, 20m));
        await OrderAsync(app, "o3", "c2", "2026-11-04T10:00:00+08:00", ("TEA", 5, 50m));
        await OrderAsync(app, "o4", "c3", "2026-11-05T10:00:00+08:00", ("MUG", 10, 20m));
        await OrderAsync(app, "o6", "c4", "2026-11-06T10:00:00+08:00", ("TEA", 4, 50m), ("LOOSE", 1, 10m));
        await SegmentShop.CreateAsync(app, "big-spenders", "total_spend > 250");
        // Orders reach the stored traits through the order events' projection, which may still be running.
        await SegmentShop.WaitUntilAsync(async () => (await SegmentShop.MembersAsync(app, "big-spenders")).Length == 2);
        await CheckoutTests.ActiveAsync(app, new
        {
            name = "Mugs 10% off", @class = "item", reward = new { kind = "percent_off", percent = 10 }, scope = new { skus = new[] { "MUG" } },
            combines_with = new[] { "order" },
        });
        return app;
    }

    private static async Task<string> DraftAsync(FlywheelApp app) =>
        (await app.CreatePromotionAsync(new
        {
            name = "满200减20", @class = "order", reward = new { kind = "threshold_off", threshold = 200, off = 20 }, budget = 50, per_customer_limit = 1,
            combines_with = new[] { "item" }, starts_at = "2027-01-01T00:00:00+08:00",
        })).GetProperty("id").GetString()!;

    internal static async Task OrderAsync(FlywheelApp app, string id, string customer, string at, params (string Sku, int Quantity, decimal Price)[] lines)
    {
        var total = lines.Sum(l => l.Quantity * l.Price);
        var response = await app.PostJsonAsync("/api/v1/orders", new
        {
            order_id = id, customer_id = customer, status = "paid", currency = "CNY",
            lines = lines.Select(l => new { sku = l.Sku, name = l.Sku, quantity = l.Quantity, price = l.Price }).ToArray(),
            discount = 0m, shipping = 0m, total, placed_at = at, paid_at = at,
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> SimulateAsync(FlywheelApp app, string id, object body)
    {
        var response = await app.PostJsonAsync($"/api/v1/promotions/{id}/simulation", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await FlywheelApp.ReadJsonAsync(response);
    }
}
