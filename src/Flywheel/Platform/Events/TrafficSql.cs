using System.Globalization;

namespace Flywheel.Platform.Events;

/// <summary>
/// The SQL of <see cref="IEventStore.SummarizeTrafficAsync"/>. The two stores differ too much for one text: DuckDB
/// numbers sessions with window functions, while ClickHouse 18.16 has none and numbers them inside per-visitor arrays.
/// Both answer the same columns — interval (−1 for the whole span) and the figures in <see cref="TrafficFigures"/>'
/// order — and every row is duplicated into its interval and the whole span, so distinct counts over the span come from
/// the same rows as the intervals'.
/// </summary>
internal static class TrafficSql
{
    private static readonly string OrderTypes = string.Join(", ",
        new[] { EventTypes.OrderPlaced, EventTypes.OrderPaid, EventTypes.OrderCancelled, EventTypes.OrderRefunded }.Select(t => $"'{t}'"));

    private static readonly string MembershipTypes = $"'{EventTypes.SegmentEntered}', '{EventTypes.SegmentExited}'";

    private static readonly long GapMs = (long)TrafficQueries.SessionGap.TotalMilliseconds;

    /// <summary>The connection-local table holding <see cref="TrafficQuery.Among"/> on DuckDB.</summary>
    public const string AmongTable = "traffic_among";

