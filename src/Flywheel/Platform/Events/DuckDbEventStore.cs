using System.Globalization;
using System.Data.Common;
using DuckDB.NET.Data;

namespace Flywheel.Platform.Events;

/// <summary>
/// Events in an embedded DuckDB file. One connection serves writes (the ingest loader is the only writer); reads open
/// their own connections to the same database instance, which DuckDB runs concurrently under MVCC.
/// </summary>
public sealed class DuckDbEventStore(string path) : IEventStore
{
    private const string Columns =
        "seq, workspace_id, event_id, dedup_key, type, customer_id, anonymous_id, ts, received_at, properties, " +
        "channel, utm_source, utm_medium, utm_campaign, utm_content, utm_term, referrer, url, device, ip, user_agent";

    private readonly string connectionString = $"Data Source={path}";
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private DuckDBConnection? writer;

    public async Task InitializeAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        writer = new DuckDBConnection(connectionString);
        await writer.OpenAsync(ct);
        await ExecuteAsync(writer, """
            CREATE TABLE IF NOT EXISTS events (
                seq BIGINT NOT NULL,
                workspace_id VARCHAR NOT NULL,
                event_id VARCHAR NOT NULL,
                dedup_key VARCHAR,
                dedup_hi UBIGINT NOT NULL,
                dedup_lo UBIGINT NOT NULL,
                type VARCHAR NOT NULL,
                customer_id VARCHAR,
                anonymous_id VARCHAR,
                ts TIMESTAMP NOT NULL,
                received_at TIMESTAMP NOT NULL,
                properties JSON NOT NULL,
                channel VARCHAR,
                utm_source VARCHAR,
                utm_medium VARCHAR,
                utm_campaign VARCHAR,
                utm_content VARCHAR,
                utm_term VARCHAR,
                referrer VARCHAR,
                url VARCHAR,
                device VARCHAR,
                ip VARCHAR,
                user_agent VARCHAR
            )
            """, ct);
        await ExecuteAsync(writer, DuckDbIdentityLinks.Derived.Schema, ct);
        await ExecuteAsync(writer, DuckDbFirstSeen.Derived.Schema, ct);
    }

    public async Task<long> GetLoadedSeqAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT coalesce(max(seq), 0) FROM events";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public IEventAppend BeginAppend()
    {
        var c = writer ?? throw new InvalidOperationException("The event store is not initialised.");
        writeLock.Wait();
        try
        {
            return new Append(c, writeLock);
        }
        catch
        {
            writeLock.Release();
            throw;
        }
    }

    /// <summary>
    /// A transaction with an open appender. DuckDB keeps appended rows in transaction-local storage and, on commit,
    /// writes full row groups straight to the database file — the reason the loader commits in row-group sized batches.
    /// </summary>
    private sealed class Append : IEventAppend
    {
        private readonly SemaphoreSlim writeLock;
        private readonly DuckDBTransaction transaction;
        private DuckDBAppender? appender;
        private bool done;

        public Append(DuckDBConnection connection, SemaphoreSlim writeLock)
        {
            this.writeLock = writeLock;
            transaction = connection.BeginTransaction();
            appender = connection.CreateAppender("events");
        }

        void IEventAppend.Append(IReadOnlyList<EventRecord> events)
        {
            var a = appender ?? throw new InvalidOperationException("The append is finished.");
            foreach (var e in events)
            {
                var ctx = e.Context;
                var hash = e.DedupHash;
                a.CreateRow()
                    .AppendValue(e.Seq)
                    .AppendValue(e.WorkspaceId)
                    .AppendValue(e.EventId)
                    // Stored only where it differs from the event id (order events): fewer bytes to compress and scan.
                    .AppendValue(e.DedupKey == e.EventId ? null : e.DedupKey)
                    .AppendValue((ulong)(hash >> 64))
                    .AppendValue((ulong)hash)
                    .AppendValue(e.Type)
                    .AppendValue(e.CustomerId)
                    .AppendValue(e.AnonymousId)
                    .AppendValue(e.Timestamp)
                    .AppendValue(e.ReceivedAt)
                    .AppendValue(e.Properties)
                    .AppendValue(ctx.Channel)
                    .AppendValue(ctx.UtmSource)
                    .AppendValue(ctx.UtmMedium)
                    .AppendValue(ctx.UtmCampaign)
                    .AppendValue(ctx.UtmContent)
                    .AppendValue(ctx.UtmTerm)
                    .AppendValue(ctx.Referrer)
                    .AppendValue(ctx.Url)
                    .AppendValue(ctx.Device)
                    .AppendValue(ctx.Ip)
                    .AppendValue(ctx.UserAgent)
                    .EndRow();
            }
        }

        public Task CommitAsync(CancellationToken ct)
        {
            appender?.Dispose();
            appender = null;
            transaction.Commit();
            done = true;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            try
            {
                appender?.Dispose();
                if (!done)
                {
                    transaction.Rollback();
                }
                transaction.Dispose();
            }
            finally
            {
                writeLock.Release();
            }
            return ValueTask.CompletedTask;
        }
    }

    public async Task ForEachDedupHashAsync(Action<UInt128> visit, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT dedup_hi, dedup_lo FROM events";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            visit(new UInt128(r.GetFieldValue<ulong>(0), r.GetFieldValue<ulong>(1)));
        }
    }

    /// <summary>A DuckDB commit is atomic, so nothing can be left past the last one.</summary>
    public Task<long> PrepareAppendAsync(CancellationToken ct) => GetLoadedSeqAsync(ct);

    public async Task<IReadOnlyDictionary<long, UInt128>> GetDedupHashesAsync(IReadOnlyCollection<long> seqs, CancellationToken ct)
    {
        var found = new Dictionary<long, UInt128>();
        if (seqs.Count == 0)
        {
            return found;
        }
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        // Numbers, not text from outside: safe as literals, and one statement however many there are.
        cmd.CommandText = $"SELECT seq, dedup_hi, dedup_lo FROM events WHERE seq IN ({string.Join(',', seqs.Select(q => q.ToString(CultureInfo.InvariantCulture)))})";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            found[r.GetInt64(0)] = new UInt128(r.GetFieldValue<ulong>(1), r.GetFieldValue<ulong>(2));
        }
        return found;
    }

    public async Task<IReadOnlyList<EventRecord>> ReadRangeAsync(long afterSeq, long throughSeq, EventSelection selection, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        var types = selection.Types is null ? "" : $" AND type IN ({TypeList(selection.Types)})";
        var lean = selection.PropertiesOf is not null;
        var columns = lean
            ? $"seq, workspace_id, type, customer_id, anonymous_id, ts, CASE WHEN type IN ({TypeList(selection.PropertiesOf!)}) THEN properties END"
            : Columns;
        cmd.CommandText = $"SELECT {columns} FROM events WHERE seq > $after AND seq <= $through{types}";
        cmd.Parameters.Add(new DuckDBParameter("after", afterSeq));
        cmd.Parameters.Add(new DuckDBParameter("through", throughSeq));
        var events = lean ? await ReadLeanEventsAsync(cmd, ct) : await ReadEventsAsync(cmd, ct);
        // DuckDB returns rows in insertion order (preserve_insertion_order, on by default), which is sequence order;
        // checking is cheaper than the sort an ORDER BY would always do.
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Seq < events[i - 1].Seq)
            {
                return events.OrderBy(e => e.Seq).ToList();
            }
        }
        return events;
    }

    private static async Task<IReadOnlyList<EventRecord>> ReadLeanEventsAsync(DbCommand cmd, CancellationToken ct)
    {
        var list = new List<EventRecord>();
        var workspace = "";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            // One workspace string for a run of events of the same workspace, not one per event.
            var ws = r.GetString(1);
            workspace = ws == workspace ? workspace : ws;
            var timestamp = DateTime.SpecifyKind(r.GetDateTime(5), DateTimeKind.Utc);
            list.Add(new EventRecord
            {
                Seq = r.GetInt64(0),
                WorkspaceId = workspace,
                EventId = "",
                DedupKey = "",
                Type = r.GetString(2),
                CustomerId = NullableString(r, 3),
                AnonymousId = NullableString(r, 4),
                Timestamp = timestamp,
                ReceivedAt = timestamp,
                Properties = NullableString(r, 6) ?? "{}",
            });
        }
        return list;
    }

    /// <summary>Event types are code constants; they are checked anyway before they become SQL literals.</summary>
    private static string TypeList(IReadOnlyCollection<string> types)
    {
        if (types.Count == 0 || types.Any(t => t.Length == 0 || !t.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')))
        {
            throw new ArgumentException("Event types in a selection must be non-empty snake_case names.", nameof(types));
        }
        return string.Join(", ", types.Select(t => $"'{t}'"));
    }

    public async Task<IReadOnlyList<EventRecord>> GetCustomerTimelineAsync(
        string workspaceId, string customerId, IReadOnlyCollection<string> anonymousIds, long? beforeSeq, int limit, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        var anonymous = "";
        if (anonymousIds.Count > 0)
        {
            var names = new List<string>(anonymousIds.Count);
            foreach (var id in anonymousIds)
            {
                var name = "a" + names.Count.ToString(CultureInfo.InvariantCulture);
                names.Add("$" + name);
                cmd.Parameters.Add(new DuckDBParameter(name, id));
            }
            anonymous = $" OR (customer_id IS NULL AND anonymous_id IN ({string.Join(", ", names)}))";
        }
        cmd.CommandText = $"""
            SELECT {Columns} FROM events
            WHERE workspace_id = $ws AND (customer_id = $customer{anonymous}) AND seq < $before
            ORDER BY ts DESC, seq DESC LIMIT $limit
            """;
        cmd.Parameters.Add(new DuckDBParameter("ws", workspaceId));
        cmd.Parameters.Add(new DuckDBParameter("customer", customerId));
        cmd.Parameters.Add(new DuckDBParameter("before", beforeSeq ?? long.MaxValue));
        cmd.Parameters.Add(new DuckDBParameter("limit", limit));
        return await ReadEventsAsync(cmd, ct);
    }

    public Task<IReadOnlyList<LeanEvent>> GetVisitEventsAsync(string workspaceId, DateTime fromUtc, DateTime toUtc, CancellationToken ct) =>
        LeanEventsAsync(workspaceId, $"type NOT IN ({TypeList(OrderTypes)})", fromUtc, toUtc, ct);

    public Task<IReadOnlyList<LeanEvent>> GetEventsOfTypesAsync(
        string workspaceId, IReadOnlyCollection<string> types, DateTime fromUtc, DateTime toUtc, CancellationToken ct) =>
        LeanEventsAsync(workspaceId, $"type IN ({TypeList(types)})", fromUtc, toUtc, ct);

    /// <summary><paramref name="typeCondition"/> is built from checked type names only (<see cref="TypeList"/>).</summary>
    private async Task<IReadOnlyList<LeanEvent>> LeanEventsAsync(string workspaceId, string typeCondition, DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT customer_id, anonymous_id, ts, type, utm_source FROM events
            WHERE workspace_id = $ws AND ts >= $from AND ts < $to AND {typeCondition}
            ORDER BY customer_id NULLS FIRST, anonymous_id NULLS FIRST, ts, seq
            """;
        cmd.Parameters.Add(new DuckDBParameter("ws", workspaceId));
        cmd.Parameters.Add(new DuckDBParameter("from", fromUtc));
        cmd.Parameters.Add(new DuckDBParameter("to", toUtc));
        var result = new List<LeanEvent>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            result.Add(new LeanEvent(
                r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1),
                DateTime.SpecifyKind(r.GetDateTime(2), DateTimeKind.Utc), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));
        }
        return result;
    }

    private static readonly string[] OrderTypes = [EventTypes.OrderPlaced, EventTypes.OrderPaid, EventTypes.OrderCancelled, EventTypes.OrderRefunded];

    public async Task<IReadOnlyDictionary<string, long>> CountByTypeAsync(string workspaceId, DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT type, count(*) FROM events
            WHERE workspace_id = $ws AND ts >= $from AND ts < $to
            GROUP BY type ORDER BY type
            """;
        cmd.Parameters.Add(new DuckDBParameter("ws", workspaceId));
        cmd.Parameters.Add(new DuckDBParameter("from", fromUtc));
        cmd.Parameters.Add(new DuckDBParameter("to", toUtc));
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            result[r.GetString(0)] = r.GetInt64(1);
        }
        return result;
    }

    public async Task<DistinctCounts> CountDistinctVisitorsAsync(
        string workspaceId, string type, IReadOnlyList<DateTime> boundariesUtc, CancellationToken ct)
    {
        DistinctCounts.CheckBoundaries(boundariesUtc);
        var intervals = boundariesUtc.Count - 1;
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        // The intervals are a VALUES table of parameters; each visit (one row per visitor and interval) is joined to the
        // interval holding it. Index -1 is the whole span, counted from the same rows so that a visitor of several
        // intervals counts once there.
        var rows = string.Join(", ", Enumerable.Range(0, intervals).Select(i =>
            $"(CAST($i{i} AS INTEGER), CAST($b{i} AS TIMESTAMP), CAST($b{i + 1} AS TIMESTAMP))"));
        cmd.CommandText = $"""
            WITH bounds(i, lo, hi) AS (VALUES {rows}),
            visits AS (
                SELECT coalesce(customer_id, anonymous_id) AS visitor, ts FROM events
                WHERE workspace_id = $ws AND type = $type AND ts >= $b0 AND ts < $b{intervals}
            )
            SELECT bounds.i, count(DISTINCT visits.visitor) FROM visits JOIN bounds ON visits.ts >= bounds.lo AND visits.ts < bounds.hi
            GROUP BY bounds.i
            UNION ALL
            SELECT -1, count(DISTINCT visitor) FROM visits
            """;
        cmd.Parameters.Add(new DuckDBParameter("ws", workspaceId));
        cmd.Parameters.Add(new DuckDBParameter("type", type));
        for (var i = 0; i <= intervals; i++)
        {
            if (i < intervals)
            {
                cmd.Parameters.Add(new DuckDBParameter($"i{i}", i));
            }
            cmd.Parameters.Add(new DuckDBParameter($"b{i}", boundariesUtc[i]));
        }
        var perInterval = new long[intervals];
        long total = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var i = r.GetInt32(0);
            var count = r.GetInt64(1);
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
        var sql = new DuckDbEventSql();
        await using var c = await OpenAsync(ct);
        await using var cmd = await QueryCommandAsync(c, CustomerEventSql.Matching(query, among, sql), sql, ct);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            customers.Add(r.GetString(0));
        }
        return customers;
    }

    public async Task<IReadOnlyDictionary<string, DateTime>> EarliestMatchingAsync(
        CustomerEventQuery query, IReadOnlyCollection<string>? among, CancellationToken ct)
    {
        CustomerEventQueries.Check(query, among);
        var earliest = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var sql = new DuckDbEventSql();
        await using var c = await OpenAsync(ct);
        await using var cmd = await QueryCommandAsync(c, CustomerEventSql.Earliest(query, among, sql), sql, ct);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            earliest[r.GetString(0)] = DateTime.SpecifyKind(r.GetDateTime(1), DateTimeKind.Utc);
        }
        return earliest;
    }

    public async Task<TrafficSummary> SummarizeTrafficAsync(TrafficQuery query, CancellationToken ct)
    {
        TrafficQueries.Check(query);
        var sql = new DuckDbEventSql();
        var firstSeenThrough = await RefreshAsync(DuckDbFirstSeen.Derived, ct);
        await using var c = await OpenForTrafficAsync(query, ct);
        await using var cmd = await QueryCommandAsync(c, TrafficSql.DuckDb(query, sql, firstSeenThrough), sql, ct);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<(int, TrafficFigures)>();
        while (await r.ReadAsync(ct))
        {
            long F(int i) => r.GetInt64(i);
            rows.Add((r.GetInt32(0), new TrafficFigures(F(1), F(2), F(3), F(4), F(5), F(6), F(7), F(8), F(9), F(10), F(11), F(12))));
        }
        return TrafficQueries.Assemble(query.BoundariesUtc.Count - 1, rows);
    }

    public async Task<long> CountActiveVisitorsAsync(TrafficQuery query, CancellationToken ct)
    {
        TrafficQueries.Check(query);
        var sql = new DuckDbEventSql();
        await using var c = await OpenForTrafficAsync(query, ct);
        await using var cmd = await QueryCommandAsync(c, TrafficSql.ActiveVisitorsDuckDb(query, sql), sql, ct);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>A connection with the customers a traffic query keeps in its temporary table, when it keeps some.</summary>
    private async Task<DuckDBConnection> OpenForTrafficAsync(TrafficQuery query, CancellationToken ct)
    {
        var c = await OpenAsync(ct);
        if (query.Among is null)
        {
            return c;
        }
        try
        {
            // A list of a million customers is no statement to parse: it goes in through the appender.
            await ExecuteAsync(c, $"CREATE TEMP TABLE {TrafficSql.AmongTable} (id VARCHAR)", ct);
            using var appender = c.CreateAppender(TrafficSql.AmongTable);
            foreach (var id in query.Among)
            {
                appender.CreateRow().AppendValue(id).EndRow();
            }
            return c;
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
    }

    public async Task<VisitCohorts> VisitCohortsAsync(VisitCohortQuery query, CancellationToken ct)
    {
        VisitCohortQueries.Check(query);
        var sql = new DuckDbEventSql();
        await using var c = await OpenAsync(ct);
        await using var cmd = await QueryCommandAsync(c, VisitCohortSql.DuckDb(query, sql), sql, ct);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<(string, int, int, int, long)>();
        while (await r.ReadAsync(ct))
        {
            rows.Add((r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt64(4)));
        }
        return VisitCohortSql.Assemble(rows);
    }

    public async Task<FunnelCounts> FunnelAsync(FunnelStoreQuery query, CancellationToken ct)
    {
        query.Check();
        var sql = new DuckDbEventSql();
        var linkedThrough = await RefreshAsync(DuckDbIdentityLinks.Derived, ct);
        return FunnelSql.ReadCounts(query, await FunnelRowsAsync(FunnelSql.Counts(query, sql, linkedThrough), sql, ct));
    }

    public async Task<IReadOnlyList<FunnelVisitor>> FunnelVisitorsAsync(FunnelStoreQuery query, int? droppedAtStep, CancellationToken ct)
    {
        query.Check();
        var sql = new DuckDbEventSql();
        var linkedThrough = await RefreshAsync(DuckDbIdentityLinks.Derived, ct);
        return [.. (await FunnelRowsAsync(FunnelSql.Visitors(query, droppedAtStep, sql, linkedThrough), sql, ct)).Select(FunnelSql.ReadVisitor)];
    }

    /// <summary>Brings a derived table up to the events loaded so far, between appends; the sequence number it covers.</summary>
    private async Task<long> RefreshAsync(DuckDbDerivedTable table, CancellationToken ct)
    {
        var c = writer ?? throw new InvalidOperationException("The event store is not initialised.");
        await writeLock.WaitAsync(ct);
        try
        {
            return await table.RefreshAsync(c, ct);
        }
        finally
        {
            writeLock.Release();
        }
    }

    private async Task<List<IReadOnlyList<string?>>> FunnelRowsAsync(string text, DuckDbEventSql sql, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = await QueryCommandAsync(c, text, sql, ct);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<IReadOnlyList<string?>>();
        while (await r.ReadAsync(ct))
        {
            rows.Add([.. Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture))]);
        }
        return rows;
    }

    /// <summary>Date-time properties without an offset are UTC, whatever the machine's zone: the session is put in UTC first.</summary>
    private static async Task<DuckDBCommand> QueryCommandAsync(DuckDBConnection c, string text, DuckDbEventSql sql, CancellationToken ct)
    {
        await ExecuteAsync(c, "SET TimeZone = 'UTC'", ct);
        var cmd = c.CreateCommand();
        cmd.CommandText = text;
        sql.AddParametersTo(cmd);
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        if (writer is not null)
        {
            await writer.DisposeAsync();
            writer = null;
        }
        writeLock.Dispose();
    }

    private async Task<DuckDBConnection> OpenAsync(CancellationToken ct)
    {
        var c = new DuckDBConnection(connectionString);
        await c.OpenAsync(ct);
        return c;
    }

    private static async Task ExecuteAsync(DuckDBConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<IReadOnlyList<EventRecord>> ReadEventsAsync(DbCommand cmd, CancellationToken ct)
    {
        var list = new List<EventRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new EventRecord
            {
                Seq = r.GetInt64(0),
                WorkspaceId = r.GetString(1),
                EventId = r.GetString(2),
                DedupKey = r.IsDBNull(3) ? r.GetString(2) : r.GetString(3),
                Type = r.GetString(4),
                CustomerId = NullableString(r, 5),
                AnonymousId = NullableString(r, 6),
                Timestamp = DateTime.SpecifyKind(r.GetDateTime(7), DateTimeKind.Utc),
                ReceivedAt = DateTime.SpecifyKind(r.GetDateTime(8), DateTimeKind.Utc),
                Properties = r.GetString(9),
                Context = ReadContext(r),
            });
        }
        return list;
    }

    private static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    /// <summary>Columns 10–20; the shared empty context when all are null (lean reads, server-side events).</summary>
    private static EventContext ReadContext(DbDataReader r)
    {
        for (var i = 10; i <= 20; i++)
        {
            if (!r.IsDBNull(i))
            {
                return new EventContext
                {
                    Channel = NullableString(r, 10),
                    UtmSource = NullableString(r, 11),
                    UtmMedium = NullableString(r, 12),
                    UtmCampaign = NullableString(r, 13),
                    UtmContent = NullableString(r, 14),
                    UtmTerm = NullableString(r, 15),
                    Referrer = NullableString(r, 16),
                    Url = NullableString(r, 17),
                    Device = NullableString(r, 18),
                    Ip = NullableString(r, 19),
                    UserAgent = NullableString(r, 20),
                };
            }
        }
        return EventContext.Empty;
    }
}
