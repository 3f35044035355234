using System.Net;
using System.Text.Json;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Analytics;

/// <summary>
/// The KPI dashboard on the Shanghai shop of <see cref="OverviewTests"/> (UTC+8), 8–10 Nov against 5–7 Nov, with every
/// expected value worked out by hand from that shop's events and orders in the comments.
/// </summary>
public sealed class DashboardTests
{
    private const string Dashboard = "/api/v1/analytics/dashboard";

    [Fact]
    public async Task Dashboard_OfTheShanghaiShop_MatchesTheDefinitions()
    {
        await using var app = await OverviewTests.StartAsync(OverviewTests.ShanghaiNow);
        await OverviewTests.BuildShanghaiShopAsync(app);

        using var response = await app.Client.GetAsync($"{Dashboard}?from=2026-11-08&to=2026-11-10&grain=day");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var d = await FlywheelApp.ReadJsonAsync(response);
        Assert.Equal("2026-11-05", d.GetProperty("compared_from").GetString());
        Assert.Equal("2026-11-07", d.GetProperty("compared_to").GetString());
        var m = Metrics(d);

        // Visits (non-order events), local days: c1 views at 07:00 on the 8th and 10:00 on the 9th; a1 at 21:00 on the 8th
        // and 08:30 on the 9th; c11 at 12:00 on the 9th; c10 views at 23:50 on the 10th and searches at 23:55. Six
        // sessions, each with one view (all bounces); only c10's lasts, 5 minutes: 300 s / 6 = 50.0 s.
        Assert.Equal(6m, m["pv"].Current);
        Assert.Equal(4m, m["uv"].Current);
        Assert.Equal(6m, m["sessions"].Current);
        Assert.Equal(1m, m["bounce_rate"].Current);
        Assert.Equal(50.0m, m["avg_visit_seconds"].Current);
        // New visitors: c1, c11 and c10 have no event before the range; a1 viewed on 7 Nov. 3 / 4.
        Assert.Equal(0.75m, m["new_visitor_share"].Current);
        // No sign-ups among 3 new visitors: 0. No product views: view→cart has no denominator.
        Assert.Equal(0m, m["registration_rate"].Current);
        Assert.Null(m["view_to_cart_rate"].Current);
        // order_placed events in the range name c1, c6, c7, c2, c3, c9, c4 (cancelled later) and c5 (only placed): 8 / 4 UV.
        Assert.Equal(2m, m["order_rate"].Current);
        // Orders placed in the range in CNY: o1, o9, o11, o3, o10, o2, o5, o13, o7, o8 and a1's o14 (placed when paid) = 11;
        // paid: all but o7 (cancelled) and o8 = 9. 9 / 11 = 0.81818… → 0.8182.
        Assert.Equal(0.8182m, m["payment_rate"].Current);

        // Customers with a visit or an order event in the range: c1, c11, c10 (visits), c6, c7, c2, c3, c9, c4, c5 (orders).
        Assert.Equal(10m, m["active_customers"].Current);
        // Active visitors per day: 8th c1, a1; 9th c1, a1, c11; 10th c10 → (2 + 3 + 1) / 3 = 2.0. In the 30 days to 10 Nov:
        // c1, a1, c11, c10 and c8 (6 Nov) = 5. Stickiness 2.0 / 5 = 0.4.
        Assert.Equal(2.0m, m["dau"].Current);
        Assert.Equal(5m, m["mau"].Current);
        Assert.Equal(0.4m, m["stickiness"].Current);
        // As on the overview: 8 new customers; repurchase within 7 days 2 of 5 eligible; 30 and 90 days all censored.
        Assert.Equal(8m, m["new_customers"].Current);
        Assert.Equal(0.4m, m["repurchase_rate_7d"].Current);
        Assert.Null(m["repurchase_rate_30d"].Current);
        Assert.Null(m["repurchase_rate_90d"].Current);
        // Two paid orders in the range: c1 (o1, o2) and c6 (o9, o10), of 6 paying customers. 2 / 6 → 0.3333.
        Assert.Equal(0.3333m, m["period_repeat_rate"].Current);
        // No customer had paid 30–90 days before 8 Nov: no one was dormant, no rate.
        Assert.Null(m["dormant_wakeup_rate"].Current);

        // GMV 400.50 and 9 orders as on the overview; refunds of those orders: o3 80.00 + o10 20.00 + o5 10.00 = 110.00.
        Assert.Equal(400.50m, m["gmv"].Current);
        Assert.Equal(290.50m, m["net_sales"].Current);
        Assert.Equal(9m, m["orders"].Current);
        Assert.Equal(44.50m, m["aov"].Current);
        // 400.50 / 10 active customers = 40.05; / 6 paying = 66.75.
        Assert.Equal(40.05m, m["arpu"].Current);
        Assert.Equal(66.75m, m["arppu"].Current);

        // 5–7 Nov: c8 views on the 6th, a1 on the 7th; p1 200.00 + p2 40.00. Change in GMV (400.50 − 240) / 240 → 0.6688.
        Assert.Equal(2m, m["pv"].Compared);
        Assert.Equal(2m, m["sessions"].Compared);
        Assert.Equal(240.00m, m["gmv"].Compared);
        Assert.Equal(0.6688m, m["gmv"].Change);

        var series = d.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(["2026-11-08", "2026-11-09", "2026-11-10"], series.Select(p => p.GetProperty("from").GetString()));
        Assert.Equal([180.00m, 115.00m, 105.50m], series.Select(p => p.GetProperty("values").GetProperty("gmv").GetDecimal()));
        Assert.Equal([2m, 3m, 1m], series.Select(p => p.GetProperty("values").GetProperty("sessions").GetDecimal()));
        // Repurchase is counted over the whole range only.
        Assert.Equal(JsonValueKind.Null, series[0].GetProperty("values").GetProperty("repurchase_rate_7d").ValueKind);
    }

