using System.Globalization;
using System.Net;
using System.Text.Json;
using Flywheel.Modules.Analytics.Overview;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Analytics;

/// <summary>
/// The overview KPIs against a small shop built through the API, with every expected value worked out by hand below.
/// The shop is in Asia/Shanghai (UTC+8): an order at 07:30 local on 8 Nov is 23:30 UTC on 7 Nov, so grouping by UTC
/// date would put it in the previous period.
/// </summary>
public sealed class OverviewTests
{
    private const string Overview = "/api/v1/analytics/overview";

    /// <summary>"Now" for the Shanghai shop: 17 Nov 2026 12:00 local = 04:00 UTC.</summary>
    internal static readonly DateTimeOffset ShanghaiNow = new(2026, 11, 17, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Overview_OfAShanghaiShop_MatchesTheDefinitions_ForTheRangeAndThePreviousPeriod()
    {
        await using var app = await StartAsync(ShanghaiNow);
        await BuildShanghaiShopAsync(app);

        var response = await app.Client.GetAsync($"{Overview}?from=2026-11-08&to=2026-11-10&repurchase_window=7");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var o = await FlywheelApp.ReadJsonAsync(response);
        Assert.Equal("2026-11-08", o.GetProperty("from").GetString());
        Assert.Equal("2026-11-10", o.GetProperty("to").GetString());
        // Three days before: 5–7 Nov.
        Assert.Equal("2026-11-05", o.GetProperty("previous_from").GetString());
        Assert.Equal("2026-11-07", o.GetProperty("previous_to").GetString());
        Assert.Equal("Asia/Shanghai", o.GetProperty("time_zone").GetString());
        Assert.Equal("CNY", o.GetProperty("currency").GetString());

        // Paid 8–10 Nov local, in CNY: o1 100.00 + o9 20.00 + o11 60.00 (8th) + o3 80.00 + o10 20.00 + o14 15.00 (9th)
        // + o2 50.00 + o5 45.50 + o13 10.00 (10th) = 400.50, before refunds (o3 and o10 fully, o5 in part).
        // Previous: p1 200.00 + p2 40.00 = 240.00. Change (400.50 − 240.00) / 240.00 = 0.66875 → 0.6688.
        AssertKpi(o.GetProperty("gmv"), 400.50m, 240.00m, 0.6688m);
        // 9 paid orders (o7 cancelled, o8 only placed, o15 in USD and o4 on 11 Nov local are not); previous 2.
        // (9 − 2) / 2 = 3.5.
        AssertKpi(o.GetProperty("paid_orders"), 9, 2, 3.5m);
        // 400.50 / 9 = 44.50; 240.00 / 2 = 120.00; (44.50 − 120.00) / 120.00 = −0.62916… → −0.6292.
        AssertKpi(o.GetProperty("aov"), 44.50m, 120.00m, -0.6292m);
        // Page views 8–10 Nov local: c1, a1, c11, c10 = 4 distinct (a3's view at 00:10 on the 11th is out); previous
        // c8 and a1 = 2. (4 − 2) / 2 = 1.
        AssertKpi(o.GetProperty("uv"), 4, 2, 1m);
        // Acquired (earlier of registration and first event) 8–10 Nov: c1, c6, c7 (8th), c2, c4 (9th), c3, c5, c10
        // (10th) = 8; c11 registered in 2025 is not new. Previous: c8, c9 and c12 (registered 6 Nov, no events) = 3.
        // (8 − 3) / 3 = 1.66666… → 1.6667.
        AssertKpi(o.GetProperty("new_customers"), 8, 3, 1.6667m);
        // c1, c2, c3, c6, c7, c9 paid (a1's order has no customer); previous c8, c9. (6 − 2) / 2 = 2.
        AssertKpi(o.GetProperty("paying_customers"), 6, 2, 2m);
        Assert.Equal(1, o.GetProperty("orders_in_other_currencies").GetInt64());

        // Repurchase within 7 days, now = 17 Nov 12:00 local:
        //   c1 t = 8 Nov 07:30, window to 15 Nov 07:30: o2 on 10 Nov → repurchased.
        //   c2 t = 9 Nov 23:30 (o3, later refunded: still a payment), window to 16 Nov 23:30: o4 on 11 Nov → repurchased.
        //   c3 t = 10 Nov 20:00, window to 17 Nov 20:00, after now → censored.
        //   c6 t = 8 Nov 12:00: o10 on 9 Nov was fully refunded → not repurchased.
        //   c7 t = 8 Nov 15:00: o12 on 16 Nov is after the window (15 Nov 15:00) → not repurchased.
        //   c9 t = 10 Nov 09:00 (first paid order in the range), window to 17 Nov 09:00: nothing more → not repurchased.
        // 6 customers, 1 censored, 5 eligible, 2 repurchased: 0.4.
        // Previous: c8 (6 Nov) nothing more; c9 (7 Nov 23:59) o13 on 10 Nov → 1 of 2 = 0.5. (0.4 − 0.5) / 0.5 = −0.2.
        var repurchase = o.GetProperty("repurchase_rate");
        Assert.Equal(7, repurchase.GetProperty("window_days").GetInt32());
        Assert.Equal(0.4m, repurchase.GetProperty("current").GetDecimal());
        Assert.Equal(0.5m, repurchase.GetProperty("previous").GetDecimal());
        Assert.Equal(-0.2m, repurchase.GetProperty("change").GetDecimal());
        AssertCohort(repurchase.GetProperty("current_cohort"), customers: 6, censored: 1, repurchased: 2);
        AssertCohort(repurchase.GetProperty("previous_cohort"), customers: 2, censored: 0, repurchased: 1);

        // Per local day. UV: 8th c1, a1; 9th c1, a1, c11; 10th c10 — 2 + 3 + 1 = 6, more than the 4 distinct of the range.
        var daily = o.GetProperty("daily").EnumerateArray().ToList();
        Assert.Equal(["2026-11-08", "2026-11-09", "2026-11-10"], daily.Select(d => d.GetProperty("date").GetString()));
        // 8th: 100.00 + 20.00 + 60.00 = 180.00; 9th: 80.00 + 20.00 + 15.00 = 115.00; 10th: 50.00 + 45.50 + 10.00 = 105.50.
        Assert.Equal([180.00m, 115.00m, 105.50m], daily.Select(d => d.GetProperty("gmv").GetDecimal()));
        Assert.Equal([3L, 3L, 3L], daily.Select(d => d.GetProperty("paid_orders").GetInt64()));
        Assert.Equal([2L, 3L, 1L], daily.Select(d => d.GetProperty("uv").GetInt64()));
        Assert.Equal([3L, 2L, 3L], daily.Select(d => d.GetProperty("new_customers").GetInt64()));
        // Money keeps the currency's two decimals.
        Assert.Equal("180.00", daily[0].GetProperty("gmv").GetRawText());

        // The service answers the console with the same numbers, in minor units.
        var workspaceId = (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/workspace"))).GetProperty("id").GetString()!;
        var result = await app.Services.GetRequiredService<OverviewQuery>()
            .GetAsync(workspaceId, new DateOnly(2026, 11, 8), new DateOnly(2026, 11, 10), 7, CancellationToken.None);
        Assert.Equal(40050, result.GmvMinor.Current);
        Assert.Equal(4450, result.AovMinor.Current);
        Assert.Equal(ShanghaiNow, result.AsOf);
    }

    [Fact]
    public async Task Repurchase_WithALongerWindow_LeavesOutCustomersWhoseWindowIsStillOpen()
    {
        await using var app = await StartAsync(ShanghaiNow);
        await BuildShanghaiShopAsync(app);

        var o = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Overview}?from=2026-11-08&to=2026-11-10&repurchase_window=30"));

        // With 30 days every window (t + 30 days, from 8 Dec on) ends after 17 Nov: all 6 are censored, no rate.
        var repurchase = o.GetProperty("repurchase_rate");
        AssertCohort(repurchase.GetProperty("current_cohort"), customers: 6, censored: 6, repurchased: 0);
        Assert.Equal(JsonValueKind.Null, repurchase.GetProperty("current").ValueKind);
        Assert.Equal(JsonValueKind.Null, repurchase.GetProperty("change").ValueKind);
        Assert.Equal(JsonValueKind.Null, repurchase.GetProperty("current_cohort").GetProperty("rate").ValueKind);
    }

    [Fact]
    public async Task Defaults_AreThe30LocalDaysEndingYesterday_AndA30DayWindow()
    {
        await using var app = await StartAsync(ShanghaiNow);

        var o = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(Overview));

        // Today is 17 Nov local; yesterday 16 Nov; 30 days back to 18 Oct; the previous 30 days 18 Sep – 17 Oct.
        Assert.Equal("2026-10-18", o.GetProperty("from").GetString());
        Assert.Equal("2026-11-16", o.GetProperty("to").GetString());
        Assert.Equal("2026-09-18", o.GetProperty("previous_from").GetString());
        Assert.Equal("2026-10-17", o.GetProperty("previous_to").GetString());
        Assert.Equal(30, o.GetProperty("repurchase_rate").GetProperty("window_days").GetInt32());
        Assert.Equal(30, o.GetProperty("daily").GetArrayLength());
        // An empty shop: zeros, and no change or average where there is nothing to divide by.
        AssertKpi(o.GetProperty("gmv"), 0.00m, 0.00m, null);
        Assert.Equal(JsonValueKind.Null, o.GetProperty("aov").GetProperty("current").ValueKind);
    }

