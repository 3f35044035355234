using Flywheel.Platform.Events;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Platform.Events;

/// <summary>
/// What every event store must answer, written once and run on each backend (DuckDB, ClickHouse, a two-shard ClickHouse
/// cluster) with the same expected values, worked out by hand from <see cref="Sample"/>.
/// </summary>
public abstract partial class EventStoreContract
{
    /// <summary>A new, empty, initialised store; <paramref name="reuse"/> opens another instance on the same data (a restart).</summary>
    protected abstract Task<IEventStore> OpenAsync(string? reuse = null);

    /// <summary>What <see cref="OpenAsync"/> needs to reopen the last store it made.</summary>
    protected string? Location { get; set; }

    protected static DateTime T(string iso) => DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    protected static EventRecord E(long seq, string ws, string type, string? customer, string? anonymous, string ts,
        string? dedupKey = null, string properties = "{}", EventContext? context = null) => new()
    {
        Seq = seq,
        WorkspaceId = ws,
        EventId = $"e-{seq}",
        DedupKey = dedupKey ?? $"e-{seq}",
        Type = type,
        CustomerId = customer,
        AnonymousId = anonymous,
        Timestamp = T(ts),
        ReceivedAt = T(ts).AddSeconds(3),
        Properties = properties,
        Context = context ?? EventContext.Empty,
    };

    /// <summary>Text that must survive quoting and TabSeparated escaping unchanged.</summary>
    protected const string Awkward = "tab\there, line\nfeed, cr\r, quote ' \" back\\slash \\N 中文 😀";

    /// <summary>Two workspaces; events across a month boundary, a shared device, equal timestamps and awkward text.</summary>
    protected static readonly IReadOnlyList<EventRecord> Sample =
    [
        E(1, "w1", "page_view", null, "a-1", "2026-10-31T23:59:59.999Z"),
        E(2, "w1", "page_view", null, "a-2", "2026-11-01T00:00:00.000Z"),
        E(3, "w1", "identify", "c-1", "a-1", "2026-11-01T01:00:00.000Z"),
        E(4, "w1", "product_view", "c-1", null, "2026-11-01T02:00:00.500Z", properties: """{"sku":"S-1","note":"tab\t ' \\ 中"}""",
            context: new EventContext { Channel = "web", UtmSource = Awkward, Url = "https://shop.example/p?a=1&b='2'", Ip = "" }),
        E(5, "w1", "order_paid", "c-1", null, "2026-11-02T10:00:00.000Z", dedupKey: "order:order_paid:o-1", properties: """{"order_id":"o-1"}"""),
        // Same device as a-1, but another customer signed in: c-2's event, not c-1's.
        E(6, "w1", "page_view", "c-2", "a-1", "2026-11-02T11:00:00.000Z"),
        E(7, "w2", "page_view", "c-1", null, "2026-11-01T02:00:00.000Z"),
        // The same instant as seq 4: the timeline orders ties by seq, newest first.
        E(8, "w1", "page_view", "c-1", null, "2026-11-01T02:00:00.500Z", properties: """{"path":"/x"}"""),
        E(9, "w1", "page_view", null, "a-3", "2026-11-03T00:00:00.000Z"),
        E(10, "w1", "page_view", "c-1", null, "2026-11-03T05:00:00.000Z"),
    ];

    protected async Task<IEventStore> WithSampleAsync()
    {
        var store = await OpenAsync();
        // Two commits, the first of two hand-overs: as the ingest loader does.
        await using (var append = store.BeginAppend())
        {
            append.Append(Sample.Take(3).ToList());
            append.Append(Sample.Skip(3).Take(3).ToList());
            await append.CommitAsync(CancellationToken.None);
        }
        await using (var append = store.BeginAppend())
        {
            append.Append(Sample.Skip(6).ToList());
            await append.CommitAsync(CancellationToken.None);
        }
        return store;
    }