    [Fact]
    public async Task Dashboard_DormantWakeUp_CountsThoseLastPaidThirtyToNinetyDaysBefore()
    {
        await using var app = await OverviewTests.StartAsync(OverviewTests.ShanghaiNow);
        // The range starts 8 Nov 00:00 (+08:00): dormant are customers whose last payment before it was at or before
        // 9 Oct 00:00 (30 days) and after 10 Aug 00:00 (90 days).
        (string Id, string Customer, string At)[] orders =
        [
            ("w1-a", "w1", "2026-09-20T12:00:00+08:00"), ("w1-b", "w1", "2026-11-09T12:00:00+08:00"), // dormant, woken
            ("w2-a", "w2", "2026-09-01T12:00:00+08:00"), // dormant, still asleep
            ("w3-a", "w3", "2026-10-09T00:00:00+08:00"), // exactly 30 days before: dormant, asleep
            ("w4-a", "w4", "2026-10-20T12:00:00+08:00"), ("w4-b", "w4", "2026-11-08T12:00:00+08:00"), // active
            ("w5-a", "w5", "2026-08-10T00:00:00+08:00"), ("w5-b", "w5", "2026-11-10T12:00:00+08:00"), // exactly 90: lost
            ("w6-a", "w6", "2026-09-15T12:00:00+08:00"), ("w6-b", "w6", "2026-10-25T12:00:00+08:00"), // last one active
            ("w7-a", "w7", "2026-08-10T00:00:01+08:00"), ("w7-b", "w7", "2026-11-10T12:00:00+08:00"), // dormant, woken
        ];
        foreach (var (id, customer, at) in orders)
        {
            await OverviewTests.Ok(app.PostJsonAsync("/api/v1/orders", OverviewTests.Order(id, customer, 10.00m, at)));
        }
        await OverviewTests.WaitForProjectionsAsync(app);

        using var response = await app.Client.GetAsync($"{Dashboard}?from=2026-11-08&to=2026-11-10");

        // Dormant w1, w2, w3, w7; woken w1 and w7: 2 / 4.
        Assert.Equal(0.5m, Metrics(await FlywheelApp.ReadJsonAsync(response))["dormant_wakeup_rate"].Current);
    }