    /// <summary>
    /// DuckDB reads the events up to <paramref name="firstSeenThrough"/>, the sequence number its table of first visits
    /// is current through (see <see cref="DuckDbFirstSeen"/>), so that every visitor it counts has a first visit there.
    /// </summary>
    public static string DuckDb(TrafficQuery q, DuckDbEventSql d, long firstSeenThrough)
    {
        var b = q.BoundariesUtc;
        var bounds = string.Join(", ", Enumerable.Range(0, b.Count - 1).Select(i => $"({i}, {Timestamp(b[i])})"));
        var scope = DuckDbScope(q, d);
        var sourceSet = q.Source is null ? "false" : "true";
        var kept = q.Source is null ? "sessions" : $"(SELECT * FROM sessions WHERE src = {d.Text(q.Source)})";
        // What a visitor did: without a source every event counts, each session event as a visit; with one, only the
        // events of its sessions, and order events (which belong to no session).
        var doings = q.Source is null
            ? "SELECT visitor, customer_id, ts, type, i, NOT is_order AS visit FROM ev"
            : """
                SELECT n.visitor, n.customer_id, n.ts, n.type, n.i, true AS visit FROM numbered n JOIN kept k ON n.visitor = k.visitor AND n.sid = k.sid
                UNION ALL
                SELECT visitor, customer_id, ts, type, i, false FROM ev WHERE is_order
                """;
        // Each event finds its interval once, by a binary search written out as nested comparisons (about twice as fast
        // as an ASOF join, which sorts the events); the whole span is a second grouping set of the same aggregation, so no
        // row is copied for it.
        return $"""
            WITH bounds(i, lo) AS (VALUES {bounds}),
            ev AS (
                SELECT coalesce(customer_id, anonymous_id) AS visitor, customer_id, ts, seq, type, {IntervalOf("ts", b, 0, b.Count - 1)} AS i,
                    coalesce(nullif(utm_source, ''), '{TrafficQueries.Direct}') AS src, type IN ({OrderTypes}) AS is_order
                FROM events
                WHERE {scope} AND ts >= {Timestamp(b[0])} AND ts < {Timestamp(b[^1])} AND seq <= {firstSeenThrough.ToString(CultureInfo.InvariantCulture)}
            ),
            marked AS (
                SELECT {(q.Source is null ? "" : "customer_id, ")}visitor, ts, seq, type, i, src, CASE WHEN lag(ts) OVER w IS NULL OR epoch_ms(ts) - epoch_ms(lag(ts) OVER w) >= {GapMs} THEN 1 ELSE 0 END AS starts
                FROM ev WHERE NOT is_order WINDOW w AS (PARTITION BY visitor ORDER BY ts, seq)
            ),
            numbered AS (SELECT *, sum(starts) OVER (PARTITION BY visitor ORDER BY ts, seq ROWS UNBOUNDED PRECEDING) AS sid FROM marked),
            sessions AS (
                SELECT visitor, sid, min(ts) AS first_at, max(ts) AS last_at, count_if(type = 'page_view') AS views,
                    max(CASE WHEN starts = 1 THEN src END) AS src, max(CASE WHEN starts = 1 THEN i END) AS i
                FROM numbered GROUP BY visitor, sid
            ),
            kept AS (SELECT * FROM {kept}),
            doings AS ({doings}),
            per_visitor AS (
                SELECT coalesce(i, -1) AS i, visitor, max(customer_id) AS customer, count_if(type = 'page_view') AS views,
                    count_if(type = 'sign_up') AS sign_ups,
                    min(ts) FILTER (WHERE type = 'product_view') AS first_view, max(ts) FILTER (WHERE type = 'add_to_cart') AS last_cart,
                    bool_or(type = 'order_placed') AS placed, bool_or(visit) AS visited
                FROM doings GROUP BY GROUPING SETS ((i, visitor), (visitor))
            ),
            first_seen AS (
                SELECT visitor, first_at FROM {DuckDbFirstSeen.Table}
                WHERE workspace_id = {d.Text(q.WorkspaceId)} AND visitor IN (SELECT visitor FROM per_visitor WHERE i = -1 AND views > 0)
            ),
            visitor_figures AS (
                SELECT p.i, sum(p.views) AS views, count_if(coalesce(p.views > 0, false)) AS uv,
                    count_if(coalesce(p.views > 0 AND f.first_at >= coalesce(bounds.lo, {Timestamp(b[0])}), false)) AS new_visitors,
                    count_if(coalesce(p.visited, false)) AS active_visitors,
                    count_if(coalesce(p.customer IS NOT NULL AND (p.visited OR NOT {sourceSet}), false)) AS active_customers,
                    count_if(coalesce(p.first_view IS NOT NULL AND p.visited, false)) AS viewers,
                    count_if(coalesce(p.last_cart > p.first_view AND p.visited, false)) AS cart_after_view,
                    count_if(coalesce(p.placed AND (p.visited OR NOT {sourceSet}), false)) AS placers,
                    sum(p.sign_ups) AS sign_ups
                FROM per_visitor p LEFT JOIN bounds ON p.i = bounds.i LEFT JOIN first_seen f ON p.visitor = f.visitor
                GROUP BY p.i
            ),
            session_figures AS (
                SELECT coalesce(i, -1) AS i, count(*) AS sessions, count_if(views = 1) AS bounces, sum(epoch_ms(last_at) - epoch_ms(first_at)) AS ms
                FROM kept GROUP BY GROUPING SETS ((i), ())
            )
            SELECT v.i, {Bigints("v.views", "v.uv", "v.new_visitors", "v.active_visitors", "v.active_customers", "coalesce(s.sessions, 0)",
                "coalesce(s.bounces, 0)", "coalesce(s.ms, 0)", "v.viewers", "v.cart_after_view", "v.placers", "v.sign_ups")}
            FROM visitor_figures v LEFT JOIN session_figures s ON v.i = s.i
            """;
    }

    /// <summary>
    /// The distinct visitors with a session event over the whole span (<see cref="TrafficFigures.ActiveVisitors"/> of
    /// the span, as <see cref="DuckDb"/> counts them) without the rest: no session is numbered unless a source is asked
    /// for, and then only their starts are found.
    /// </summary>
    public static string ActiveVisitorsDuckDb(TrafficQuery q, DuckDbEventSql d)
    {
        var b = q.BoundariesUtc;
        var events = $"""
            SELECT coalesce(customer_id, anonymous_id) AS visitor, ts, seq, coalesce(nullif(utm_source, ''), '{TrafficQueries.Direct}') AS src
            FROM events WHERE {DuckDbScope(q, d)} AND ts >= {Timestamp(b[0])} AND ts < {Timestamp(b[^1])} AND type NOT IN ({OrderTypes})
            """;
        // With a source, a visitor is active when one of their sessions starts from it.
        return q.Source is null
            ? $"SELECT count(DISTINCT visitor) FROM ({events})"
            : $"""
                SELECT count(DISTINCT visitor) FROM (
                    SELECT visitor, src, ts, lag(ts) OVER (PARTITION BY visitor ORDER BY ts, seq) AS before FROM ({events}))
                WHERE (before IS NULL OR epoch_ms(ts) - epoch_ms(before) >= {GapMs}) AND src = {d.Text(q.Source)}
                """;
    }

