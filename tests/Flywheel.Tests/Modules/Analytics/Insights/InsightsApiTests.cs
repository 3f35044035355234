using System.Globalization;
using System.Net;
using System.Text.Json;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Analytics.Insights;

/// <summary>
/// The insights API over small Shanghai shops built through the API, every expected value worked out by hand. "Now" is
/// Monday 23 November 2026 12:00 local (04:00 UTC).
/// </summary>
public sealed class InsightsApiTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Explain_FollowsAFallInGmv_ToThePaymentStep_InFeedAds_AmongFirstOrders()
    {
        await using var app = await StartAsync();
        // c2 and c4 bought in October, so their November orders are repeats.
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("h2", "c2", 100m, "2026-10-01T12:00:00+08:00", "search", "home")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("h4", "c4", 100m, "2026-10-02T12:00:00+08:00", "search", "home")));
        // Week of 9–15 Nov: 4 visitors; 4 orders placed and paid, two first orders from feed ads and two repeats from search.
        await Ok(app.PostEventsAsync(PageViews("2026-11-10T10:00:00+08:00", "a1", "a2", "a3", "a4")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("p1", "c1", 100m, "2026-11-10T12:00:00+08:00", "feed_ads", "beauty")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("p3", "c3", 100m, "2026-11-11T12:00:00+08:00", "feed_ads", "beauty")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("p2", "c2", 100m, "2026-11-12T12:00:00+08:00", "search", "home")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("p4", "c4", 100m, "2026-11-13T12:00:00+08:00", "search", "home")));
        // Week of 16–22 Nov: 4 visitors, 4 orders placed, but the two new feed-ads customers never pay.
        await Ok(app.PostEventsAsync(PageViews("2026-11-17T10:00:00+08:00", "a5", "a6", "a7", "a8")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("n5", "c5", 100m, "2026-11-17T12:00:00+08:00", "feed_ads", "beauty", "placed")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("n6", "c6", 100m, "2026-11-18T12:00:00+08:00", "feed_ads", "beauty", "placed")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("n2", "c2", 100m, "2026-11-19T12:00:00+08:00", "search", "home")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("n4", "c4", 100m, "2026-11-20T12:00:00+08:00", "search", "home")));
        await WaitForProjectionsAsync(app);

        var e = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/analytics/insights/explain?metric=gmv&from=2026-11-16&to=2026-11-22"));

        // Compared by default with the 7 days before.
        Assert.Equal("2026-11-09", e.GetProperty("compare_from").GetString());
        Assert.Equal("2026-11-15", e.GetProperty("compare_to").GetString());
        // GMV 400.00 → 200.00: −200.00, −50 %.
        Assert.Equal(200.00m, e.GetProperty("current").GetDecimal());
        Assert.Equal(400.00m, e.GetProperty("previous").GetDecimal());
        Assert.Equal(-200.00m, e.GetProperty("change").GetDecimal());
        Assert.Equal(-0.5, e.GetProperty("relative_change").GetDouble());
        // UV 4 → 4, order rate 4/4 → 4/4, AOV 100 → 100 unchanged; payment rate 4/4 = 1 → 2/4 = 0.5 carries it all:
        // L(200, 400) × ln 0.5 = (−200 / ln 0.5) × ln 0.5 = −200.
        var factors = e.GetProperty("factors").EnumerateArray().ToDictionary(f => f.GetProperty("factor").GetString()!);
        Assert.Equal(0m, factors["uv"].GetProperty("contribution").GetDecimal());
        Assert.Equal(0m, factors["order_rate"].GetProperty("contribution").GetDecimal());
        Assert.Equal(-200.00m, factors["payment_rate"].GetProperty("contribution").GetDecimal());
        Assert.Equal(0.5m, factors["payment_rate"].GetProperty("current").GetDecimal());
        Assert.Equal(0m, factors["aov"].GetProperty("contribution").GetDecimal());
        // By customer type: first orders 200 → 0, repeats 200 → 200.
        var types = e.GetProperty("dimensions").EnumerateArray().Single(d => d.GetProperty("dimension").GetString() == "customer_type")
            .GetProperty("values").EnumerateArray().ToList();
        Assert.Equal("first_order", types[0].GetProperty("value").GetString());
        Assert.Equal(-200.00m, types[0].GetProperty("change").GetDecimal());
        Assert.Equal("repeat", types[1].GetProperty("value").GetString());
        Assert.Equal(0m, types[1].GetProperty("change").GetDecimal());
        // The drill path.
        var path = e.GetProperty("path").EnumerateArray()
            .Select(s => $"{s.GetProperty("kind").GetString()}:{s.GetProperty("name").GetString()}={s.GetProperty("value").GetString()}").ToList();
        Assert.Equal(["metric:gmv=", "factor:payment_rate=", "dimension:channel=feed_ads", "within:customer_type=first_order"], path);

        // Paid orders 4 → 2, in orders.
        var orders = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/analytics/insights/explain?metric=paid_orders&from=2026-11-16&to=2026-11-22"));
        Assert.Equal(-2m, orders.GetProperty("change").GetDecimal());
        Assert.Equal(-2m, orders.GetProperty("factors").EnumerateArray().Single(f => f.GetProperty("factor").GetString() == "payment_rate")
            .GetProperty("contribution").GetDecimal());
    }

    [Fact]
    public async Task Anomalies_FlagADayWithoutOrders_ButNotTheDouble11Peak()
    {
        await using var app = await StartAsync();
        // One order of 100.00 a day at noon from 14 Sep (8 weeks before 9 Nov) to 22 Nov; five on 11 Nov; none on 18 Nov.
        for (var day = new DateOnly(2026, 9, 14); day <= new DateOnly(2026, 11, 22); day = day.AddDays(1))
        {
            var count = day == new DateOnly(2026, 11, 11) ? 5 : day == new DateOnly(2026, 11, 18) ? 0 : 1;
            for (var i = 0; i < count; i++)
            {
                await Ok(app.PostJsonAsync("/api/v1/orders", Order($"o{day:MMdd}-{i}", "c1", 100m, $"{day:yyyy-MM-dd}T12:00:00+08:00", "search", "home")));
            }
        }
        await WaitForProjectionsAsync(app);

        var a = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/analytics/insights/anomalies?from=2026-11-09&to=2026-11-22"));

        // Wednesday 18 Nov: GMV 0 against the 100.00 of each of the Wednesdays 14 Oct, 7 Oct, 30 Sep and 23 Sep (those from
        // 21 Oct to 11 Nov are in 双11's season, 20 Oct – 15 Nov, and left out): no spread at all, so the score is infinite
        // (null) and the change −100 %. The same for paid orders (1 → 0).
        var alarms = a.GetProperty("anomalies").EnumerateArray().ToList();
        Assert.Equal(["gmv", "paid_orders"], alarms.Select(x => x.GetProperty("metric").GetString()));
        Assert.All(alarms, x => Assert.Equal("2026-11-18", x.GetProperty("date").GetString()));
        Assert.Equal(0m, alarms[0].GetProperty("value").GetDecimal());
        Assert.Equal(100.00m, alarms[0].GetProperty("expected").GetDecimal());
        Assert.Equal(JsonValueKind.Null, alarms[0].GetProperty("score").ValueKind);
        Assert.Equal(-1, alarms[0].GetProperty("relative_change").GetDouble());
        Assert.Equal("down", alarms[0].GetProperty("direction").GetString());
        // 11 Nov sold 500.00 against 100.00: outside its baseline, but a festival, not an alarm.
        var gmvDays = a.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "gmv").GetProperty("days").EnumerateArray().ToList();
        var peak = gmvDays.Single(d => d.GetProperty("date").GetString() == "2026-11-11");
        Assert.Equal("festival", peak.GetProperty("status").GetString());
        Assert.Equal("double_11", peak.GetProperty("festival").GetString());
        Assert.Equal(500.00m, peak.GetProperty("value").GetDecimal());
        // AOV has no value on a day without orders.
        var aov = a.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "aov").GetProperty("days").EnumerateArray();
        Assert.Equal("no_value", aov.Single(d => d.GetProperty("date").GetString() == "2026-11-18").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("metric=visits", "metric")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=2026-11-10&to=2026-11-01", "from")]
    [InlineData("compare_from=2026-11-01", "compare_to")]
    [InlineData("from=2026-11-16&to=2026-11-22&compare_from=2026-11-15&compare_to=2026-11-01", "compare_from")]
    public async Task Explain_BadInput_IsAProblemWithAFieldError(string query, string field)
    {
        await using var app = await StartAsync();

        var response = await app.Client.GetAsync($"/api/v1/analytics/insights/explain?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("from=2026-01-01&to=2026-11-01", "to")]
    [InlineData("to=yesterday", "to")]
    public async Task Anomalies_BadInput_IsAProblemWithAFieldError(string query, string field)
    {
        await using var app = await StartAsync();

        var response = await app.Client.GetAsync($"/api/v1/analytics/insights/anomalies?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    private static object[] PageViews(string at, params string[] visitors) =>
        visitors.Select(v => (object)new { event_id = $"pv-{v}", type = "page_view", anonymous_id = v, timestamp = at }).ToArray();

    /// <summary>A one-line order; paid ones are placed ten minutes before <paramref name="at"/>, others at it.</summary>
    internal static object Order(string id, string customer, decimal total, string at, string channel, string category, string status = "paid")
    {
        var time = DateTimeOffset.Parse(at, CultureInfo.InvariantCulture);
        var placed = status == "paid" ? time.AddMinutes(-10) : time;
        return new
        {
            order_id = id,
            customer_id = customer,
            status,
            channel,
            lines = new[] { new { sku = "SKU-1", quantity = 1, price = total, category } },
            total,
            placed_at = placed.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            paid_at = status == "paid" ? at : null,
        };
    }

    private static async Task<FlywheelApp> StartAsync() =>
        await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));

    internal static async Task WaitForProjectionsAsync(FlywheelApp app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
        await app.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
    }

    internal static async Task Ok(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