    [Fact]
    public async Task Dashboard_ByWeek_FromSunday_CutsTheRangeAtWeekStarts()
    {
        await using var app = await OverviewTests.StartAsync(OverviewTests.ShanghaiNow);
        await OverviewTests.BuildShanghaiShopAsync(app);

        // 8 Nov 2026 is a Sunday. Weeks from Sunday: 8–10 Nov is one bucket; weeks from Monday: 8 Nov, then 9–10 Nov.
        var sunday = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Dashboard}?from=2026-11-08&to=2026-11-10&grain=week&week_start=sunday"));
        var monday = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Dashboard}?from=2026-11-08&to=2026-11-10&grain=week"));

        Assert.Equal([("2026-11-08", "2026-11-10")], Buckets(sunday));
        Assert.Equal([("2026-11-08", "2026-11-08"), ("2026-11-09", "2026-11-10")], Buckets(monday));
        // UV of 9–10 Nov: c1, a1, c11, c10 = 4 — distinct over the bucket, not 3 + 1 by day. DAU there: (3 + 1) / 2 = 2.0.
        var second = monday.GetProperty("series")[1].GetProperty("values");
        Assert.Equal(4m, second.GetProperty("uv").GetDecimal());
        Assert.Equal(2.0m, second.GetProperty("dau").GetDecimal());
        // GMV 115.00 + 105.50.
        Assert.Equal(220.50m, second.GetProperty("gmv").GetDecimal());
    }

    [Fact]
    public async Task Dashboard_CutByCityOrSource_KeepsOnlyWhatTheCutAppliesTo()
    {
        await using var app = await OverviewTests.StartAsync(OverviewTests.ShanghaiNow);
        await OverviewTests.BuildShanghaiShopAsync(app);
        using (var city = await app.PostJsonAsync("/api/v1/customers", new { external_id = "c1", city = "上海" }))
        {
            Assert.True(city.IsSuccessStatusCode, await city.Content.ReadAsStringAsync());
        }

        var shanghai = Metrics(await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Dashboard}?from=2026-11-08&to=2026-11-10&city=上海")));
        // Only c1: two views in two sessions; orders o1 100.00 and o2 50.00.
        Assert.Equal(2m, shanghai["pv"].Current);
        Assert.Equal(1m, shanghai["uv"].Current);
        Assert.Equal(150.00m, shanghai["gmv"].Current);
        Assert.Equal(2m, shanghai["orders"].Current);

        var direct = Metrics(await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Dashboard}?from=2026-11-08&to=2026-11-10&source=direct")));
        // No event carries a UTM source: every session is direct, the same six. Orders have no source: sales are left out.
        Assert.Equal(6m, direct["sessions"].Current);
        Assert.Null(direct["gmv"].Current);
        Assert.Null(direct["payment_rate"].Current);

        var wechat = Metrics(await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Dashboard}?from=2026-11-08&to=2026-11-10&source=wechat")));
        Assert.Equal(0m, wechat["sessions"].Current);
        Assert.Null(wechat["bounce_rate"].Current);
    }

    [Fact]
    public async Task Dashboard_SeriesAsCsv_HasOneRowPerBucket()
    {
        await using var app = await OverviewTests.StartAsync(OverviewTests.ShanghaiNow);
        await OverviewTests.BuildShanghaiShopAsync(app);

        using var response = await app.Client.GetAsync($"{Dashboard}.csv?from=2026-11-08&to=2026-11-10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(4, lines.Count);
        var header = lines[0].Split(',');
        Assert.Equal(["from", "to", "pv"], header.Take(3));
        var gmv = Array.IndexOf(header, "gmv");
        Assert.Equal(["180.00", "115.00", "105.50"], lines.Skip(1).Select(l => l.Split(',')[gmv]));
    }

    [Theory]
    [InlineData("grain=year", "grain")]
    [InlineData("compare=yesterday", "compare")]
    [InlineData("week_start=someday", "week_start")]
    [InlineData("from=2026-11-10&to=2026-11-01", "from")]
    [InlineData("from=2025-01-01&to=2026-11-10", "to")]
    [InlineData("from=11/01/2026", "from")]
    [InlineData("segment=no-such-segment", "segment")]
    [InlineData("city=", "city")]
    public async Task Dashboard_RefusesBadInput_ByField(string query, string field)
    {
        await using var app = await OverviewTests.StartAsync(OverviewTests.ShanghaiNow);

        using var response = await app.Client.GetAsync($"{Dashboard}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.GetRawText());
    }

    [Fact]
    public async Task Dashboard_AgainstLastYear_ComparesTheSameDates()
    {
        await using var app = await OverviewTests.StartAsync(OverviewTests.ShanghaiNow);

        var d = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Dashboard}?from=2024-02-29&to=2024-03-02&compare=last_year"));

        // 29 Feb 2024 a year earlier is 28 Feb 2023.
        Assert.Equal("2023-02-28", d.GetProperty("compared_from").GetString());
        Assert.Equal("2023-03-02", d.GetProperty("compared_to").GetString());
        Assert.Equal("last_year", d.GetProperty("compare").GetString());
    }

    private sealed record Metric(decimal? Current, decimal? Compared, decimal? Change);

    private static Dictionary<string, Metric> Metrics(JsonElement d) => d.GetProperty("metrics").EnumerateArray().ToDictionary(
        m => m.GetProperty("key").GetString()!,
        m => new Metric(Number(m.GetProperty("current")), Number(m.GetProperty("compared")), Number(m.GetProperty("change"))));

    private static decimal? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDecimal();

    private static List<(string?, string?)> Buckets(JsonElement d) =>
        [.. d.GetProperty("series").EnumerateArray().Select(p => (p.GetProperty("from").GetString(), p.GetProperty("to").GetString()))];
}
