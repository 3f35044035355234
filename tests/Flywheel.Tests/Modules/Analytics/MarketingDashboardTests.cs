using System.Net;
using System.Text.Json;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Platform.Api;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Analytics;

/// <summary>
/// The dashboard's marketing group on a small Shanghai shop (UTC+8; every time below is 02:00–05:00 UTC, the same local
/// day), 8–9 Nov 2026 against 6–7 Nov. Every expected value is worked out by hand in the comments.
/// <list type="bullet">
/// <item>c1: baidu visit on the 8th, pays o1 100.00 the same day (first order ever);</item>
/// <item>c2: douyin visit on the 7th, a direct visit on the 9th, pays o2 60.00 on the 9th (first order ever);</item>
/// <item>c3: wechat visit on the 9th, pays o3 40.00 the same day (first order ever; wechat has no spend);</item>
/// <item>c4: paid o0 on 1 Nov; baidu visit on the 9th, pays o4 50.00 the same day (not a new customer).</item>
/// </list>
/// Spend: baidu 50.00 (1,000 impressions, 40 clicks) on the 8th and 30.00 (1,000, 20) on the 9th; douyin 40.00 (4,000, 40)
/// on the 9th. Last non-direct touch credits o1 and o4 to baidu, o2 to douyin (the direct visit is skipped), o3 to wechat.
/// </summary>
public sealed class MarketingDashboardTests
{
    private const string Range = "/api/v1/analytics/dashboard?from=2026-11-08&to=2026-11-09&grain=day";

    [Fact]
    public async Task MarketingMetrics_FollowTheDefinitions()
    {
        await using var app = await FlywheelApp.StartAsync();
        await BuildShopAsync(app);

        var d = await GetAsync(app, Range + "&gross_margin=0.4");
        var m = Metrics(d);

        // Spend 50 + 30 + 40 = 120.00; impressions 1,000 + 1,000 + 4,000 = 6,000; clicks 40 + 20 + 40 = 100.
        Assert.Equal(120.00m, m["spend"]);
        Assert.Equal(6000m, m["impressions"]);
        Assert.Equal(100m, m["clicks"]);
        // CTR 100 / 6,000 = 0.016666… → 0.0167. CPC 120.00 / 100 = 1.20.
        Assert.Equal(0.0167m, m["ctr"]);
        Assert.Equal(1.20m, m["cpc"]);
        // Conversions credited to channels with spend: o1 and o4 (baidu), o2 (douyin) = 3; o3 went to wechat, unpaid.
        // CVR 3 / 100 = 0.03; CPA 120.00 / 3 = 40.00.
        Assert.Equal(3m, m["attributed_conversions"]);
        Assert.Equal(0.03m, m["cvr"]);
        Assert.Equal(40.00m, m["cpa"]);
        // New paying customers: c1, c2, c3 (c4 paid before); CAC 120.00 / 3 = 40.00.
        Assert.Equal(3m, m["new_paying_customers"]);
        Assert.Equal(40.00m, m["cac"]);
        // Attributed revenue 100.00 + 50.00 + 60.00 = 210.00; ROAS 210 / 120 = 1.75;
        // ROI at margin 0.4: (210 × 0.4 − 120) / 120 = (84 − 120) / 120 = −0.3.
        Assert.Equal(210.00m, m["attributed_revenue"]);
        Assert.Equal(1.75m, m["roas"]);
        Assert.Equal(-0.3m, m["roi"]);
        Assert.Equal("last_non_direct", d.GetProperty("model").GetString());
        Assert.Equal(0.4m, d.GetProperty("gross_margin").GetDecimal());

        // By day. The 8th: spend 50.00, o1 → 1 conversion, 100.00, c1 new: CAC 50.00, ROAS 100 / 50 = 2.
        // The 9th: spend 70.00, o2 and o4 → 2 conversions, 110.00, c2 and c3 new: CAC 35.00, ROAS 110 / 70 = 1.571428… → 1.5714.
        var series = d.GetProperty("series").EnumerateArray().Select(p => p.GetProperty("values")).ToList();
        Assert.Equal([50.00m, 70.00m], series.Select(v => v.GetProperty("spend").GetDecimal()));
        Assert.Equal([1m, 2m], series.Select(v => v.GetProperty("attributed_conversions").GetDecimal()));
        Assert.Equal([50.00m, 35.00m], series.Select(v => v.GetProperty("cac").GetDecimal()));
        Assert.Equal([2m, 1.5714m], series.Select(v => v.GetProperty("roas").GetDecimal()));

        // 6–7 Nov has no spend rows: every marketing metric is unknown, never 0.
        var compared = d.GetProperty("metrics").EnumerateArray().Where(x => x.GetProperty("group").GetString() == "marketing").ToList();
        Assert.Equal(13, compared.Count);
        Assert.All(compared, x => Assert.Equal(JsonValueKind.Null, x.GetProperty("compared").ValueKind));
    }

