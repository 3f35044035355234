using System.Globalization;
using System.Net;
using System.Text.Json;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Segments.Membership;

/// <summary>
/// A small shop whose members of every example condition are known by construction, and intent methods for the
/// segment API. "Now" is 20 Nov 2026 04:00 UTC (12:00 in the workspace zone, Asia/Shanghai); money in CNY.
/// </summary>
internal static class SegmentShop
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 4, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// c1 上海: paid 300 (1 Sep) and 800 (20 Sep): 2 orders, 1,100 spent, last order 61 days ago: dormant.
    /// c2 杭州: paid 200 (10 Nov) and 350 (15 Nov), both category baby: active, 550 in the last 30 days.
    /// c3 北京: viewed a product on 18 Nov, never ordered.
    /// c4 上海: viewed a product on 17 Nov and paid 100 (beauty) on 1 Nov.
    /// c5 杭州: paid 900 (1 May) and 300 (20 May): 1,200 spent, lost, last order before June.
    /// c6 (no city): tagged VIP, one page view.
    /// c7 杭州: one baby order of 120 on 12 Nov (one, not two, in the window).
    /// c8 上海: baby orders of 60 on 1 Aug (111 days ago, outside 90) and 3 Nov.
    /// </summary>
    public static async Task BuildAsync(FlywheelApp app)
    {
        await Customer(app, "c1", "上海");
        await Customer(app, "c2", "杭州");
        await Customer(app, "c3", "北京");
        await Customer(app, "c4", "上海");
        await Customer(app, "c5", "杭州");
        await Customer(app, "c6", null);
        await Customer(app, "c7", "杭州");
        await Customer(app, "c8", "上海");
        await Order(app, "c1", "2026-09-01T02:00:00Z", 300m, "home");
        await Order(app, "c1", "2026-09-20T02:00:00Z", 800m, "home");
        await Order(app, "c2", "2026-11-10T02:00:00Z", 200m, "baby");
        await Order(app, "c2", "2026-11-15T02:00:00Z", 350m, "baby");
        await Order(app, "c4", "2026-11-01T02:00:00Z", 100m, "beauty");
        await Order(app, "c5", "2026-05-01T02:00:00Z", 900m, "home");
        await Order(app, "c5", "2026-05-20T02:00:00Z", 300m, "home");
        await Order(app, "c7", "2026-11-12T02:00:00Z", 120m, "baby");
        await Order(app, "c8", "2026-08-01T02:00:00Z", 60m, "baby");
        await Order(app, "c8", "2026-11-03T02:00:00Z", 60m, "baby");
        (await app.PostEventsAsync(
            new { event_id = "v3", type = "product_view", customer_id = "c3", timestamp = "2026-11-18T02:00:00Z", properties = new { sku = "S-1" } },
            new { event_id = "v4", type = "product_view", customer_id = "c4", timestamp = "2026-11-17T02:00:00Z", properties = new { sku = "S-2" } },
            new { event_id = "p6", type = "page_view", customer_id = "c6", timestamp = "2026-11-19T02:00:00Z" })).EnsureSuccessStatusCode();
        (await app.PostJsonAsync("/api/v1/tags", new { name = "VIP" })).EnsureSuccessStatusCode();
        (await app.PostJsonAsync("/api/v1/tags/VIP/customers", new { customer_ids = new[] { "c6" } })).EnsureSuccessStatusCode();
    }

    public static readonly string[] Everyone = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"];

    public static async Task Customer(FlywheelApp app, string id, string? city) =>
        await Ok(app.PostJsonAsync("/api/v1/customers", new { external_id = id, city }));

    public static async Task Order(FlywheelApp app, string customer, string paidAt, decimal total, string category)
    {
        var paid = DateTimeOffset.Parse(paidAt, CultureInfo.InvariantCulture);
        await Ok(app.PostJsonAsync("/api/v1/orders", new
        {
            order_id = $"{customer}-{paid:yyyyMMddHHmm}",
            customer_id = customer,
            status = "paid",
            currency = "CNY",
            lines = new[] { new { sku = "SKU-" + category, category, quantity = 1, price = total } },
            total,
            placed_at = paid.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture),
            paid_at = paidAt,
        }));
    }

    /// <summary>Waits until every projection (profiles, orders, segment membership) has applied what was acknowledged.</summary>
    public static async Task SettleAsync(FlywheelApp app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var projection in app.Services.GetServices<EventProjection>())
        {
            await projection.WaitForAppliedAsync(timeout.Token);
        }
        await app.Services.GetRequiredService<Flywheel.Modules.Segments.Membership.SegmentProjection>().WaitForAppliedAsync(timeout.Token);
    }

    public static async Task<JsonElement> PreviewAsync(FlywheelApp app, string condition)
    {
        using var response = await app.PostJsonAsync("/api/v1/segments/preview", new { condition });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{condition}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await FlywheelApp.ReadJsonAsync(response);
    }

    public static async Task<long> CountAsync(FlywheelApp app, string condition) => (await PreviewAsync(app, condition)).GetProperty("count").GetInt64();

    public static async Task<JsonElement> CreateAsync(FlywheelApp app, string key, string condition)
    {
        using var response = await app.PostJsonAsync("/api/v1/segments", new { key, name = key, condition });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await FlywheelApp.ReadJsonAsync(response);
    }

    public static async Task<string[]> MembersAsync(FlywheelApp app, string key)
    {
        var page = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/segments/{key}/members?limit=500"));
        return [.. page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("customer_id").GetString()!)];
    }

    public static async Task Ok(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