    [Fact]
    public async Task NewYork_AcrossTheEndOfDaylightSaving_HasA25HourDay_AndZeroDaysInTheSeries()
    {
        // New York leaves daylight saving at 02:00 on 1 Nov 2026: that local day runs from 04:00 UTC (00:00 EDT) to
        // 05:00 UTC on 2 Nov (00:00 EST), 25 hours.
        await using var app = await StartAsync(new DateTimeOffset(2026, 11, 10, 12, 0, 0, TimeSpan.Zero));
        var zone = await app.Client.PatchAsJsonAsync("/api/v1/workspace", new { time_zone = "America/New_York" });
        Assert.Equal(HttpStatusCode.OK, zone.StatusCode);
        await Ok(app.PostEventsAsync(
            // 1 Nov 00:10 EDT: in 1 Nov, though a fixed UTC−5 would make it 31 Oct.
            new { event_id = "e1", type = "page_view", anonymous_id = "a-ny", timestamp = "2026-11-01T04:10:00Z" },
            // 1 Nov 23:30 EST: still 1 Nov, though a fixed UTC−4 would make it 2 Nov.
            new { event_id = "e2", type = "page_view", customer_id = "ny-1", timestamp = "2026-11-02T04:30:00Z" }));
        // Paid 1 Nov 23:45 EST: in 1 Nov.
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("ny-o1", "ny-1", 12.34m, "2026-11-02T04:45:00Z")));
        // Paid 31 Oct 23:30 EDT: in the previous period.
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("ny-o2", "ny-2", 50.00m, "2026-10-31T23:30:00-04:00")));
        await WaitForProjectionsAsync(app);

        var o = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Overview}?from=2026-11-01&to=2026-11-03"));

        Assert.Equal("America/New_York", o.GetProperty("time_zone").GetString());
        AssertKpi(o.GetProperty("gmv"), 12.34m, 50.00m, -0.7532m); // (12.34 − 50.00) / 50.00 = −0.7532
        AssertKpi(o.GetProperty("uv"), 2, 0, null);
        // ny-1 first seen at the page view, 1 Nov 23:30 EST; ny-2 at placing its order, 31 Oct 23:20 EDT.
        AssertKpi(o.GetProperty("new_customers"), 1, 1, 0m);
        var daily = o.GetProperty("daily").EnumerateArray().ToList();
        Assert.Equal(["2026-11-01", "2026-11-02", "2026-11-03"], daily.Select(d => d.GetProperty("date").GetString()));
        Assert.Equal([12.34m, 0.00m, 0.00m], daily.Select(d => d.GetProperty("gmv").GetDecimal()));
        Assert.Equal([1L, 0L, 0L], daily.Select(d => d.GetProperty("paid_orders").GetInt64()));
        Assert.Equal([2L, 0L, 0L], daily.Select(d => d.GetProperty("uv").GetInt64()));
        Assert.Equal([1L, 0L, 0L], daily.Select(d => d.GetProperty("new_customers").GetInt64()));
        // ny-1 paid 2 Nov 04:45 UTC; 30 days later is after "now" (10 Nov): censored, so no rate.
        AssertCohort(o.GetProperty("repurchase_rate").GetProperty("current_cohort"), customers: 1, censored: 1, repurchased: 0);
    }

    [Theory]
    [InlineData("from=2026-11-31&to=2026-12-01", "from")]
    [InlineData("from=2026-11-01&to=yesterday", "to")]
    [InlineData("from=2026-11-08&to=2026-11-01", "from")]
    [InlineData("from=2025-01-01&to=2026-01-02", "to")]
    [InlineData("from=2026-11-01&to=2026-11-07&repurchase_window=14", "repurchase_window")]
    [InlineData("from=2026-11-01&to=2026-11-07&repurchase_window=thirty", "repurchase_window")]
    public async Task BadInput_IsAProblemWithAFieldError(string query, string field)
    {
        await using var app = await StartAsync(ShanghaiNow);

        var response = await app.Client.GetAsync($"{Overview}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {errors}");
        Assert.NotEmpty(messages[0].GetString()!);
    }

    [Fact]
    public async Task Range_Of366Days_IsAccepted()
    {
        await using var app = await StartAsync(ShanghaiNow);

        // 2025-11-17 … 2026-11-17 is 366 days (the 367 of the theory above are refused).
        var response = await app.Client.GetAsync($"{Overview}?from=2025-11-17&to=2026-11-17");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(366, (await FlywheelApp.ReadJsonAsync(response)).GetProperty("daily").GetArrayLength());
    }

    [Fact]
    public async Task KeyWithoutAnalyticsRead_IsForbidden_AndOneWithIt_IsServed()
    {
        await using var app = await StartAsync(ShanghaiNow);
        using var orders = app.CreateClient(await CreateKeyAsync(app, "orders:read"));
        using var analytics = app.CreateClient(await CreateKeyAsync(app, "analytics:read"));

        Assert.Equal(HttpStatusCode.Forbidden, (await orders.GetAsync(Overview)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analytics.GetAsync(Overview)).StatusCode);
    }

    /// <summary>
    /// The Shanghai shop (all times +08:00). Orders are placed ten minutes before they are paid, and a customer's first
    /// event is what first names them: a page view, or the order_placed event of their first order.
    /// </summary>
    internal static async Task BuildShanghaiShopAsync(FlywheelApp app)
    {
        // c11 registered long ago; c12 registered in the previous period and has no events.
        await Ok(app.PostJsonAsync("/api/v1/customers", new { external_id = "c11", registered_at = "2025-01-01T10:00:00+08:00" }));
        await Ok(app.PostJsonAsync("/api/v1/customers", new { external_id = "c12", registered_at = "2026-11-06T12:00:00+08:00" }));

        await Ok(app.PostEventsAsync(
            new { event_id = "pv1", type = "page_view", customer_id = "c1", timestamp = "2026-11-08T07:00:00+08:00" },
            new { event_id = "pv2", type = "page_view", customer_id = "c1", timestamp = "2026-11-09T10:00:00+08:00" },
            new { event_id = "pv3", type = "page_view", anonymous_id = "a1", timestamp = "2026-11-08T21:00:00+08:00" },
            new { event_id = "pv4", type = "page_view", anonymous_id = "a1", timestamp = "2026-11-09T08:30:00+08:00" },
            new { event_id = "pv5", type = "page_view", customer_id = "c11", timestamp = "2026-11-09T12:00:00+08:00" },
            new { event_id = "pv6", type = "page_view", customer_id = "c10", timestamp = "2026-11-10T23:50:00+08:00" },
            // Not a page view: no visit, though it names c10.
            new { event_id = "s1", type = "search", customer_id = "c10", timestamp = "2026-11-10T23:55:00+08:00" },
            // 11 Nov 00:10 local is 10 Nov 16:10 UTC: outside the range.
            new { event_id = "pv7", type = "page_view", anonymous_id = "a3", timestamp = "2026-11-11T00:10:00+08:00" },
            new { event_id = "pv8", type = "page_view", customer_id = "c8", timestamp = "2026-11-06T09:00:00+08:00" },
            new { event_id = "pv9", type = "page_view", anonymous_id = "a1", timestamp = "2026-11-07T12:00:00+08:00" },
            // Orders tracked as events by an anonymous visitor: one in CNY (no customer), one in USD.
            new
            {
                event_id = "op14", type = "order_paid", anonymous_id = "a1", timestamp = "2026-11-09T14:00:00+08:00",
                properties = new { order_id = "o14", amount = 15.00m, currency = "CNY" },
            },
            new
            {
                event_id = "op15", type = "order_paid", anonymous_id = "a1", timestamp = "2026-11-09T15:00:00+08:00",
                properties = new { order_id = "o15", amount = 9.99m, currency = "USD" },
            }));

        // Previous period (5–7 Nov).
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("p1", "c8", 200.00m, "2026-11-06T10:00:00+08:00")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("p2", "c9", 40.00m, "2026-11-07T23:59:00+08:00")));
        // The range (8–10 Nov). o1 at 07:30 local is 7 Nov 23:30 UTC.
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o1", "c1", 100.00m, "2026-11-08T07:30:00+08:00")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o9", "c6", 20.00m, "2026-11-08T12:00:00+08:00")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o11", "c7", 60.00m, "2026-11-08T15:00:00+08:00")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o3", "c2", 80.00m, "2026-11-09T23:30:00+08:00")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o10", "c6", 20.00m, "2026-11-09T12:00:00+08:00")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o2", "c1", 50.00m, "2026-11-10T10:00:00+08:00")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o5", "c3", 45.50m, "2026-11-10T20:00:00+08:00")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o13", "c9", 10.00m, "2026-11-10T09:00:00+08:00")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o7", "c4", 99.00m, "2026-11-09T12:00:00+08:00", "cancelled")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o8", "c5", 30.00m, "2026-11-10T12:00:00+08:00", "placed")));
        // After the range: follow-up orders only. o4 at 07:00 local on the 11th is 10 Nov 23:00 UTC.
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o4", "c2", 30.00m, "2026-11-11T07:00:00+08:00")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o6", "c3", 25.00m, "2026-11-12T12:00:00+08:00")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o12", "c7", 35.00m, "2026-11-16T16:00:00+08:00")));

        // Refunds: o3 and o10 in full, o5 in part, o6 (c3's follow-up) in full.
        await Ok(app.PostJsonAsync("/api/v1/orders/o3/refunds", new { refund_id = "r3", amount = 80.00m, refunded_at = "2026-11-11T10:00:00+08:00" }));
        await Ok(app.PostJsonAsync("/api/v1/orders/o10/refunds", new { refund_id = "r10", amount = 20.00m, refunded_at = "2026-11-09T13:00:00+08:00" }));
        await Ok(app.PostJsonAsync("/api/v1/orders/o5/refunds", new { refund_id = "r5", amount = 10.00m, refunded_at = "2026-11-12T10:00:00+08:00" }));
        await Ok(app.PostJsonAsync("/api/v1/orders/o6/refunds", new { refund_id = "r6", amount = 25.00m, refunded_at = "2026-11-13T10:00:00+08:00" }));
        await WaitForProjectionsAsync(app);
    }

    /// <summary>A one-line order; paid ones are placed ten minutes before <paramref name="at"/>, others at it.</summary>
    internal static object Order(string id, string customer, decimal total, string at, string status = "paid")
    {
        var time = DateTimeOffset.Parse(at, CultureInfo.InvariantCulture);
        var placed = status == "paid" ? time.AddMinutes(-10) : time;
        return new
        {
            order_id = id,
            customer_id = customer,
            status,
            lines = new[] { new { sku = "SKU-1", quantity = 1, price = total } },
            total,
            placed_at = placed.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            paid_at = status == "paid" ? at : null,
        };
    }

    internal static async Task<FlywheelApp> StartAsync(DateTimeOffset now) =>
        await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(now)));

    /// <summary>Profiles (first seen) and orders from events are kept by background projections; wait for both.</summary>
    internal static async Task WaitForProjectionsAsync(FlywheelApp app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
        await app.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
    }

    private static async Task<string> CreateKeyAsync(FlywheelApp app, string scope)
    {
        var response = await app.Client.PostAsJsonAsync("/api/v1/keys", new { kind = "secret", name = scope, scopes = new[] { scope } });
        return (await FlywheelApp.ReadJsonAsync(response)).GetProperty("secret").GetString()!;
    }

    internal static async Task Ok(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static void AssertKpi(JsonElement kpi, decimal current, decimal previous, decimal? change)
    {
        Assert.Equal(current, kpi.GetProperty("current").GetDecimal());
        Assert.Equal(previous, kpi.GetProperty("previous").GetDecimal());
        var actual = kpi.GetProperty("change");
        Assert.Equal(change, actual.ValueKind == JsonValueKind.Null ? null : actual.GetDecimal());
    }

    private static void AssertCohort(JsonElement cohort, long customers, long censored, long repurchased)
    {
        Assert.Equal(customers, cohort.GetProperty("customers").GetInt64());
        Assert.Equal(censored, cohort.GetProperty("censored").GetInt64());
        Assert.Equal(customers - censored, cohort.GetProperty("eligible").GetInt64());
        Assert.Equal(repurchased, cohort.GetProperty("repurchased").GetInt64());
    }
}
