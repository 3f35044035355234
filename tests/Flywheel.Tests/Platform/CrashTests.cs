using System.Collections.Concurrent;
using System.Text.Json;
using Flywheel.Platform.Api;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Platform;

/// <summary>
/// SPEC §6: nothing acknowledged is ever lost, and duplicates are stored once — checked against the real host killed
/// with SIGKILL while batches are in flight, then restarted on the same data.
/// </summary>
public sealed class CrashTests
{
    private const int Senders = 3;
    private const int EventsPerBatch = 200;
    private const int Customers = 20;
    /// <summary>Acknowledged batches before the kill: enough that loads into the event store are under way too.</summary>
    private const int KillAfterAckedBatches = 25;
    private static readonly string[] Types = ["page_view", "search", "add_to_cart"];
    private static readonly DateTime Day = new(2026, 11, 11, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task KillNine_WhileIngesting_LosesNoAcknowledgedEvent_AndResendingEverythingStoresEachOnce()
    {
        var dataDir = Directory.CreateTempSubdirectory("flywheel-crash-").FullName;
        var publicKey = "fw_pk_" + Guid.NewGuid().ToString("N");
        var secretKey = "fw_sk_" + Guid.NewGuid().ToString("N");
        // Both starts use the same stores: the data directory's, or on the production run the same databases.
        var stores = await FlywheelApp.OwnStoresAsync();
        try
        {
            var attempted = new ConcurrentBag<object[]>();
            var attemptedIds = new ConcurrentDictionary<string, byte>();
            var acked = new ConcurrentDictionary<string, byte>();

            await using (var host = await FlywheelProcess.StartAsync(dataDir, publicKey, secretKey, stores))
            {
                using var client = host.CreateClient(publicKey);
                var ackedBatches = 0;
                var inFlight = 0;
                var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

                async Task SendUntilKilledAsync(int sender)
                {
                    for (var batch = 0; !killed.Task.IsCompleted; batch++)
                    {
                        var events = Batch(sender, batch);
                        attempted.Add(events);
                        foreach (var id in Ids(events))
                        {
                            attemptedIds.TryAdd(id, 0);
                        }
                        Interlocked.Increment(ref inFlight);
                        try
                        {
                            using var response = await client.PostAsJsonAsync("/api/v1/events/batch", new { events }, ApiJson.Options);
                            if (!response.IsSuccessStatusCode)
                            {
                                continue;
                            }
                            var body = await FlywheelApp.ReadJsonAsync(response);
                            Assert.Equal(0, body.GetProperty("rejected").GetArrayLength());
                            foreach (var id in Ids(events))
                            {
                                acked.TryAdd(id, 0);
                            }
                            Interlocked.Increment(ref ackedBatches);
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                        {
                            // The host died under this request: it was never acknowledged.
                            return;
                        }
                        finally
                        {
                            Interlocked.Decrement(ref inFlight);
                        }
                    }
                }

                async Task KillMidStreamAsync()
                {
                    // Kill once enough is acknowledged and at least one request is on the wire (polled every millisecond).
                    while (Volatile.Read(ref ackedBatches) < KillAfterAckedBatches || Volatile.Read(ref inFlight) == 0)
                    {
                        await Task.Delay(1);
                    }
                    await host.KillAsync();
                    killed.SetResult();
                }

                var senders = Enumerable.Range(0, Senders).Select(s => Task.Run(() => SendUntilKilledAsync(s))).ToList();
                var killer = KillMidStreamAsync().WaitAsync(TimeSpan.FromMinutes(3));
                await killer;
                await Task.WhenAll(senders).WaitAsync(TimeSpan.FromMinutes(1));
            }

            Assert.True(acked.Count >= KillAfterAckedBatches * EventsPerBatch);
            Assert.True(attemptedIds.Count > acked.Count, "no request was in flight when the host was killed");

            await using (var host = await FlywheelProcess.StartAsync(dataDir, publicKey, secretKey, stores))
            {
                using var reader = host.CreateClient(secretKey);
                var afterCrash = await StoredIdsAsync(reader);
                var lost = acked.Keys.Where(id => !afterCrash.ContainsKey(id)).ToList();
                Assert.True(lost.Count == 0, $"{lost.Count} acknowledged events were lost, e.g. {string.Join(", ", lost.Take(5))}");
                var twice = afterCrash.Where(kv => kv.Value > 1).Select(kv => kv.Key).ToList();
                Assert.True(twice.Count == 0, $"{twice.Count} events are stored more than once, e.g. {string.Join(", ", twice.Take(5))}");
                Assert.All(afterCrash.Keys, id => Assert.True(attemptedIds.ContainsKey(id), $"{id} was never sent"));
                Assert.Equal(afterCrash.Count, await StatsTotalAsync(reader));
                TestContext.Current.TestOutputHelper?.WriteLine(
                    $"sent {attemptedIds.Count} events, {acked.Count} acknowledged before the kill, {afterCrash.Count} stored after restart");

                // Re-send everything, acknowledged or not, as a client retrying after the outage would.
                using var writer = host.CreateClient(publicKey);
                var batches = attempted.ToList();
                var resent = await Task.WhenAll(batches.Chunk(batches.Count / Senders + 1).Select(chunk => Task.Run(async () =>
                {
                    var duplicates = 0;
                    foreach (var events in chunk)
                    {
                        using var response = await writer.PostAsJsonAsync("/api/v1/events/batch", new { events }, ApiJson.Options);
                        Assert.True(response.IsSuccessStatusCode, $"re-send answered {(int)response.StatusCode}");
                        duplicates += (await FlywheelApp.ReadJsonAsync(response)).GetProperty("duplicates").GetInt32();
                    }
                    return duplicates;
                })));
                Assert.Equal(afterCrash.Count, resent.Sum());

                var afterResend = await StoredIdsAsync(reader);
                Assert.Equal(attemptedIds.Keys.Order(StringComparer.Ordinal), afterResend.Keys.Order(StringComparer.Ordinal));
                Assert.All(afterResend, kv => Assert.Equal(1, kv.Value));
                Assert.Equal(attemptedIds.Count, await StatsTotalAsync(reader));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean from the temp directory.
            }
        }
    }

    /// <summary>Event ids are unique per (sender, batch, index); customers and types cycle so timelines share the load.</summary>
    private static object[] Batch(int sender, int batch) => Enumerable.Range(0, EventsPerBatch).Select(i => (object)new
    {
        event_id = $"s{sender}-b{batch}-e{i}",
        type = Types[i % Types.Length],
        customer_id = $"crash-c{(batch * EventsPerBatch + i) % Customers}",
        timestamp = Day.AddMilliseconds((sender * 100_000 + batch) * EventsPerBatch + i).ToString("O"),
        properties = new { n = i },
    }).ToArray();

    private static IEnumerable<string> Ids(object[] events) =>
        events.Select(e => (string)e.GetType().GetProperty("event_id")!.GetValue(e)!);

    /// <summary>Every stored event id of the test's customers, with how many times it is stored.</summary>
    private static async Task<Dictionary<string, int>> StoredIdsAsync(HttpClient client)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < Customers; c++)
        {
            string? cursor = null;
            do
            {
                var url = $"/api/v1/customers/crash-c{c}/events?limit=500" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
                var page = await FlywheelApp.ReadJsonAsync(await client.GetAsync(url));
                foreach (var e in page.GetProperty("items").EnumerateArray())
                {
                    var id = e.GetProperty("event_id").GetString()!;
                    counts[id] = counts.GetValueOrDefault(id) + 1;
                }
                var next = page.GetProperty("next_cursor");
                cursor = next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            while (cursor is not null);
        }
        return counts;
    }

    private static async Task<long> StatsTotalAsync(HttpClient client)
    {
        var stats = await FlywheelApp.ReadJsonAsync(await client.GetAsync(
            $"/api/v1/events/stats?from={Day:yyyy-MM-dd}T00:00:00Z&to={Day.AddDays(2):yyyy-MM-dd}T00:00:00Z"));
        var byType = stats.GetProperty("by_type").EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.Equal(stats.GetProperty("total").GetInt64(), byType);
        return stats.GetProperty("total").GetInt64();
    }
}