    [Fact]
    public async Task SourceCut_KeepsThatChannelsSpendAndCredit()
    {
        await using var app = await FlywheelApp.StartAsync();
        await BuildShopAsync(app);

        var m = Metrics(await GetAsync(app, Range + "&source=baidu"));

        // baidu: spend 50 + 30 = 80.00, 2,000 impressions, 60 clicks: CTR 0.03, CPC 8,000 fen / 60 = 133.3 → 1.33.
        Assert.Equal(80.00m, m["spend"]);
        Assert.Equal(0.03m, m["ctr"]);
        Assert.Equal(1.33m, m["cpc"]);
        // o1 and o4: 2 conversions, 150.00; ROAS 150 / 80 = 1.875. Of the new customers only c1's first order (o1) is
        // baidu's: CAC 80.00 / 1 = 80.00. No gross margin anywhere: ROI unknown.
        Assert.Equal(2m, m["attributed_conversions"]);
        Assert.Equal(150.00m, m["attributed_revenue"]);
        Assert.Equal(1.875m, m["roas"]);
        Assert.Equal(1m, m["new_paying_customers"]);
        Assert.Equal(80.00m, m["cac"]);
        Assert.Null(m["roi"]);
    }

    [Fact]
    public async Task ChosenModel_AndWorkspaceMargin_Apply()
    {
        await using var app = await FlywheelApp.StartAsync();
        await BuildShopAsync(app);
        using (var margin = await app.Client.PutAsJsonAsync("/api/v1/marketing/settings", new { gross_margin = 0.5m }, ApiJson.Options))
        {
            Assert.Equal(HttpStatusCode.OK, margin.StatusCode);
        }

        var m = Metrics(await GetAsync(app, Range + "&model=linear"));

        // Linear: o1 baidu 1 (100.00); o2 douyin 0.5 and direct 0.5 (30.00 each); o4 baidu 1 (50.00); o3 wechat.
        // Paid channels: 1 + 0.5 + 1 = 2.5 conversions, 100 + 30 + 50 = 180.00. CPA 12,000 fen / 2.5 = 48.00;
        // ROAS 180 / 120 = 1.5; ROI at the workspace's 0.5: (90 − 120) / 120 = −0.25.
        Assert.Equal(2.5m, m["attributed_conversions"]);
        Assert.Equal(180.00m, m["attributed_revenue"]);
        Assert.Equal(48.00m, m["cpa"]);
        Assert.Equal(1.5m, m["roas"]);
        Assert.Equal(-0.25m, m["roi"]);

        using var markov = await app.Client.GetAsync(Range + "&model=markov");
        Assert.Equal(HttpStatusCode.BadRequest, markov.StatusCode);
        using var wrongMargin = await app.Client.GetAsync(Range + "&gross_margin=2");
        Assert.Equal(HttpStatusCode.BadRequest, wrongMargin.StatusCode);
    }

