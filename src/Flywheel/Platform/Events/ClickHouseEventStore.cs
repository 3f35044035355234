using System.Buffers.Binary;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Flywheel.Platform.Events;

/// <summary>
/// Events in ClickHouse, spoken to over its HTTP interface with SQL that runs on 18.16 (Debian's package) and on current
/// releases alike: no query parameters, no DateTime64, no skipping indices (see docs/deploy.md for the subset). Timestamps
/// are stored as Int64 milliseconds since the Unix epoch, the precision of stored events, so answers equal DuckDB's.
///
/// Appends are buffered as TabSeparated text and sent as one INSERT on commit; a mark row in <c>event_loads</c> after
/// it records the commit, and <see cref="GetLoadedSeqAsync"/> answers from those marks. ClickHouse writes one part per
/// partition (and, Distributed, per shard), so a failed commit may have stored some rows: before the next commit after a
/// failure or a start (and whenever a node becomes the installation's loader) the rows past the last mark are deleted,
/// so a retry neither doubles rows nor leaves another node's half-written rows under numbers it reuses.
/// </summary>
public sealed class ClickHouseEventStore : IEventStore
{
    private const int MaxQueryBytes = 64 * 1024 * 1024;

    private const string Columns =
        "seq, workspace_id, event_id, dedup_key, type, customer_id, anonymous_id, ts_ms, received_ms, properties, " +
        "channel, utm_source, utm_medium, utm_campaign, utm_content, utm_term, referrer, url, device, ip, user_agent";

    private const string InsertColumns =
        "seq, workspace_id, event_id, dedup_key, dedup_hi, dedup_lo, type, customer_id, anonymous_id, ts_ms, received_ms, properties, " +
        "channel, utm_source, utm_medium, utm_campaign, utm_content, utm_term, referrer, url, device, ip, user_agent";

    private const string EventColumnsDdl = """
        seq Int64,
        workspace_id String,
        event_id String,
        dedup_key Nullable(String),
        dedup_hi UInt64,
        dedup_lo UInt64,
        type String,
        customer_id String,
        anonymous_id String,
        ts_ms Int64,
        received_ms Int64,
        properties String,
        channel Nullable(String),
        utm_source Nullable(String),
        utm_medium Nullable(String),
        utm_campaign Nullable(String),
        utm_content Nullable(String),
        utm_term Nullable(String),
        referrer Nullable(String),
        url Nullable(String),
        device Nullable(String),
        ip Nullable(String),
        user_agent Nullable(String)
        """;

    // Partitions are months of event time. seq joins the partition key through a constant expression so that every part
    // carries a min/max of seq (MergeTree keeps one for each partition-key column): range reads by seq skip whole parts.
    private const string EventEngine =
        "MergeTree PARTITION BY (toYYYYMM(toDateTime(intDiv(ts_ms, 1000), 'UTC')), intDiv(seq, 1000000000000000000)) " +
        "ORDER BY (workspace_id, type, customer_id, ts_ms)";

    private const string EventSharding = "cityHash64(workspace_id, if(customer_id = '', anonymous_id, customer_id))";

    private const long TicksPerMs = TimeSpan.TicksPerMillisecond;
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    private readonly ClickHouseEndpoint endpoint;
    private readonly HttpClient http;
    private readonly string db;
    private bool appendOpen;
    // True until a commit has succeeded since start or since a failed commit: rows past the last mark may be stored.
    private volatile bool uncertain = true;

    public ClickHouseEventStore(ClickHouseEndpoint endpoint)
    {
        this.endpoint = endpoint;
        db = endpoint.Database;
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromMinutes(10) };
        if (endpoint.User is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{endpoint.User}:{endpoint.Password}"));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }
    }

