using System.Net;
using System.Text.Json;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Analytics;

/// <summary>
/// Attribution through the API: the shop's own orders against the visits before them, and paths brought in the
/// ChannelAttribution layout. Expected credits are worked out by hand in the comments.
/// </summary>
public sealed class AttributionApiTests
{
    [Fact]
    public async Task OrdersOfTheShop_AreCreditedToTheVisitsBeforeThem_UnderEachModel()
    {
        await using var app = await FlywheelApp.StartAsync();
        await Ok(app.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                // c1: from wechat twice within half an hour (one visit), then from baidu two days later.
                Visit("v1", "c1", null, "2026-11-01T10:00:00Z", "wechat"),
                Visit("v2", "c1", null, "2026-11-01T10:10:00Z", "wechat"),
                Visit("v3", "c1", null, "2026-11-03T10:00:00Z", "baidu"),
                // An anonymous visit from douyin, then the visitor signs in as c2: the visit is c2's.
                Visit("v4", null, "a2", "2026-11-02T09:00:00Z", "douyin"),
                new { event_id = "v5", type = "identify", customer_id = "c2", anonymous_id = "a2", timestamp = "2026-11-02T09:05:00Z" },
                // c3 visits and never orders.
                Visit("v6", "c3", null, "2026-11-06T10:00:00Z", "wechat"),
                // Outside the lookback of every order and after the range: not on any path.
                Visit("v7", "c1", null, "2026-09-01T10:00:00Z", "email"),
            },
        }));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o1", "c1", 100.00m, "2026-11-04T10:00:00Z")));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o2", "c2", 50.00m, "2026-11-05T10:00:00Z")));
        // c4 paid without any visit with a channel: an order no channel can be credited with.
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o4", "c4", 20.00m, "2026-11-05T12:00:00Z")));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await app.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
            await app.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
        }

        using var response = await app.Client.GetAsync("/api/v1/analytics/attribution?from=2026-11-01&to=2026-11-10&lookback_days=30");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await FlywheelApp.ReadJsonAsync(response);
        Assert.Equal(3, body.GetProperty("orders").GetInt32());
        Assert.Equal(1, body.GetProperty("orders_without_touches").GetInt32());
        Assert.Equal(1, body.GetProperty("non_converting_visitors").GetInt32());
        var a = body.GetProperty("attribution");
        // Paths: c1 wechat > baidu → 100.00; c2 douyin → 50.00; c3 wechat → no conversion.
        Assert.Equal(2, a.GetProperty("conversions").GetInt64());
        Assert.Equal(150.00m, a.GetProperty("value").GetDecimal());
        Assert.Equal(["baidu", "douyin", "wechat"], a.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("channel").GetString()));
        Assert.Contains("time_decay", a.GetProperty("models").EnumerateArray().Select(m => m.GetString()));

        AssertCredit(a, "first_touch", ("baidu", 0, 0m), ("douyin", 1, 50.00m), ("wechat", 1, 100.00m));
        AssertCredit(a, "last_touch", ("baidu", 1, 100.00m), ("douyin", 1, 50.00m), ("wechat", 0, 0m));
        // Linear: c1's order split between wechat and baidu.
        AssertCredit(a, "linear", ("baidu", 0.5, 50.00m), ("douyin", 1, 50.00m), ("wechat", 0.5, 50.00m));
        // Markov: start→wechat 2, start→douyin 1; wechat→baidu 1, wechat→null 1; baidu→conv, douyin→conv.
        // P(conv) = 2/3 · 1/2 + 1/3 = 2/3. Removing any one channel leaves 1/3: each removal effect is 1/2, so each
        // channel gets 2 × (1/2) / (3/2) = 2/3 of a conversion and 150.00 / 3 = 50.00.
        AssertCredit(a, "markov", ("baidu", 2.0 / 3, 50.00m), ("douyin", 2.0 / 3, 50.00m), ("wechat", 2.0 / 3, 50.00m));
    }

    [Fact]
    public async Task UploadedPaths_AreAttributed_WithRoiAndRoasFromSpend()
    {
        await using var app = await FlywheelApp.StartAsync();
        const string paths = "path;total_conversions;total_conversion_value;total_null\na > b;1;10;0\nb;1;5;1\n";

        using var response = await app.PostJsonAsync("/api/v1/analytics/attribution/paths",
            new { paths, spend = new Dictionary<string, decimal> { ["a"] = 5m, ["b"] = 10m }, gross_margin = 0.5m });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var a = await FlywheelApp.ReadJsonAsync(response);
        Assert.DoesNotContain("time_decay", a.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        AssertCredit(a, "first_touch", ("a", 1, 10m), ("b", 1, 5m));
        var first = a.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("by_model").GetProperty("first_touch"));
        // ROI = (value × margin − spend) / spend: a (10 × 0.5 − 5) / 5 = 0; b (5 × 0.5 − 10) / 10 = −0.75. ROAS 10/5, 5/10.
        Assert.Equal(0m, first["a"].GetProperty("roi").GetDecimal());
        Assert.Equal(-0.75m, first["b"].GetProperty("roi").GetDecimal());
        Assert.Equal(2m, first["a"].GetProperty("roas").GetDecimal());
        Assert.Equal(0.5m, first["b"].GetProperty("roas").GetDecimal());
    }

    [Theory]
    [InlineData("""{"paths":"path;total_conversions;total_conversion_value;total_null\na > b;x;1;0\n"}""", "paths", "line 2")]
    [InlineData("""{"paths":"path;total_conversions;total_conversion_value;total_null\na;1;1;0\n","spend":{"a":5}}""", "gross_margin", "required")]
    [InlineData("""{"paths":"path;total_conversions;total_conversion_value;total_null\na;1;1;0\n","spend":{"a":-1},"gross_margin":0.5}""", "spend.a", "0 or more")]
    [InlineData("""{}""", "paths", "required")]
    public async Task BadUploads_AreRefusedNamingTheProblem(string body, string field, string says)
    {
        await using var app = await FlywheelApp.StartAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await app.Client.PostAsync("/api/v1/analytics/attribution/paths", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors");
        Assert.Contains(errors.GetProperty(field).EnumerateArray(), e => e.GetString()!.Contains(says, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadRanges_AreRefused()
    {
        await using var app = await FlywheelApp.StartAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.GetAsync("/api/v1/analytics/attribution?from=2026-11-10&to=2026-11-01")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.GetAsync("/api/v1/analytics/attribution?lookback_days=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.GetAsync("/api/v1/analytics/attribution?from=11/01/2026")).StatusCode);
    }

    private static object Visit(string id, string? customer, string? anonymous, string at, string channel) =>
        new { event_id = id, type = "page_view", customer_id = customer, anonymous_id = anonymous, timestamp = at, context = new { utm_source = channel } };

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

    private static void AssertCredit(JsonElement attribution, string model, params (string Channel, double Conversions, decimal Value)[] expected)
    {
        var byChannel = attribution.GetProperty("channels").EnumerateArray()
            .ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("by_model").GetProperty(model));
        foreach (var (channel, conversions, value) in expected)
        {
            Assert.Equal(conversions, byChannel[channel].GetProperty("conversions").GetDouble(), 9);
            Assert.Equal(value, byChannel[channel].GetProperty("value").GetDecimal());
        }
    }

    private static async Task Ok(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
