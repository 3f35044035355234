using System.Net;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Customers;

public sealed class BackpressureTests
{
    [Fact]
    public async Task Batch_BeyondTheBacklogLimit_Gets429WithRetryAfter_AndStoresNothing()
    {
        // A backlog of 5 events: a batch of 6 can never fit, so the answer does not depend on timing.
        await using var app = await FlywheelApp.StartAsync(new Dictionary<string, string?> { ["Flywheel:Ingest:MaxBacklog"] = "5" });
        var events = Enumerable.Range(1, 6).Select(i => (object)new { event_id = $"e{i}", type = "page_view", customer_id = "c1" }).ToArray();

        var response = await app.PostEventsAsync(events);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.True(response.Headers.RetryAfter!.Delta!.Value > TimeSpan.Zero);
        var problem = await FlywheelApp.ReadJsonAsync(response);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        var stats = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(
            "/api/v1/events/stats?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"));
        Assert.Equal(0, stats.GetProperty("total").GetInt64());

        // Within the limit the same workspace is served normally.
        Assert.Equal(HttpStatusCode.OK, (await app.PostEventsAsync(events[..3])).StatusCode);
    }
}