    public async Task InitializeAsync(CancellationToken ct)
    {
        foreach (var host in endpoint.Hosts)
        {
            try
            {
                await ExecuteAsync(host, $"CREATE DATABASE IF NOT EXISTS `{db}`", ct, useDatabase: false);
                await CreateTableAsync(host, "events", EventColumnsDdl, EventEngine, EventSharding, ct);
                await CreateTableAsync(host, "event_loads", "last_seq Int64, rows Int64", "MergeTree ORDER BY last_seq", "last_seq", ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or ClickHouseException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{EventStores.Setting}: ClickHouse at {host.Authority} cannot be used: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Single node: the table itself. Cluster: a local table on each host and a Distributed table over them.</summary>
    private async Task CreateTableAsync(Uri host, string name, string columns, string engine, string sharding, CancellationToken ct)
    {
        if (endpoint.Cluster is null)
        {
            await ExecuteAsync(host, $"CREATE TABLE IF NOT EXISTS `{db}`.{name} ({columns}) ENGINE = {engine}", ct);
            return;
        }
        await ExecuteAsync(host, $"CREATE TABLE IF NOT EXISTS `{db}`.{name}_local ({columns}) ENGINE = {engine}", ct);
        await ExecuteAsync(host,
            $"CREATE TABLE IF NOT EXISTS `{db}`.{name} AS `{db}`.{name}_local ENGINE = Distributed({endpoint.Cluster}, {db}, {name}_local, {sharding})", ct);
    }

    public async Task<long> GetLoadedSeqAsync(CancellationToken ct)
    {
        var line = (await QueryLinesAsync("SELECT max(last_seq) FROM event_loads", ct)).Single();
        return long.Parse(line, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Deletes rows past the last mark, if there are any, and waits until the deletion is done (a mutation: it rewrites
    /// the parts that hold such rows — rare, as only a failed commit leaves them). Parts inserted after the mutation was
    /// submitted are untouched by it, so the next commit may follow at once.
    /// </summary>
    public async Task<long> PrepareAppendAsync(CancellationToken ct)
    {
        // An insert the server received whole goes on even when its sender has died: one still running from a killed
        // process would land after the deletion below and be stored again by the replay. Wait for it to end first.
        await WaitForAppendsAsync(ct);
        var mark = await GetLoadedSeqAsync(ct);
        var past = await QueryLinesAsync($"SELECT count() FROM events WHERE seq > {ClickHouseText.Literal(mark)}", ct);
        if (past.Single() != "0")
        {
            var table = endpoint.Cluster is null ? "events" : "events_local";
            foreach (var host in endpoint.Hosts)
            {
                await ExecuteAsync(host, $"ALTER TABLE `{db}`.{table} DELETE WHERE seq > {ClickHouseText.Literal(mark)}", ct);
            }
            foreach (var host in endpoint.Hosts)
            {
                await WaitForMutationsAsync(host, table, ct);
            }
        }
        uncertain = false;
        return mark;
    }

    /// <summary>The start of the query id of every insert of events into this database, whichever process sent it.</summary>
    private string AppendQueryIdPrefix => $"flywheel-append-{db}-";

    private async Task WaitForAppendsAsync(CancellationToken ct)
    {
        var sql = $"SELECT count() FROM system.processes WHERE query_id LIKE {ClickHouseText.Literal(AppendQueryIdPrefix + "%")} FORMAT TabSeparated";
        foreach (var host in endpoint.Hosts)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var response = await SendAsync(host, sql, ct, useDatabase: false);
                if ((await response.Content.ReadAsStringAsync(ct)).Trim() == "0")
                {
                    break;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 20 * (attempt + 1))), ct);
            }
        }
    }

    private async Task WaitForMutationsAsync(Uri host, string table, CancellationToken ct)
    {
        var sql = $"SELECT count() FROM system.mutations WHERE database = {ClickHouseText.Literal(db)} AND table = {ClickHouseText.Literal(table)} AND is_done = 0 FORMAT TabSeparated";
        for (var attempt = 0; ; attempt++)
        {
            using var response = await SendAsync(host, sql, ct);
            if ((await response.Content.ReadAsStringAsync(ct)).Trim() == "0")
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 20 * (attempt + 1))), ct);
        }
    }