    /// <summary>The events a DuckDB traffic query reads: the workspace's, membership changes aside, of the customers kept.</summary>
    private static string DuckDbScope(TrafficQuery q, DuckDbEventSql d)
    {
        // The customers, however many, are rows of a temporary table the store fills first (see AmongTable).
        var among = q.Among is null ? "" : $" AND customer_id IN (SELECT id FROM {AmongTable})";
        return $"workspace_id = {d.Text(q.WorkspaceId)} AND type NOT IN ({MembershipTypes}){among}";
    }

    /// <summary>What <see cref="ActiveVisitorsDuckDb"/> counts, on ClickHouse.</summary>
    public static string ActiveVisitorsClickHouse(TrafficQuery q)
    {
        var b = q.BoundariesUtc.Select(ClickHouseEventStore.CeilMs).ToList();
        return q.Source is null
            ? $"SELECT uniqExact({ClickHouseVisitor}) FROM events WHERE {ClickHouseScope(q)} AND {ClickHouseSpan(b)} AND type NOT IN ({OrderTypes})"
            : $"SELECT uniqExact(visitor) FROM ({ClickHouseVisits(q, b)})";
    }

    private const string ClickHouseVisitor = "if(customer_id = '', anonymous_id, customer_id)";

    private static string ClickHouseScope(TrafficQuery q)
    {
        // '' is ClickHouse's "no customer": an empty list must not select the anonymous visitors.
        var among = q.Among is null ? "" : q.Among.Any(c => c.Length > 0) ? $" AND customer_id IN ({ClickHouseText.Literals(q.Among.Where(c => c.Length > 0))})" : " AND 1 = 0";
        return $"workspace_id = {ClickHouseText.Literal(q.WorkspaceId)} AND type NOT IN ({MembershipTypes}){among}";
    }

    private static string ClickHouseSpan(IReadOnlyList<long> b) => $"ts_ms >= {b[0]} AND ts_ms < {b[^1]}";

    /// <summary>
    /// A visitor's session events, sorted, numbered into sessions (a session starts at the first event or after a gap),
    /// each with its session's source: the source of the session's first event; with a source asked for, only its sessions.
    /// </summary>
    private static string ClickHouseVisits(TrafficQuery q, IReadOnlyList<long> b)
    {
        var keep = q.Source is null ? "" : $"WHERE session_src = {ClickHouseText.Literal(q.Source)}";
        return $"""
            SELECT visitor, customer, e.1 AS ts, e.3 AS type, sid, session_src FROM (
                SELECT {ClickHouseVisitor} AS visitor, any(customer_id) AS customer,
                    arraySort(x -> (x.1, x.2), groupArray((ts_ms, seq, type, if(ifNull(utm_source, '') = '', '{TrafficQueries.Direct}', assumeNotNull(utm_source))))) AS evs,
                    arrayCumSum(arrayMap((x, k) -> toUInt64(k = 1 OR x.1 - evs[k - 1].1 >= {GapMs}), evs, arrayEnumerate(evs))) AS sids,
                    arrayMap(s -> evs[indexOf(sids, s)].4, sids) AS srcs
                FROM events WHERE {ClickHouseScope(q)} AND {ClickHouseSpan(b)} AND type NOT IN ({OrderTypes})
                GROUP BY visitor
            ) ARRAY JOIN evs AS e, sids AS sid, srcs AS session_src
            {keep}
            """;
    }