    [Fact]
    public async Task WithoutSpend_OrUnderACustomerCut_TheGroupIsUnknown()
    {
        await using var app = await FlywheelApp.StartAsync();
        await BuildShopAsync(app, withSpend: false);

        var none = Metrics(await GetAsync(app, Range));
        Assert.All(MarketingKeys, k => Assert.Null(none[k]));

        await PutSpendAsync(app);
        var city = Metrics(await GetAsync(app, Range + "&city=上海"));
        var category = Metrics(await GetAsync(app, Range + "&category=beauty"));
        Assert.All(MarketingKeys, k => Assert.Null(city[k]));
        Assert.All(MarketingKeys, k => Assert.Null(category[k]));
    }

    private static readonly string[] MarketingKeys =
        ["spend", "impressions", "clicks", "ctr", "cpc", "attributed_conversions", "cvr", "cpa", "new_paying_customers", "cac", "attributed_revenue", "roas", "roi"];

    internal static async Task BuildShopAsync(FlywheelApp app, bool withSpend = true)
    {
        await Ok(app.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                Visit("m1", "c1", "2026-11-08T02:00:00Z", "baidu"),
                Visit("m2", "c2", "2026-11-07T02:00:00Z", "douyin"),
                Visit("m3", "c2", "2026-11-09T02:00:00Z", null),
                Visit("m4", "c3", "2026-11-09T01:00:00Z", "wechat"),
                Visit("m5", "c4", "2026-11-09T04:00:00Z", "baidu"),
            },
        }));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o0", "c4", 20.00m, "2026-11-01T02:00:00Z")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o1", "c1", 100.00m, "2026-11-08T03:00:00Z")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o2", "c2", 60.00m, "2026-11-09T03:00:00Z")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o3", "c3", 40.00m, "2026-11-09T02:00:00Z")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o4", "c4", 50.00m, "2026-11-09T05:00:00Z")));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await app.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
            await app.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
        }
        if (withSpend)
        {
            await PutSpendAsync(app);
        }
    }

    internal static async Task PutSpendAsync(FlywheelApp app)
    {
        using var response = await app.Client.PutAsJsonAsync("/api/v1/marketing/spend", new
        {
            rows = new object[]
            {
                new { date = "2026-11-08", channel = "baidu", spend = 50.00m, impressions = 1000, clicks = 40 },
                new { date = "2026-11-09", channel = "baidu", spend = 30.00m, impressions = 1000, clicks = 20 },
                new { date = "2026-11-09", channel = "douyin", spend = 40.00m, impressions = 4000, clicks = 40 },
            },
        }, ApiJson.Options);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> GetAsync(FlywheelApp app, string path)
    {
        using var response = await app.Client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await FlywheelApp.ReadJsonAsync(response);
    }

    private static Dictionary<string, decimal?> Metrics(JsonElement d) =>
        d.GetProperty("metrics").EnumerateArray().ToDictionary(
            x => x.GetProperty("key").GetString()!,
            x => x.GetProperty("current").ValueKind == JsonValueKind.Null ? (decimal?)null : x.GetProperty("current").GetDecimal());

    private static object Visit(string id, string customer, string at, string? source) => source is null
        ? new { event_id = id, type = "page_view", customer_id = customer, timestamp = at }
        : new { event_id = id, type = "page_view", customer_id = customer, timestamp = at, context = new { utm_source = source } };

    private static object Order(string id, string customer, decimal total, string paidAt) => new
    {
        order_id = id,
        customer_id = customer,
        status = "paid",
        channel = "app",
        lines = new[] { new { sku = "SKU-1", quantity = 1, price = total } },
        total,
        placed_at = DateTimeOffset.Parse(paidAt, System.Globalization.CultureInfo.InvariantCulture).AddMinutes(-1).ToString("O"),
        paid_at = paidAt,
    };

    private static async Task Ok(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