    public async Task<IReadOnlyDictionary<long, UInt128>> GetDedupHashesAsync(IReadOnlyCollection<long> seqs, CancellationToken ct)
    {
        var found = new Dictionary<long, UInt128>();
        if (seqs.Count == 0)
        {
            return found;
        }
        // The range lets ClickHouse skip parts by their min/max of seq before it tests the list.
        var list = string.Join(',', seqs.Select(q => q.ToString(CultureInfo.InvariantCulture)));
        var sql = $"SELECT seq, dedup_hi, dedup_lo FROM events WHERE seq >= {seqs.Min()} AND seq <= {seqs.Max()} AND seq IN ({list})";
        await foreach (var f in QueryRowsAsync(sql, ct))
        {
            found[long.Parse(f[0]!, CultureInfo.InvariantCulture)] =
                new UInt128(ulong.Parse(f[1]!, CultureInfo.InvariantCulture), ulong.Parse(f[2]!, CultureInfo.InvariantCulture));
        }
        return found;
    }

    public IEventAppend BeginAppend()
    {
        if (appendOpen)
        {
            throw new InvalidOperationException("Only one append is open at a time.");
        }
        appendOpen = true;
        return new Append(this);
    }

    /// <summary>
    /// Rows are encoded as TabSeparated UTF-8 as they come, so the caller's records can be dropped.
    /// </summary>
    private sealed class Append(ClickHouseEventStore store) : IEventAppend
    {
        private readonly MemoryStream body = new();
        private int count;
        private long last;
        private readonly StringBuilder line = new();
        private bool finished;

        void IEventAppend.Append(IReadOnlyList<EventRecord> events)
        {
            ObjectDisposedException.ThrowIf(finished, this);
            foreach (var e in events)
            {
                count++;
                last = e.Seq;
                WriteRow(line.Clear(), e);
                var bytes = Encoding.UTF8.GetBytes(line.ToString());
                body.Write(bytes);
            }
        }

        public async Task CommitAsync(CancellationToken ct)
        {
            ObjectDisposedException.ThrowIf(finished, this);
            if (count == 0)
            {
                finished = true;
                return;
            }
            try
            {
                if (store.uncertain)
                {
                    await store.PrepareAppendAsync(ct);
                }
                await store.InsertAsync("events", InsertColumns, new ReadOnlyMemory<byte>(body.GetBuffer(), 0, (int)body.Length), ct);
                var mark = $"{ClickHouseText.Literal(last)}\t{ClickHouseText.Literal(count)}\n";
                await store.InsertAsync("event_loads", "last_seq, rows", Encoding.UTF8.GetBytes(mark), ct);
                store.uncertain = false;
                finished = true;
            }
            catch
            {
                store.uncertain = true;
                throw;
            }
        }