    public static string ClickHouse(TrafficQuery q)
    {
        var b = q.BoundariesUtc.Select(ClickHouseEventStore.CeilMs).ToList();
        var inner = b.Skip(1).Take(b.Count - 2).ToList();
        string Interval(string ts) => inner.Count == 0 ? "toInt32(0)" : $"toInt32(arrayCount(x -> x <= {ts}, [{Numbers(inner)}]))";
        // Each row goes to its interval and to the whole span (−1).
        string Both(string ts) => $"arrayJoin([{Interval(ts)}, toInt32(-1)])";
        var lows = $"[{Numbers(b.Take(b.Count - 1))}]";
        var scope = ClickHouseScope(q);
        var span = ClickHouseSpan(b);
        const string visitor = ClickHouseVisitor;
        var sourceSet = q.Source is null ? "0" : "1";
        var visits = ClickHouseVisits(q, b);
        var doings = $"""
            SELECT visitor, customer, ts, type, toUInt8(1) AS visit FROM ({visits})
            UNION ALL
            SELECT {visitor} AS visitor, customer_id AS customer, ts_ms AS ts, type, toUInt8(0) AS visit
            FROM events WHERE {scope} AND {span} AND type IN ({OrderTypes})
            """;
        var perVisitor = $"""
            SELECT {Both("ts")} AS i, visitor, max(customer) AS known, countIf(type = 'page_view') AS views,
                countIf(type = 'sign_up') AS sign_ups, countIf(type = 'product_view') AS view_events, minIf(ts, type = 'product_view') AS first_view,
                countIf(type = 'add_to_cart') AS cart_events, maxIf(ts, type = 'add_to_cart') AS last_cart,
                max(type = 'order_placed') AS placed, max(visit) AS visited
            FROM ({doings}) GROUP BY i, visitor
            """;
        var firstSeen = $"SELECT {visitor} AS visitor, min(ts_ms) AS first_at FROM events WHERE {scope} AND ts_ms < {b[^1]} GROUP BY visitor";
        var visitorFigures = $"""
            SELECT i, sum(views) AS f_views, countIf(views > 0) AS f_uv,
                countIf(views > 0 AND first_at >= {lows}[if(i < 0, 1, i + 1)]) AS f_new_visitors,
                countIf(visited = 1) AS f_active_visitors,
                countIf(known != '' AND (visited = 1 OR {sourceSet} = 0)) AS f_active_customers,
                countIf(view_events > 0 AND visited = 1) AS f_viewers,
                countIf(view_events > 0 AND cart_events > 0 AND last_cart > first_view AND visited = 1) AS f_cart_after_view,
                countIf(placed = 1 AND (visited = 1 OR {sourceSet} = 0)) AS f_placers,
                sum(sign_ups) AS f_sign_ups
            FROM ({perVisitor}) ANY LEFT JOIN ({firstSeen}) USING visitor
            GROUP BY i
            """;
        var sessionFigures = $"""
            SELECT {Both("first_at")} AS i, count() AS f_sessions, countIf(views = 1) AS f_bounces, sum(last_at - first_at) AS f_ms
            FROM (SELECT visitor, sid, min(ts) AS first_at, max(ts) AS last_at, countIf(type = 'page_view') AS views FROM ({visits}) GROUP BY visitor, sid)
            GROUP BY i
            """;
        return $"""
            SELECT i, f_views, f_uv, f_new_visitors, f_active_visitors, f_active_customers, f_sessions, f_bounces, f_ms, f_viewers, f_cart_after_view, f_placers, f_sign_ups
            FROM ({visitorFigures}) ANY LEFT JOIN ({sessionFigures}) USING i
            """;
    }

    /// <summary>
    /// The index of the interval [b(i), b(i+1)) holding <paramref name="column"/>, for i in [<paramref name="lo"/>,
    /// <paramref name="hi"/>), as nested comparisons halving the range: log₂ n comparisons a row.
    /// </summary>
    private static string IntervalOf(string column, IReadOnlyList<DateTime> b, int lo, int hi)
    {
        if (hi - lo == 1)
        {
            return lo.ToString(CultureInfo.InvariantCulture);
        }
        var mid = (lo + hi) / 2;
        return $"CASE WHEN {column} < {Timestamp(b[mid])} THEN {IntervalOf(column, b, lo, mid)} ELSE {IntervalOf(column, b, mid, hi)} END";
    }

    /// <summary>DuckDB sums are 128-bit; every figure fits in 64.</summary>
    private static string Bigints(params string[] columns) => string.Join(", ", columns.Select(c => $"CAST({c} AS BIGINT)"));

    /// <summary>A UTC instant as a DuckDB TIMESTAMP literal (made from a DateTime, never from user text).</summary>
    internal static string Timestamp(DateTime utc) =>
        "TIMESTAMP '" + utc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "'";

    private static string Numbers(IEnumerable<long> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
