using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Flywheel.Platform.Api;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Platform;

/// <summary>
/// Two `flywheel serve` processes on the same PostgreSQL, ClickHouse and Redis, both taking events — some batches sent
/// to both at once, as a client retrying through a load balancer does — and one killed with SIGKILL mid-stream. What
/// must hold: every acknowledged event is stored exactly once, under gap-free sequence numbers; the projections run on
/// one node at a time, and the surviving node takes them over within a lease's lifetime; after the killed node comes
/// back, what it had acknowledged but not loaded is stored too. Only meaningful on the production stores (the embedded
/// ones belong to one process), hence only in this project.
/// </summary>
public sealed class TwoNodeTests
{
    private const int Senders = 4;
    private const int EventsPerBatch = 50;
    private const int Customers = 40;
    private const int BatchesBeforeKill = 40;
    private const int BatchesAfterKill = 10;
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(3);
    private static readonly DateTime Day = new(2026, 11, 11, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task TwoNodes_OneKilledMidStream_StoreEveryAcknowledgedEventOnce_AndTheOtherTakesOverTheProjections()
    {
        var settings = await FlywheelApp.OwnStoresAsync();
        settings["Flywheel:Cluster:LeaseTtl"] = LeaseTtl.ToString("c", CultureInfo.InvariantCulture);
        settings["Logging:LogLevel:Flywheel.Platform.Cluster"] = "Information";
        var clickhouse = await ClickHouseServer.OneNode();
        var eventsTable = new Uri(settings["Flywheel:Stores:Events"]!).AbsolutePath.Trim('/') + ".events";
        var publicKey = "fw_pk_" + Guid.NewGuid().ToString("N");
        var secretKey = "fw_sk_" + Guid.NewGuid().ToString("N");
        var dirA = Directory.CreateTempSubdirectory("flywheel-node-a-").FullName;
        var dirB = Directory.CreateTempSubdirectory("flywheel-node-b-").FullName;

        var attempted = new ConcurrentDictionary<string, byte>();
        var acked = new ConcurrentDictionary<string, byte>();
        var ackedOrders = new ConcurrentDictionary<string, decimal>();
        var ackedOrdersByB = new ConcurrentDictionary<string, decimal>();

        // Node A starts alone, so it holds the projections' leases when B joins.
        await using var a = await FlywheelProcess.StartAsync(dirA, publicKey, secretKey, settings);
        await WaitUntilAsync(() => a.Output.Contains("took the lease projection:orders", StringComparison.Ordinal), "A to take the orders lease");
        await using var b = await FlywheelProcess.StartAsync(dirB, publicKey, secretKey, settings);
        using var toA = a.CreateClient(publicKey);
        using var toB = b.CreateClient(publicKey);

        async Task<bool> SendAsync(HttpClient client, object[] events, bool byB)
        {
            try
            {
                using var response = await client.PostAsJsonAsync("/api/v1/events/batch", new { events }, ApiJson.Options);
                if (!response.IsSuccessStatusCode)
                {
                    return false;
                }
                foreach (var e in events)
                {
                    var (id, order, amount) = Describe(e);
                    acked.TryAdd(id, 0);
                    if (order is not null)
                    {
                        ackedOrders[order] = amount;
                        if (byB)
                        {
                            ackedOrdersByB[order] = amount;
                        }
                    }
                }
                return true;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                return false; // The node died under this request: not acknowledged.
            }
        }

        var ackedBatches = 0;
        var aKilled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task SendBeforeKillAsync(int sender)
        {
            for (var batch = 0; !aKilled.Task.IsCompleted; batch++)
            {
                var events = Batch(sender, batch);
                foreach (var e in events)
                {
                    attempted.TryAdd(Describe(e).Id, 0);
                }
                var viaA = (sender + batch) % 2 == 0;
                // Every third batch goes to both nodes at once: the same events in flight on two nodes.
                var sends = batch % 3 == 0
                    ? [SendAsync(toA, events, false), SendAsync(toB, events, true)]
                    : new[] { viaA ? SendAsync(toA, events, false) : SendAsync(toB, events, true) };
                if ((await Task.WhenAll(sends)).Any(ok => ok))
                {
                    Interlocked.Increment(ref ackedBatches);
                }
            }
        }

        var senders = Enumerable.Range(0, Senders).Select(s => Task.Run(() => SendBeforeKillAsync(s))).ToList();
        while (Volatile.Read(ref ackedBatches) < BatchesBeforeKill)
        {
            await Task.Delay(1);
        }
        var bOutputBeforeKill = b.Output;
        await a.KillAsync();
        aKilled.SetResult();
        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.DoesNotContain("took the lease projection:", bOutputBeforeKill, StringComparison.Ordinal);

        // A is down: B alone takes events, and must take over the projections to make its orders visible.
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            for (var batch = 10_000; batch < 10_000 + BatchesAfterKill; batch++)
            {
                var events = Batch(sender, batch);
                foreach (var e in events)
                {
                    attempted.TryAdd(Describe(e).Id, 0);
                }
                Assert.True(await SendAsync(toB, events, true), "B refused a batch while A was down");
            }
        })));
        using var readB = b.CreateClient(secretKey);
        await WaitUntilAsync(async () => await AllVisibleAsync(readB, ackedOrdersByB), "B to project its orders after taking over");
        Assert.Contains("took the lease projection:orders", b.Output, StringComparison.Ordinal);
        Assert.Contains("took the lease projection:customers.profiles", b.Output, StringComparison.Ordinal);

        // A comes back on its data: what it acknowledged but had not loaded is loaded now.
        await using var a2 = await FlywheelProcess.StartAsync(dirA, publicKey, secretKey, settings);
        using var readA = a2.CreateClient(secretKey);
        var stored = new Dictionary<string, long>();
        await WaitUntilAsync(async () =>
        {
            stored = await StoredAsync(clickhouse, eventsTable);
            return acked.Keys.All(stored.ContainsKey);
        }, "every acknowledged event to be stored");

        var twice = stored.Where(kv => kv.Value > 1).Select(kv => kv.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} events are stored more than once, e.g. {string.Join(", ", twice.Take(5))}");
        Assert.All(stored.Keys, id => Assert.True(attempted.ContainsKey(id), $"{id} was never sent"));
        var seqs = (await clickhouse.QueryAsync($"SELECT min(seq), max(seq), count() FROM {eventsTable}")).Trim().Split('\t');
        Assert.Equal(["1", stored.Count.ToString(CultureInfo.InvariantCulture), stored.Count.ToString(CultureInfo.InvariantCulture)], seqs);

        // Every acknowledged order is projected once, with its amount, and both nodes answer alike.
        await WaitUntilAsync(async () => await AllVisibleAsync(readA, ackedOrders) && await AllVisibleAsync(readB, ackedOrders),
            "every acknowledged order to be projected");
        var storedOrders = long.Parse(await clickhouse.QueryAsync(
            $"SELECT uniqExact(visitParamExtractString(properties, 'order_id')) FROM {eventsTable} WHERE type = 'order_paid'"), CultureInfo.InvariantCulture);
        Assert.Equal(storedOrders, await CountOrdersAsync(readA));

        // A retry of stored events through either node is answered as duplicates.
        using var writeA = a2.CreateClient(publicKey);
        foreach (var (client, sender) in new[] { (writeA, 0), (toB, 1) })
        {
            using var response = await client.PostAsJsonAsync("/api/v1/events/batch", new { events = Batch(sender, 10_000) }, ApiJson.Options);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(EventsPerBatch, (await FlywheelApp.ReadJsonAsync(response)).GetProperty("duplicates").GetInt32());
        }
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"sent {attempted.Count} events, acknowledged {acked.Count}, stored {stored.Count}; {ackedOrders.Count} orders acknowledged");
    }

    [Fact]
    public async Task TwoNodes_StartedAtOnceOnNewStores_BothServe_OneFirstWorkspace()
    {
        var settings = await FlywheelApp.OwnStoresAsync();
        var publicKey = "fw_pk_" + Guid.NewGuid().ToString("N");
        var secretKey = "fw_sk_" + Guid.NewGuid().ToString("N");
        var dirs = new[] { "a", "b" }.Select(n => Directory.CreateTempSubdirectory($"flywheel-node-{n}-").FullName).ToList();

        var nodes = await Task.WhenAll(dirs.Select(d => FlywheelProcess.StartAsync(d, publicKey, secretKey, settings)));
        try
        {
            var workspaces = new List<string>();
            foreach (var node in nodes)
            {
                using var client = node.CreateClient(secretKey);
                var workspace = await FlywheelApp.ReadJsonAsync(await client.GetAsync("/api/v1/workspace"));
                workspaces.Add(workspace.GetProperty("id").GetString()!);
            }
            Assert.Single(workspaces.Distinct());
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>Unique ids per (sender, batch, index); one order per batch, paid with an amount in cents that varies.</summary>
    private static object[] Batch(int sender, int batch) => Enumerable.Range(0, EventsPerBatch).Select(i => i == 0
        ? (object)new
        {
            event_id = $"n{sender}-b{batch}-e{i}",
            type = "order_paid",
            customer_id = $"node-c{(batch + sender) % Customers}",
            timestamp = Day.AddSeconds(batch * 10 + sender).ToString("O"),
            properties = new { order_id = $"O-{sender}-{batch}", amount = OrderAmount(sender, batch), currency = "CNY" },
        }
        : new
        {
            event_id = $"n{sender}-b{batch}-e{i}",
            type = "page_view",
            customer_id = $"node-c{(batch * EventsPerBatch + i) % Customers}",
            timestamp = Day.AddSeconds(batch * 10 + sender).AddMilliseconds(i).ToString("O"),
            properties = new { url = $"/p/{i}" },
        }).ToArray();

    private static decimal OrderAmount(int sender, int batch) => 10m + sender + (batch % 97) + 0.25m;

    private static (string Id, string? Order, decimal Amount) Describe(object e)
    {
        var type = e.GetType();
        var id = (string)type.GetProperty("event_id")!.GetValue(e)!;
        var parts = id.Split('-');
        var sender = int.Parse(parts[0][1..], CultureInfo.InvariantCulture);
        var batch = int.Parse(parts[1][1..], CultureInfo.InvariantCulture);
        return parts[2] == "e0" ? (id, $"O-{sender}-{batch}", OrderAmount(sender, batch)) : (id, null, 0);
    }

    private static async Task<bool> AllVisibleAsync(HttpClient reader, IReadOnlyDictionary<string, decimal> orders)
    {
        foreach (var (order, amount) in orders)
        {
            using var response = await reader.GetAsync($"/api/v1/orders/{order}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(amount, (await FlywheelApp.ReadJsonAsync(response)).GetProperty("total").GetDecimal());
        }
        return true;
    }

    private static async Task<long> CountOrdersAsync(HttpClient reader)
    {
        long count = 0;
        string? cursor = null;
        do
        {
            var page = await FlywheelApp.ReadJsonAsync(await reader.GetAsync(
                "/api/v1/orders?limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))));
            count += page.GetProperty("items").GetArrayLength();
            var next = page.GetProperty("next_cursor");
            cursor = next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return count;
    }

    /// <summary>Every stored event id with how many rows it has, read from ClickHouse behind Flywheel's back.</summary>
    private static async Task<Dictionary<string, long>> StoredAsync(ClickHouseServer clickhouse, string table)
    {
        var answer = await clickhouse.QueryAsync($"SELECT event_id, count() FROM {table} GROUP BY event_id");
        return answer.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => long.Parse(f[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    private static Task WaitUntilAsync(Func<bool> done, string what) => WaitUntilAsync(() => Task.FromResult(done()), what);

    /// <summary>Polls until <paramref name="done"/>; fails after a bound well above a lease's lifetime plus a load.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