        public ValueTask DisposeAsync()
        {
            finished = true;
            store.appendOpen = false;
            body.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private static void WriteRow(StringBuilder sb, EventRecord e)
    {
        var ctx = e.Context;
        var hash = e.DedupHash;
        sb.Append(e.Seq).Append('\t');
        ClickHouseText.AppendField(sb, e.WorkspaceId);
        sb.Append('\t');
        ClickHouseText.AppendField(sb, e.EventId);
        sb.Append('\t');
        // Stored only where it differs from the event id (order events), as in DuckDB.
        ClickHouseText.AppendField(sb, e.DedupKey == e.EventId ? null : e.DedupKey);
        sb.Append('\t').Append((ulong)(hash >> 64)).Append('\t').Append((ulong)hash).Append('\t');
        ClickHouseText.AppendField(sb, e.Type);
        sb.Append('\t');
        // Key and sharding columns cannot be Nullable on 18.16: '' stands for none (ingestion never stores empty ids).
        ClickHouseText.AppendField(sb, e.CustomerId ?? "");
        sb.Append('\t');
        ClickHouseText.AppendField(sb, e.AnonymousId ?? "");
        sb.Append('\t').Append(ToMs(e.Timestamp)).Append('\t').Append(ToMs(e.ReceivedAt)).Append('\t');
        ClickHouseText.AppendField(sb, e.Properties);
        foreach (var value in (ReadOnlySpan<string?>)[ctx.Channel, ctx.UtmSource, ctx.UtmMedium, ctx.UtmCampaign, ctx.UtmContent,
                     ctx.UtmTerm, ctx.Referrer, ctx.Url, ctx.Device, ctx.Ip, ctx.UserAgent])
        {
            sb.Append('\t');
            ClickHouseText.AppendField(sb, value);
        }
        sb.Append('\n');
    }

    /// <summary>Streams two UInt64 columns as RowBinary: 16 bytes a row, no text to parse.</summary>
    public async Task ForEachDedupHashAsync(Action<UInt128> visit, CancellationToken ct)
    {
        using var response = await SendAsync(endpoint.Hosts[0], "SELECT dedup_hi, dedup_lo FROM events FORMAT RowBinary", ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[64 * 1024];
        var filled = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0)
            {
                break;
            }
            filled += read;
            var whole = filled - filled % 16;
            for (var i = 0; i < whole; i += 16)
            {
                var hi = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(i, 8));
                var lo = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(i + 8, 8));
                visit(new UInt128(hi, lo));
            }
            buffer.AsSpan(whole, filled - whole).CopyTo(buffer);
            filled -= whole;
        }
        if (filled != 0)
        {
            throw new ClickHouseException($"The dedup hash stream ended inside a row: {Encoding.UTF8.GetString(buffer, 0, filled)}");
        }
    }

    public async Task<IReadOnlyList<EventRecord>> ReadRangeAsync(long afterSeq, long throughSeq, EventSelection selection, CancellationToken ct)
    {
        var types = selection.Types is null ? "" : $" AND type IN ({TypeList(selection.Types)})";
        var where = $"seq > {ClickHouseText.Literal(afterSeq)} AND seq <= {ClickHouseText.Literal(throughSeq)}{types}";
        if (selection.PropertiesOf is null)
        {
            return await ReadEventsAsync($"SELECT {Columns} FROM events WHERE {where} ORDER BY seq", ct);
        }
        var sql = "SELECT seq, workspace_id, type, customer_id, anonymous_id, ts_ms, " +
            $"if(type IN ({TypeList(selection.PropertiesOf)}), properties, '') FROM events WHERE {where} ORDER BY seq";
        var list = new List<EventRecord>();
        var workspace = "";
        await foreach (var f in QueryRowsAsync(sql, ct))
        {
            // One workspace string for a run of events of the same workspace, not one per event.
            workspace = f[1] == workspace ? workspace : f[1]!;
            var timestamp = FromMs(f[5]!);
            list.Add(new EventRecord
            {
                Seq = long.Parse(f[0]!, CultureInfo.InvariantCulture),
                WorkspaceId = workspace,
                EventId = "",
                DedupKey = "",
                Type = f[2]!,
                CustomerId = NoneIfEmpty(f[3]),
                AnonymousId = NoneIfEmpty(f[4]),
                Timestamp = timestamp,
                ReceivedAt = timestamp,
                Properties = f[6] is { Length: > 0 } p ? p : "{}",
            });
        }
        return list;
    }

    /// <summary>Event types are code constants; they are checked as in DuckDB before they become literals.</summary>
    private static string TypeList(IReadOnlyCollection<string> types)
    {
        if (types.Count == 0 || types.Any(t => t.Length == 0 || !t.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')))
        {
            throw new ArgumentException("Event types in a selection must be non-empty snake_case names.", nameof(types));
        }
        return ClickHouseText.Literals(types);
    }

    public async Task<IReadOnlyList<EventRecord>> GetCustomerTimelineAsync(
        string workspaceId, string customerId, IReadOnlyCollection<string> anonymousIds, long? beforeSeq, int limit, CancellationToken ct)
    {
        if (customerId.Length == 0)
        {
            return [];
        }
        var ids = anonymousIds.Where(a => a.Length > 0).ToList();
        var anonymous = ids.Count == 0 ? "" : $" OR (customer_id = '' AND anonymous_id IN ({ClickHouseText.Literals(ids)}))";
        var sql = $"""
            SELECT {Columns} FROM events
            WHERE workspace_id = {ClickHouseText.Literal(workspaceId)} AND (customer_id = {ClickHouseText.Literal(customerId)}{anonymous})
              AND seq < {ClickHouseText.Literal(beforeSeq ?? long.MaxValue)}
            ORDER BY ts_ms DESC, seq DESC LIMIT {ClickHouseText.Literal(Math.Max(0, limit))}
            """;
        return await ReadEventsAsync(sql, ct);
    }

    public Task<IReadOnlyList<LeanEvent>> GetVisitEventsAsync(string workspaceId, DateTime fromUtc, DateTime toUtc, CancellationToken ct) =>
        LeanEventsAsync(workspaceId,
            $"type NOT IN ({TypeList([EventTypes.OrderPlaced, EventTypes.OrderPaid, EventTypes.OrderCancelled, EventTypes.OrderRefunded])})",
            fromUtc, toUtc, ct);

    public Task<IReadOnlyList<LeanEvent>> GetEventsOfTypesAsync(
        string workspaceId, IReadOnlyCollection<string> types, DateTime fromUtc, DateTime toUtc, CancellationToken ct) =>
        LeanEventsAsync(workspaceId, $"type IN ({TypeList(types)})", fromUtc, toUtc, ct);

    /// <summary><paramref name="typeCondition"/> is built from checked type names only (<see cref="TypeList"/>).</summary>
    private async Task<IReadOnlyList<LeanEvent>> LeanEventsAsync(string workspaceId, string typeCondition, DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        // '' stands for no customer or anonymous id and sorts first, as DuckDB's NULLS FIRST.
        var sql = $"""
            SELECT customer_id, anonymous_id, ts_ms, type, utm_source FROM events
            WHERE workspace_id = {ClickHouseText.Literal(workspaceId)} AND ts_ms >= {CeilMs(fromUtc)} AND ts_ms < {CeilMs(toUtc)}
              AND {typeCondition}
            ORDER BY customer_id, anonymous_id, ts_ms, seq
            """;
        var result = new List<LeanEvent>();
        await foreach (var f in QueryRowsAsync(sql, ct))
        {
            result.Add(new LeanEvent(NoneIfEmpty(f[0]), NoneIfEmpty(f[1]), FromMs(f[2]!), f[3]!, f[4]));
        }
        return result;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByTypeAsync(string workspaceId, DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        var sql = $"""
            SELECT type, count() FROM events
            WHERE workspace_id = {ClickHouseText.Literal(workspaceId)} AND ts_ms >= {CeilMs(fromUtc)} AND ts_ms < {CeilMs(toUtc)}
            GROUP BY type
            """;
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await foreach (var f in QueryRowsAsync(sql, ct))
        {
            result[f[0]!] = long.Parse(f[1]!, CultureInfo.InvariantCulture);
        }
        return result;
    }

    public async Task<DistinctCounts> CountDistinctVisitorsAsync(
        string workspaceId, string type, IReadOnlyList<DateTime> boundariesUtc, CancellationToken ct)
    {
        DistinctCounts.CheckBoundaries(boundariesUtc);
        var intervals = boundariesUtc.Count - 1;
        // An event's interval is the number of inner boundaries at or before it. Index -1 is the whole span, counted
        // from the same rows so that a visitor of several intervals counts once there.
        var inner = boundariesUtc.Skip(1).Take(intervals - 1).Select(b => CeilMs(b).ToString(CultureInfo.InvariantCulture)).ToList();
        var index = inner.Count == 0 ? "toInt32(0)" : $"toInt32(arrayCount(b -> b <= ts_ms, [{string.Join(", ", inner)}]))";
        var where = $"workspace_id = {ClickHouseText.Literal(workspaceId)} AND type = {ClickHouseText.Literal(type)} " +
            $"AND ts_ms >= {CeilMs(boundariesUtc[0])} AND ts_ms < {CeilMs(boundariesUtc[^1])}";
        const string visitor = "uniqExact(if(customer_id = '', anonymous_id, customer_id))";
        var sql = $"""
            SELECT {index} AS i, {visitor} FROM events WHERE {where} GROUP BY i
            UNION ALL
            SELECT toInt32(-1), {visitor} FROM events WHERE {where}
            """;
        var perInterval = new long[intervals];
        long total = 0;
        await foreach (var f in QueryRowsAsync(sql, ct))
        {
            var i = int.Parse(f[0]!, CultureInfo.InvariantCulture);
            var count = long.Parse(f[1]!, CultureInfo.InvariantCulture);
            if (i < 0)
            {
                total = count;
            }
            else
            {
                perInterval[i] = count;
            }
        }
        return new DistinctCounts(perInterval, total);
    }

    public async Task<IReadOnlySet<string>> CustomersMatchingAsync(
        CustomerEventQuery query, IReadOnlyCollection<string>? among, CancellationToken ct)
    {
        CustomerEventQueries.Check(query, among);
        var customers = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var f in QueryRowsAsync(CustomerEventSql.Matching(query, among, new ClickHouseEventSql()), ct))
        {
            customers.Add(f[0]!);
        }
        return customers;
    }

    public async Task<IReadOnlyDictionary<string, DateTime>> EarliestMatchingAsync(
        CustomerEventQuery query, IReadOnlyCollection<string>? among, CancellationToken ct)
    {
        CustomerEventQueries.Check(query, among);
        var earliest = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        await foreach (var f in QueryRowsAsync(CustomerEventSql.Earliest(query, among, new ClickHouseEventSql()), ct))
        {
            earliest[f[0]!] = FromMs(f[1]!);
        }
        return earliest;
    }

    public async Task<FunnelCounts> FunnelAsync(FunnelStoreQuery query, CancellationToken ct)
    {
        query.Check();
        return FunnelSql.ReadCounts(query, await FunnelRowsAsync(FunnelSql.Counts(query, new ClickHouseEventSql()), ct));
    }

    public async Task<IReadOnlyList<FunnelVisitor>> FunnelVisitorsAsync(FunnelStoreQuery query, int? droppedAtStep, CancellationToken ct)
    {
        query.Check();
        return [.. (await FunnelRowsAsync(FunnelSql.Visitors(query, droppedAtStep, new ClickHouseEventSql()), ct)).Select(FunnelSql.ReadVisitor)];
    }

    private async Task<List<IReadOnlyList<string?>>> FunnelRowsAsync(string sql, CancellationToken ct)
    {
        var rows = new List<IReadOnlyList<string?>>();
        await foreach (var f in QueryRowsAsync(sql, ct))
        {
            rows.Add([.. f]);
        }
        return rows;
    }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<IReadOnlyList<EventRecord>> ReadEventsAsync(string sql, CancellationToken ct)
    {
        var list = new List<EventRecord>();
        await foreach (var f in QueryRowsAsync(sql, ct))
        {
            list.Add(new EventRecord
            {
                Seq = long.Parse(f[0]!, CultureInfo.InvariantCulture),
                WorkspaceId = f[1]!,
                EventId = f[2]!,
                DedupKey = f[3] ?? f[2]!,
                Type = f[4]!,
                CustomerId = NoneIfEmpty(f[5]),
                AnonymousId = NoneIfEmpty(f[6]),
                Timestamp = FromMs(f[7]!),
                ReceivedAt = FromMs(f[8]!),
                Properties = f[9]!,
                Context = ReadContext(f),
            });
        }
        return list;
    }

    /// <summary>Fields 10–20; the shared empty context when all are null, as DuckDB reads it.</summary>
    private static EventContext ReadContext(List<string?> f)
    {
        for (var i = 10; i <= 20; i++)
        {
            if (f[i] is not null)
            {
                return new EventContext
                {
                    Channel = f[10],
                    UtmSource = f[11],
                    UtmMedium = f[12],
                    UtmCampaign = f[13],
                    UtmContent = f[14],
                    UtmTerm = f[15],
                    Referrer = f[16],
                    Url = f[17],
                    Device = f[18],
                    Ip = f[19],
                    UserAgent = f[20],
                };
            }
        }
        return EventContext.Empty;
    }

    private static string? NoneIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static long ToMs(DateTime t) => (t.Ticks - EpochTicks) / TicksPerMs;

    public async Task<VisitCohorts> VisitCohortsAsync(VisitCohortQuery query, CancellationToken ct)
    {
        VisitCohortQueries.Check(query);
        var rows = new List<(string, int, int, int, long)>();
        await foreach (var f in QueryRowsAsync(VisitCohortSql.ClickHouse(query), ct))
        {
            int I(int i) => int.Parse(f[i]!, CultureInfo.InvariantCulture);
            rows.Add((f[0]!, I(1), I(2), I(3), long.Parse(f[4]!, CultureInfo.InvariantCulture)));
        }
        return VisitCohortSql.Assemble(rows);
    }

    public async Task<TrafficSummary> SummarizeTrafficAsync(TrafficQuery query, CancellationToken ct)
    {
        TrafficQueries.Check(query);
        var rows = new List<(int, TrafficFigures)>();
        await foreach (var f in QueryRowsAsync(TrafficSql.ClickHouse(query), ct))
        {
            long F(int i) => long.Parse(f[i]!, CultureInfo.InvariantCulture);
            rows.Add((int.Parse(f[0]!, CultureInfo.InvariantCulture), new TrafficFigures(F(1), F(2), F(3), F(4), F(5), F(6), F(7), F(8), F(9), F(10), F(11), F(12))));
        }
        return TrafficQueries.Assemble(query.BoundariesUtc.Count - 1, rows);
    }

    public async Task<long> CountActiveVisitorsAsync(TrafficQuery query, CancellationToken ct)
    {
        TrafficQueries.Check(query);
        var lines = await QueryLinesAsync(TrafficSql.ActiveVisitorsClickHouse(query), ct);
        return long.Parse(lines.Single(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A bound as the first whole millisecond at or after it: for stored millisecond values v, v ≥ t ⇔ v ≥ ceil(t) and
    /// v &lt; t ⇔ v &lt; ceil(t), so bounds between milliseconds select what DuckDB's TIMESTAMP comparison selects.
    /// </summary>
    internal static long CeilMs(DateTime t)
    {
        var ticks = t.Ticks - EpochTicks;
        var ms = ticks / TicksPerMs;
        return ticks % TicksPerMs > 0 ? ms + 1 : ms;
    }

    private static DateTime FromMs(string ms) =>
        new(EpochTicks + long.Parse(ms, CultureInfo.InvariantCulture) * TicksPerMs, DateTimeKind.Utc);

    private async Task<List<string>> QueryLinesAsync(string sql, CancellationToken ct)
    {
        using var response = await SendAsync(endpoint.Hosts[0], sql + " FORMAT TabSeparated", ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>TabSeparated rows as they stream in; the field list is reused from row to row.</summary>
    private async IAsyncEnumerable<List<string?>> QueryRowsAsync(string sql, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var response = await SendAsync(endpoint.Hosts[0], sql + " FORMAT TabSeparated", ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var fields = new List<string?>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            ClickHouseText.SplitLine(line, fields);
            yield return fields;
        }
    }

    private async Task InsertAsync(string table, string columns, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        // One block for the whole body (the default cuts at 1,048,576 rows); Distributed inserts reach the shards before
        // the answer, so that a read after the commit sees them.
        var settings = "&max_insert_block_size=100000000" + (endpoint.Cluster is null ? "" : "&insert_distributed_sync=1");
        var query = Uri.EscapeDataString($"INSERT INTO {table} ({columns}) FORMAT TabSeparated");
        var queryId = Uri.EscapeDataString(AppendQueryIdPrefix + Guid.NewGuid().ToString("N"));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.Hosts[0], $"?database={db}&query={query}&query_id={queryId}{settings}"))
        {
            Content = new ReadOnlyMemoryContent(data),
        };
        using var response = await http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
    }

    private async Task ExecuteAsync(Uri host, string sql, CancellationToken ct, bool useDatabase = true)
    {
        using var response = await SendAsync(host, sql, ct, useDatabase);
    }

    private async Task<HttpResponseMessage> SendAsync(Uri host, string sql, CancellationToken ct, bool useDatabase = true)
    {
        // Customer lists (a segment's members) can make a query longer than the server's default limit of 256 KiB.
        var settings = $"max_query_size={MaxQueryBytes}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host, useDatabase ? $"?database={db}&{settings}" : $"?{settings}"))
        {
            Content = new StringContent(sql, Encoding.UTF8),
        };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            await EnsureSuccessAsync(response, ct);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            throw new ClickHouseException($"ClickHouse answered {(int)response.StatusCode}: {text.Trim()}");
        }
    }
}

/// <summary>An error answered by ClickHouse (its message carries the server's error code and text).</summary>
public sealed class ClickHouseException(string message) : Exception(message);