    /// <summary>Every public field of an event (records also compare a cached hash, which says nothing about storage).</summary>
    protected static string Describe(EventRecord e) =>
        $"{e.Seq}|{e.WorkspaceId}|{e.EventId}|{e.DedupKey}|{e.Type}|{e.CustomerId ?? "<null>"}|{e.AnonymousId ?? "<null>"}|" +
        $"{e.Timestamp:O}|{e.Timestamp.Kind}|{e.ReceivedAt:O}|{e.Properties}|{e.Context}|{ReferenceEquals(e.Context, EventContext.Empty)}";

    protected static List<string> Describe(IEnumerable<EventRecord> events) => [.. events.Select(Describe)];

    [Fact]
    public async Task LoadedSeq_IsZeroWhenEmpty_AndTheLastCommittedSeqAfterAppends()
    {
        await using var empty = await OpenAsync();
        Assert.Equal(0, await empty.GetLoadedSeqAsync(CancellationToken.None));
        await using var store = await WithSampleAsync();
        Assert.Equal(10, await store.GetLoadedSeqAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadRange_Everything_ReturnsTheEventsAsAppended_InSeqOrder()
    {
        await using var store = await WithSampleAsync();
        Assert.Equal(Describe(Sample), Describe(await store.ReadRangeAsync(0, 10, EventSelection.Everything, CancellationToken.None)));
        Assert.Equal(Describe(Sample.Where(e => e.Seq is > 3 and <= 7)),
            Describe(await store.ReadRangeAsync(3, 7, EventSelection.Everything, CancellationToken.None)));
    }

    [Fact]
    public async Task ReadRange_WithTypesAndLeanProperties_ReturnsOnlyWhatWasSelected()
    {
        await using var store = await WithSampleAsync();
        var pageViews = await store.ReadRangeAsync(2, 9, new EventSelection(Types: ["page_view"]), CancellationToken.None);
        Assert.Equal([6, 7, 8, 9], pageViews.Select(e => e.Seq));

        var lean = await store.ReadRangeAsync(0, 10, new EventSelection(PropertiesOf: ["product_view"]), CancellationToken.None);
        // Lean: no ids, receipt time = event time, empty context; properties only of product_view (seq 4).
        var expected = Sample.Select(e => e with
        {
            EventId = "",
            DedupKey = "",
            ReceivedAt = e.Timestamp,
            Properties = e.Type == "product_view" ? e.Properties : "{}",
            Context = EventContext.Empty,
        });
        Assert.Equal(Describe(expected), Describe(lean));
    }

    [Fact]
    public async Task Timeline_HoldsTheCustomersEventsAndTheLinkedAnonymousOnes_NewestFirst_TiesBySeq()
    {
        await using var store = await WithSampleAsync();
        async Task<long[]> Seqs(IReadOnlyCollection<string> anonymous, long? before, int limit) =>
            [.. (await store.GetCustomerTimelineAsync("w1", "c-1", anonymous, before, limit, CancellationToken.None)).Select(e => e.Seq)];

        // c-1 in w1: 3, 4, 5, 8, 10; linked a-1 adds seq 1 (anonymous) but not seq 6 (a-1 signed in as c-2); seq 7 is w2.
        Assert.Equal(new long[] { 10, 5, 8, 4, 3, 1 }, await Seqs(["a-1"], null, 50));
        Assert.Equal(new long[] { 10, 5, 8, 4, 3 }, await Seqs([], null, 50));
        Assert.Equal(new long[] { 10, 5 }, await Seqs(["a-1"], null, 2));
        Assert.Equal(new long[] { 5, 4, 3, 1 }, await Seqs(["a-1", "a-unknown"], 8, 50));
        var whole = await store.GetCustomerTimelineAsync("w1", "c-1", ["a-1"], null, 50, CancellationToken.None);
        Assert.Equal(Describe(Sample.Where(e => e.Seq == 4)), Describe(whole.Where(e => e.Seq == 4)));
    }

    [Fact]
    public async Task CountByType_CountsEventsInTheHalfOpenInterval_OfOneWorkspace()
    {
        await using var store = await WithSampleAsync();
        var november = await store.CountByTypeAsync("w1", T("2026-11-01T00:00:00Z"), T("2026-11-03T00:00:00Z"), CancellationToken.None);
        // Seqs 2, 6, 8 page_view; 3 identify; 4 product_view; 5 order_paid. Seq 1 is before, seq 9 at the excluded end.
        Assert.Equal(
            new Dictionary<string, long> { ["identify"] = 1, ["order_paid"] = 1, ["page_view"] = 3, ["product_view"] = 1 },
            november.ToDictionary());
        Assert.Equal(["identify", "order_paid", "page_view", "product_view"], november.Keys);
        // A bound between milliseconds: seq 1 (…59.999) is before 59.9995 and inside from 59.999.
        var afterHalf = await store.CountByTypeAsync("w1", T("2026-10-31T23:59:59.999Z").AddTicks(5000), T("2026-11-01T00:00:00.001Z"), CancellationToken.None);
        Assert.Equal(new Dictionary<string, long> { ["page_view"] = 1 }, afterHalf.ToDictionary());
        var fromMs = await store.CountByTypeAsync("w1", T("2026-10-31T23:59:59.999Z"), T("2026-11-01T00:00:00Z"), CancellationToken.None);
        Assert.Equal(new Dictionary<string, long> { ["page_view"] = 1 }, fromMs.ToDictionary());
        Assert.Empty(await store.CountByTypeAsync("w3", T("2026-01-01T00:00:00Z"), T("2027-01-01T00:00:00Z"), CancellationToken.None));
    }

    [Fact]
    public async Task DistinctVisitors_PerIntervalAndWhole_AVisitorOfTwoIntervalsCountsOnceInTheWhole()
    {
        await using var store = await WithSampleAsync();
        DateTime[] days = [T("2026-10-31T00:00:00Z"), T("2026-11-01T00:00:00Z"), T("2026-11-02T00:00:00Z"), T("2026-11-03T00:00:00Z"), T("2026-11-04T00:00:00Z")];
        var counts = await store.CountDistinctVisitorsAsync("w1", "page_view", days, CancellationToken.None);
        // Oct 31: a-1. Nov 1: a-2, c-1 (seq 8). Nov 2: c-2. Nov 3: a-3 (at midnight, so in Nov 3), c-1 (seq 10).
        // Whole: a-1, a-2, c-1, c-2, a-3 = 5, not 1 + 2 + 1 + 2.
        Assert.Equal([1, 2, 1, 2], counts.PerInterval);
        Assert.Equal(5, counts.Total);

        var one = await store.CountDistinctVisitorsAsync("w1", "page_view", [days[1], days[3]], CancellationToken.None);
        Assert.Equal([3], one.PerInterval);
        Assert.Equal(3, one.Total);
        var none = await store.CountDistinctVisitorsAsync("w1", "sign_up", days, CancellationToken.None);
        Assert.Equal([0, 0, 0, 0], none.PerInterval);
        Assert.Equal(0, none.Total);
    }

    [Fact]
    public async Task DedupHashes_AreThoseOfEveryStoredEvent()
    {
        await using var store = await WithSampleAsync();
        var hashes = new List<UInt128>();
        await store.ForEachDedupHashAsync(hashes.Add, CancellationToken.None);
        Assert.Equal(Sample.Select(e => DedupKeys.Hash(e.WorkspaceId, e.DedupKey)).Order(), hashes.Order());
    }

    [Fact]
    public async Task VisitEvents_AreTheNonOrderEventsOfTheInterval_WithTheirUtmSource_OrderedByVisitorTimeAndSeq()
    {
        await using var store = await OpenAsync();
        EventContext Utm(string source) => new() { Channel = "app", UtmSource = source };
        await using (var append = store.BeginAppend())
        {
            append.Append(
            [
                E(1, "w1", "page_view", "c-1", null, "2026-11-01T00:00:00Z", context: Utm("wechat")),
                E(2, "w1", "product_view", "c-1", null, "2026-11-01T00:05:00Z"),
                E(3, "w1", "page_view", null, "a-9", "2026-11-01T01:00:00Z", context: Utm("baidu")),
                E(4, "w1", "page_view", "c-1", null, "2026-10-31T23:59:59.999Z", context: Utm("x")),
                E(5, "w1", "order_paid", "c-1", null, "2026-11-01T00:06:00Z", dedupKey: "order:order_paid:o-1", properties: """{"order_id":"o-1"}"""),
                E(6, "w2", "page_view", "c-1", null, "2026-11-01T00:00:00Z", context: Utm("wechat")),
                E(7, "w1", "page_view", "c-1", null, "2026-11-01T00:00:00Z", context: Utm("app-push")),
                E(8, "w1", "page_view", "c-2", "a-2", "2026-11-05T00:00:00Z", context: Utm("web")),
                E(9, "w1", "search", "c-2", "a-2", "2026-11-02T00:00:00Z"),
            ]);
            await append.CommitAsync(CancellationToken.None);
        }

        var found = await store.GetVisitEventsAsync("w1", T("2026-11-01T00:00:00Z"), T("2026-11-05T00:00:00Z"), CancellationToken.None);

        // 4 and 8 are outside [1 Nov, 5 Nov), 5 is an order event, 6 another workspace. Visitors without a customer id
        // first; 1 and 7 share an instant and keep their sequence order; events without a UTM source have none.
        Assert.Equal(
        [
            new LeanEvent(null, "a-9", T("2026-11-01T01:00:00Z"), "page_view", "baidu"),
            new LeanEvent("c-1", null, T("2026-11-01T00:00:00Z"), "page_view", "wechat"),
            new LeanEvent("c-1", null, T("2026-11-01T00:00:00Z"), "page_view", "app-push"),
            new LeanEvent("c-1", null, T("2026-11-01T00:05:00Z"), "product_view", null),
            new LeanEvent("c-2", "a-2", T("2026-11-02T00:00:00Z"), "search", null),
        ], found);
    }

    [Fact]
    public async Task DedupHashesBySeq_AreTheHashesStoredUnderThoseNumbers_NumbersNotStoredLeftOut()
    {
        await using var store = await WithSampleAsync();
        var found = await store.GetDedupHashesAsync([2, 7, 11, 0], CancellationToken.None);
        var expected = Sample.Where(e => e.Seq is 2 or 7).ToDictionary(e => e.Seq, e => DedupKeys.Hash(e.WorkspaceId, e.DedupKey));
        Assert.Equal(expected.OrderBy(kv => kv.Key), found.OrderBy(kv => kv.Key));
        Assert.Empty(await store.GetDedupHashesAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task PrepareAppend_OnAStoreWithCompleteCommits_ChangesNothing_AndAnswersTheLastSeq()
    {
        await using var store = await WithSampleAsync();
        Assert.Equal(10, await store.PrepareAppendAsync(CancellationToken.None));
        Assert.Equal(Describe(Sample), Describe(await store.ReadRangeAsync(0, 10, EventSelection.Everything, CancellationToken.None)));
    }

    [Fact]
    public async Task Append_DisposedUncommitted_StoresNothing()
    {
        await using var store = await WithSampleAsync();
        await using (var append = store.BeginAppend())
        {
            append.Append([E(11, "w1", "page_view", "c-9", null, "2026-11-05T00:00:00Z")]);
        }
        Assert.Equal(10, await store.GetLoadedSeqAsync(CancellationToken.None));
        Assert.Empty(await store.ReadRangeAsync(10, 11, EventSelection.Everything, CancellationToken.None));
        Assert.Empty(await store.GetCustomerTimelineAsync("w1", "c-9", [], null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Reopened_TheStoreHoldsTheSameEvents()
    {
        await (await WithSampleAsync()).DisposeAsync();
        await using var store = await OpenAsync(Location);
        Assert.Equal(10, await store.GetLoadedSeqAsync(CancellationToken.None));
        Assert.Equal(Describe(Sample), Describe(await store.ReadRangeAsync(0, 10, EventSelection.Everything, CancellationToken.None)));
    }

    /// <summary>Many generated events, every question asked of this store and of DuckDB: the answers must be equal.</summary>
    [Fact]
    public async Task Answers_OnGeneratedEvents_EqualTheEmbeddedStores()
    {
        var events = Generate(3000);
        await using var store = await OpenAsync();
        var dir = Directory.CreateTempSubdirectory("flywheel-events-").FullName;
        try
        {
            await using var duck = new DuckDbEventStore(Path.Combine(dir, "events.duckdb"));
            await duck.InitializeAsync(CancellationToken.None);
            foreach (var s in new[] { store, duck })
            {
                foreach (var chunk in events.Chunk(700))
                {
                    await using var append = s.BeginAppend();
                    append.Append(chunk);
                    await append.CommitAsync(CancellationToken.None);
                }
            }
            var ct = CancellationToken.None;
            Assert.Equal(await duck.GetLoadedSeqAsync(ct), await store.GetLoadedSeqAsync(ct));
            Assert.Equal(Describe(await duck.ReadRangeAsync(100, 2500, EventSelection.Everything, ct)),
                Describe(await store.ReadRangeAsync(100, 2500, EventSelection.Everything, ct)));
            var lean = new EventSelection(Types: ["page_view", "order_paid", "identify"], PropertiesOf: ["order_paid"]);
            Assert.Equal(Describe(await duck.ReadRangeAsync(0, 3000, lean, ct)), Describe(await store.ReadRangeAsync(0, 3000, lean, ct)));
            for (var c = 0; c < 40; c += 7)
            {
                string[] anonymous = [$"a-{c}", $"a-{c + 1}"];
                Assert.Equal(Describe(await duck.GetCustomerTimelineAsync("w1", $"c-{c}", anonymous, null, 30, ct)),
                    Describe(await store.GetCustomerTimelineAsync("w1", $"c-{c}", anonymous, null, 30, ct)));
                Assert.Equal(Describe(await duck.GetCustomerTimelineAsync("w1", $"c-{c}", anonymous, 1500, 30, ct)),
                    Describe(await store.GetCustomerTimelineAsync("w1", $"c-{c}", anonymous, 1500, 30, ct)));
            }
            var from = T("2026-10-20T00:00:00Z");
            var days = Enumerable.Range(0, 30).Select(d => from.AddDays(d).AddHours(-8)).ToList();
            foreach (var ws in new[] { "w1", "w2" })
            {
                Assert.Equal((await duck.CountByTypeAsync(ws, days[0], days[^1], ct)).ToList(), (await store.CountByTypeAsync(ws, days[0], days[^1], ct)).ToList());
                foreach (var type in new[] { "page_view", "order_paid" })
                {
                    var expected = await duck.CountDistinctVisitorsAsync(ws, type, days, ct);
                    var actual = await store.CountDistinctVisitorsAsync(ws, type, days, ct);
                    Assert.Equal(expected.PerInterval, actual.PerInterval);
                    Assert.Equal(expected.Total, actual.Total);
                }
            }
            var duckHashes = new List<UInt128>();
            var storeHashes = new List<UInt128>();
            await duck.ForEachDedupHashAsync(duckHashes.Add, ct);
            await store.ForEachDedupHashAsync(storeHashes.Add, ct);
            Assert.Equal(duckHashes.Order(), storeHashes.Order());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Deterministic events over six weeks: two workspaces, 40 customers, anonymous visitors, order events, context.</summary>
    private static List<EventRecord> Generate(int count)
    {
        var random = new Random(20261123);
        string[] types = ["page_view", "product_view", "add_to_cart", "order_paid", "identify", "search"];
        var start = T("2026-10-15T00:00:00Z");
        var list = new List<EventRecord>(count);
        for (var seq = 1; seq <= count; seq++)
        {
            var type = types[random.Next(types.Length)];
            var known = random.Next(3) > 0;
            var customer = known ? $"c-{random.Next(40)}" : null;
            var anonymous = !known || random.Next(2) == 0 ? $"a-{random.Next(45)}" : null;
            var ts = start.AddMilliseconds(random.NextInt64(42L * 24 * 3600 * 1000));
            list.Add(new EventRecord
            {
                Seq = seq,
                WorkspaceId = random.Next(5) == 0 ? "w2" : "w1",
                EventId = Guid.NewGuid().ToString(),
                DedupKey = type == "order_paid" ? $"order:order_paid:o-{seq}" : $"k-{seq}",
                Type = type,
                CustomerId = customer,
                AnonymousId = anonymous,
                Timestamp = ts,
                ReceivedAt = ts.AddMilliseconds(random.Next(5000)),
                Properties = $$"""{"n":{{random.Next(1000)}},"s":"x\ty"}""",
                Context = random.Next(3) == 0 ? new EventContext { Channel = "app", UtmCampaign = $"camp-{random.Next(4)}", Referrer = Awkward } : EventContext.Empty,
            });
        }
        // EventId equals DedupKey except for order events, as ingestion makes them.
        return [.. list.Select(e => e.Type == "order_paid" ? e : e with { EventId = e.DedupKey })];
    }
}

public sealed class DuckDbEventStoreTests : EventStoreContract, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("flywheel-events-").FullName;

    protected override async Task<IEventStore> OpenAsync(string? reuse = null)
    {
        Location = reuse ?? Path.Combine(dir, Guid.NewGuid().ToString("N") + ".duckdb");
        var store = new DuckDbEventStore(Location);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finalising connection.
        }
    }
}

public class ClickHouseEventStoreTests : EventStoreContract
{
    protected virtual Task<ClickHouseServer> ServerAsync() => ClickHouseServer.OneNode();

    protected override async Task<IEventStore> OpenAsync(string? reuse = null)
    {
        var server = await ServerAsync();
        Location = reuse ?? await server.NewDatabaseAsync();
        var store = new ClickHouseEventStore(ClickHouseEndpoint.Parse(Location));
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    /// <summary>
    /// Rows stored without their commit mark — an INSERT that reached the server but whose answer was lost, or a commit
    /// that stored some partitions or shards — are loaded again from the ingest log after a restart: none doubles.
    /// </summary>
    [Fact]
    public async Task Commit_AfterRowsStoredWithoutTheirMark_StoresEachSeqOnce()
    {
        await (await WithSampleAsync()).DisposeAsync();
        var server = await ServerAsync();
        var database = ClickHouseEndpoint.Parse(Location!).Database;
        await server.ExecuteOnEachAsync($"DROP TABLE IF EXISTS {database}.event_loads");
        await server.ExecuteOnEachAsync($"DROP TABLE IF EXISTS {database}.event_loads_local");

        await using var store = await OpenAsync(Location);
        Assert.Equal(0, await store.GetLoadedSeqAsync(CancellationToken.None));
        var extra = Sample[0] with { Seq = 11, EventId = "e-11", DedupKey = "e-11" };
        await using (var append = store.BeginAppend())
        {
            append.Append([.. Sample, extra]);
            await append.CommitAsync(CancellationToken.None);
        }
        Assert.Equal(11, await store.GetLoadedSeqAsync(CancellationToken.None));
        Assert.Equal("11\t11\n", await server.QueryAsync($"SELECT count(), uniqExact(seq) FROM {database}.events"));
        Assert.Equal(Describe(Sample.Append(extra)), Describe(await store.ReadRangeAsync(0, 11, EventSelection.Everything, CancellationToken.None)));
    }

    /// <summary>
    /// A process killed while its insert was still running on the server: the server finishes the insert after the
    /// sender is gone, possibly after the next process has cleared the rows past the mark. PrepareAppend must wait for
    /// that insert and clear its rows too, or the replay of the ingest log would store those events a second time.
    /// </summary>
    [Fact]
    public async Task PrepareAppend_WaitsForAnInsertStillRunningFromADeadProcess()
    {
        await (await WithSampleAsync()).DisposeAsync();
        var server = await ServerAsync();
        var database = ClickHouseEndpoint.Parse(Location!).Database;
        var table = server.Hosts.Count == 1 ? "events" : "events_local";
        // Copies of events 1 and 2 as events 11 and 12, inserted slowly (sleep holds the block two seconds) under the
        // query id the store gives its inserts, as the dead process's last commit would be.
        var zombieId = $"flywheel-append-{database}-zombie";
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var zombie = http.PostAsync(new Uri(server.Hosts[0], $"?query_id={zombieId}"), new StringContent($"""
            INSERT INTO {database}.{table} ({Columns})
            SELECT seq + 10, workspace_id, concat('dead-', event_id), dedup_key, dedup_hi, dedup_lo + 1, type, customer_id,
                   anonymous_id, ts_ms, received_ms, properties, channel, utm_source, utm_medium, utm_campaign, utm_content,
                   utm_term, referrer, url, device, ip, user_agent
            FROM {database}.{table} WHERE seq <= 2 AND sleep(2) = 0
            """));
        while ((await server.QueryAsync($"SELECT count() FROM system.processes WHERE query_id = '{zombieId}'")).Trim() == "0")
        {
            Assert.False(zombie.IsCompleted, "the slow insert ended before it was seen running");
            await Task.Delay(10);
        }

        await using var store = await OpenAsync(Location);
        Assert.Equal(10, await store.PrepareAppendAsync(CancellationToken.None));

        Assert.True(zombie.IsCompleted, "PrepareAppend returned while the insert was still running");
        (await zombie).EnsureSuccessStatusCode();
        Assert.Equal("10\n", await server.QueryAsync($"SELECT max(seq) FROM {database}.events"));
    }

    /// <summary>
    /// Among several nodes, a node that died half-way through a commit leaves rows past the last mark; the node that
    /// loads next numbers its own, different events from the mark. The dead node's rows must be gone before that, or
    /// two events would share a number.
    /// </summary>
    [Fact]
    public async Task PrepareAppend_RemovesAnotherNodesRowsPastTheLastMark_BeforeNewEventsTakeTheirNumbers()
    {
        await (await WithSampleAsync()).DisposeAsync();
        var server = await ServerAsync();
        var database = ClickHouseEndpoint.Parse(Location!).Database;
        var table = server.Hosts.Count == 1 ? "events" : "events_local";
        // Copies of events 1 and 2 as other events 11 and 12, stored without a mark (on each shard, of its own rows).
        await server.ExecuteOnEachAsync($"""
            INSERT INTO {database}.{table} ({Columns})
            SELECT seq + 10, workspace_id, concat('dead-', event_id), dedup_key, dedup_hi, dedup_lo + 1, type, customer_id,
                   anonymous_id, ts_ms, received_ms, properties, channel, utm_source, utm_medium, utm_campaign, utm_content,
                   utm_term, referrer, url, device, ip, user_agent
            FROM {database}.{table} WHERE seq <= 2
            """);
        Assert.Equal("12\n", await server.QueryAsync($"SELECT max(seq) FROM {database}.events"));

        await using var store = await OpenAsync(Location);
        Assert.Equal(10, await store.PrepareAppendAsync(CancellationToken.None));
        var next = new[]
        {
            E(11, "w1", "search", "c-7", null, "2026-11-06T00:00:00Z"),
            E(12, "w2", "page_view", null, "a-7", "2026-11-06T00:00:01Z"),
        };
        await using (var append = store.BeginAppend())
        {
            append.Append(next);
            await append.CommitAsync(CancellationToken.None);
        }
        Assert.Equal("12\t12\n", await server.QueryAsync($"SELECT count(), uniqExact(seq) FROM {database}.events"));
        Assert.Equal(Describe(next), Describe(await store.ReadRangeAsync(10, 12, EventSelection.Everything, CancellationToken.None)));
    }

    private const string Columns =
        "seq, workspace_id, event_id, dedup_key, dedup_hi, dedup_lo, type, customer_id, anonymous_id, ts_ms, received_ms, properties, " +
        "channel, utm_source, utm_medium, utm_campaign, utm_content, utm_term, referrer, url, device, ip, user_agent";
}

public sealed class ClickHouseClusterEventStoreTests : ClickHouseEventStoreTests
{
    protected override Task<ClickHouseServer> ServerAsync() => ClickHouseServer.TwoShards();

    [Fact]
    public async Task Events_AreSpreadOverBothShards()
    {
        await (await WithSampleAsync()).DisposeAsync();
        var server = await ServerAsync();
        var database = ClickHouseEndpoint.Parse(Location!).Database;
        var counts = new List<int>();
        foreach (var host in server.Hosts)
        {
            using var http = new HttpClient();
            var text = await (await http.PostAsync(host, new StringContent($"SELECT count() FROM {database}.events_local"))).Content.ReadAsStringAsync();
            counts.Add(int.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(10, counts.Sum());
        Assert.All(counts, c => Assert.True(c > 0, $"a shard holds no events: {string.Join(", ", counts)}"));
    }
}
