using System.Net;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Customers;

public sealed class IngestBatchTests
{
    [Fact]
    public async Task Batch_SentTwice_IsStoredOnce()
    {
        await using var app = await FlywheelApp.StartAsync();
        var events = Enumerable.Range(1, 5).Select(i => new
        {
            event_id = $"e{i}",
            type = "page_view",
            customer_id = "c1",
            timestamp = $"2026-11-11T0{i}:00:00+08:00",
            properties = new { url = $"/p/{i}" },
        }).ToArray<object>();

        var first = await FlywheelApp.ReadJsonAsync(await app.PostEventsAsync(events));
        var second = await FlywheelApp.ReadJsonAsync(await app.PostEventsAsync(events));

        Assert.Equal(5, first.GetProperty("stored").GetInt32());
        Assert.Equal(0, second.GetProperty("stored").GetInt32());
        Assert.Equal(5, second.GetProperty("duplicates").GetInt32());
        var stats = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(
            "/api/v1/events/stats?from=2026-11-10T00:00:00Z&to=2026-11-12T00:00:00Z"));
        Assert.Equal(5, stats.GetProperty("total").GetInt64());
        Assert.Equal(5, stats.GetProperty("by_type").GetProperty("page_view").GetInt64());
    }

    [Fact]
    public async Task Duplicates_AcrossRestart_AreStoredOnce()
    {
        await using var app = await FlywheelApp.StartAsync();
        var e = new { event_id = "same", type = "search", customer_id = "c1", timestamp = "2026-11-11T00:00:00Z" };
        Assert.Equal(HttpStatusCode.OK, (await app.PostEventsAsync(e)).StatusCode);

        await app.RestartAsync();
        var again = await FlywheelApp.ReadJsonAsync(await app.PostEventsAsync(e));

        Assert.Equal(1, again.GetProperty("duplicates").GetInt32());
        var timeline = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/customers/c1/events"));
        Assert.Equal(1, timeline.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Batch_WithSomeInvalidEvents_StoresTheValidOnesAndNamesTheOthers()
    {
        await using var app = await FlywheelApp.StartAsync();
        var response = await app.PostEventsAsync(
            new { event_id = "ok", type = "page_view", anonymous_id = "a1" },
            new { event_id = "no-who", type = "page_view" },
            new { event_id = "bad-time", type = "page_view", customer_id = "c1", timestamp = "yesterday" },
            new { event_id = "bad-amount", type = "order_paid", customer_id = "c1", properties = new { order_id = "o1", amount = 199.505 } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await FlywheelApp.ReadJsonAsync(response);
        Assert.Equal(1, body.GetProperty("stored").GetInt32());
        var rejected = body.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.True(rejected[0].GetProperty("errors").TryGetProperty("customer_id", out _));
        Assert.True(rejected[1].GetProperty("errors").TryGetProperty("timestamp", out _));
        Assert.True(rejected[2].GetProperty("errors").TryGetProperty("properties.amount", out _));
    }

    [Fact]
    public async Task Batch_WithoutKey_IsUnauthorized()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var anonymous = app.CreateClient();
        var response = await anonymous.PostAsync("/api/v1/events/batch", new StringContent("{\"events\":[]}"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PublicKey_CannotReadEvents()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = app.CreateClient(app.PublicKey);
        var response = await client.GetAsync("/api/v1/customers/c1/events");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Timestamps_WithOffsetZOrNoOffset_AreTheSameInstantInUtc()
    {
        await using var app = await FlywheelApp.StartAsync();
        // 20:00 in Shanghai is 12:00 UTC; a time without an offset is read as UTC.
        await app.PostEventsAsync(
            new { event_id = "t1", type = "page_view", customer_id = "tz", timestamp = "2026-11-11T20:00:00.123+08:00" },
            new { event_id = "t2", type = "page_view", customer_id = "tz", timestamp = "2026-11-11T12:00:00.123Z" },
            new { event_id = "t3", type = "page_view", customer_id = "tz", timestamp = "2026-11-11 12:00:00.123" });

        var timeline = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/customers/tz/events"));

        var expected = new DateTime(2026, 11, 11, 12, 0, 0, 123, DateTimeKind.Utc);
        var times = timeline.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("timestamp").GetDateTime().ToUniversalTime()).ToList();
        Assert.Equal([expected, expected, expected], times);
    }
}
