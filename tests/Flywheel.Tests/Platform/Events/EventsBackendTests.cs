using Flywheel.Platform.Events;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Platform.Events;

/// <summary>Flywheel:Stores:Events picks where events live; the whole host runs on ClickHouse as on DuckDB.</summary>
public sealed class EventsBackendTests
{
    [Fact]
    public async Task Host_OnClickHouse_IngestsOnce_AcrossRestarts_AndReadsAsOnDuckDb()
    {
        var server = await ClickHouseServer.OneNode();
        var uri = await server.NewDatabaseAsync();
        await using var clickhouse = await FlywheelApp.StartAsync(new Dictionary<string, string?> { [EventStores.Setting] = uri });
        await using var duckdb = await FlywheelApp.StartAsync();
        object[] first =
        [
            new { event_id = "v-1", type = "page_view", anonymous_id = "a-1", timestamp = "2026-11-11T01:00:00Z" },
            new { event_id = "v-2", type = "product_view", customer_id = "c-1", timestamp = "2026-11-11T02:00:00.250Z", properties = new { sku = "S-1" } },
            new { event_id = "login", type = "identify", anonymous_id = "a-1", customer_id = "c-1", timestamp = "2026-11-11T01:30:00Z" },
        ];
        object[] second =
        [
            new { event_id = "v-1", type = "page_view", anonymous_id = "a-1", timestamp = "2026-11-11T01:00:00Z" },
            new { event_id = "v-3", type = "page_view", customer_id = "c-1", timestamp = "2026-11-11T03:00:00Z", context = new { utm_source = "tab\t'quote'" } },
        ];
        foreach (var app in new[] { clickhouse, duckdb })
        {
            (await app.PostEventsAsync(first)).EnsureSuccessStatusCode();
            await app.RestartAsync();
            (await app.PostEventsAsync([.. second, .. first])).EnsureSuccessStatusCode();
        }
        // Each event once: the dedup index was rebuilt from ClickHouse after the restart.
        Assert.Equal("4\n", await server.QueryAsync($"SELECT count() FROM {ClickHouseEndpoint.Parse(uri).Database}.events"));
        Assert.Equal(await TimelineAsync(duckdb), await TimelineAsync(clickhouse));
        Assert.Equal(["v-3", "v-2", "login", "v-1"], (await TimelineAsync(clickhouse)).Select(e => e.Split('|')[0]));
        Assert.Equal(await StatsAsync(duckdb), await StatsAsync(clickhouse));
    }

    /// <summary>The timeline as ids and payloads, waiting for the identify link written by the profile projection.</summary>
    private static async Task<List<string>> TimelineAsync(FlywheelApp app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var page = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/customers/c-1/events"));
            List<string> items = [.. page.GetProperty("items").EnumerateArray().Select(e =>
                $"{e.GetProperty("event_id").GetString()}|{e.GetProperty("type").GetString()}|{e.GetProperty("timestamp")}|{e.GetProperty("properties")}")];
            if (items.Count >= 4 || DateTime.UtcNow > deadline)
            {
                return items;
            }
            await Task.Delay(50);
        }
    }

    private static async Task<string> StatsAsync(FlywheelApp app) =>
        (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/events/stats?from=2026-11-10T00:00:00Z&to=2026-11-12T00:00:00Z"))).GetRawText();

    [Theory]
    [InlineData("mysql://localhost/events", "scheme")]
    [InlineData("clickhouse://localhost:8123/", "database")]
    [InlineData("clickhouse://a:1,b:2/db", "cluster")]
    [InlineData("clickhouse://127.0.0.1:1/flywheel", "cannot be used")]
    public async Task Start_WithAnUnusableEventsUri_FailsNamingTheSetting(string uri, string reason)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => FlywheelApp.StartAsync(new Dictionary<string, string?> { [EventStores.Setting] = uri }));
        var message = error.ToString();
        Assert.Contains(EventStores.Setting, message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }
}
