namespace Flywheel.Platform.Events;

/// <summary>
/// The SQL of <see cref="IEventStore.VisitCohortsAsync"/>, one statement per store. Both answer rows of
/// (kind, cohort, a, b, visitors): kind 'a' is <see cref="CohortActivity"/> (a = k), kind 'r' is <see cref="CohortReach"/>
/// (a = last period ended, b = last period visited).
/// </summary>
internal static class VisitCohortSql
{
    private static readonly string Skipped = string.Join(", ", new[]
    {
        EventTypes.OrderPlaced, EventTypes.OrderPaid, EventTypes.OrderCancelled, EventTypes.OrderRefunded, EventTypes.SegmentEntered, EventTypes.SegmentExited,
    }.Select(t => $"'{t}'"));

    public static string DuckDb(VisitCohortQuery q, DuckDbEventSql d)
    {
        var b = q.BoundariesUtc;
        var bounds = string.Join(", ", Enumerable.Range(0, b.Count - 1).Select(i => $"({i}, {TrafficSql.Timestamp(b[i])}, {TrafficSql.Timestamp(b[i + 1])})"));
        var rolling = q.RollingSpan is { } span ? (long)span.TotalMilliseconds : (long?)null;
        var now = ClickHouseEventStore.CeilMs(q.NowUtc);
        // Rolling periods run on each visitor's own clock, past the grid: every visit until now is read.
        var end = TrafficSql.Timestamp(rolling is null ? b[^1] : q.NowUtc);
        var k = rolling is { } r ? $"CAST((epoch_ms(v.ts) - epoch_ms(f.first_at)) // {r} AS INTEGER)" : "p.i - f.cohort";
        var periodJoin = rolling is null ? "JOIN bounds p ON v.ts >= p.lo AND v.ts < p.hi" : "";
        var lastEnded = rolling is { } s ? $"CAST(({now} - epoch_ms(first.first_at)) // {s} AS INTEGER) - 1" : "-1";
        var ended = rolling is null ? "" : "WHERE k <= last_ended";
        return $"""
            WITH bounds(i, lo, hi) AS (VALUES {bounds}),
            v AS (
                SELECT coalesce(customer_id, anonymous_id) AS visitor, ts FROM events
                WHERE workspace_id = {d.Text(q.WorkspaceId)} AND type NOT IN ({Skipped}) AND ts < {end}
            ),
            first AS (
                SELECT visitor, min(ts) AS first_at FROM v GROUP BY visitor
                HAVING min(ts) >= {TrafficSql.Timestamp(b[0])} AND min(ts) < {TrafficSql.Timestamp(b[q.Cohorts])}
            ),
            f AS (
                SELECT first.visitor, first.first_at, bounds.i AS cohort, {lastEnded} AS last_ended
                FROM first JOIN bounds ON first.first_at >= bounds.lo AND first.first_at < bounds.hi
            ),
            act AS (SELECT DISTINCT f.visitor, f.cohort, f.last_ended, {k} AS k FROM v JOIN f ON v.visitor = f.visitor {periodJoin})
            SELECT 'a', cohort, k, 0, count(*) FROM act {ended} GROUP BY cohort, k
            UNION ALL
            SELECT 'r', cohort, last_ended, last_k, count(*) FROM (SELECT visitor, cohort, last_ended, max(k) AS last_k FROM act GROUP BY 1, 2, 3)
            GROUP BY cohort, last_ended, last_k
            """;
    }

    public static string ClickHouse(VisitCohortQuery q)
    {
        var b = q.BoundariesUtc.Select(ClickHouseEventStore.CeilMs).ToList();
        // The period of an instant as a chain of comparisons, not a lambda: ClickHouse 18.16 loses a subquery's columns that a
        // lambda reads once the query has an ARRAY JOIN.
        string Index(string ts) => b.Count == 2 ? "toInt32(0)"
            : $"toInt32(multiIf({string.Join(", ", b.Skip(1).Take(b.Count - 2).Select((bound, i) => $"{ts} < {bound}, {i}"))}, {b.Count - 2}))";
        var rolling = q.RollingSpan is { } span ? (long)span.TotalMilliseconds : (long?)null;
        var now = ClickHouseEventStore.CeilMs(q.NowUtc);
        var end = rolling is null ? b[^1] : now;
        // Rolling: k from each time inside the visitor's array; calendar: from each time once unrolled.
        var periods = rolling is { } r ? $"arrayMap(t -> toInt32(intDiv(t - first_at, {r})), times)" : "times";
        var k = rolling is null ? $"{Index("t")} - cohort" : "t";
        var lastEnded = rolling is { } s ? $"toInt32(intDiv({now} - first_at, {s})) - 1" : "toInt32(-1)";
        var ended = rolling is null ? "" : "WHERE k <= last_ended";
        const string visitor = "if(customer_id = '', anonymous_id, customer_id)";
        var visits = $"""
            SELECT DISTINCT visitor, cohort, last_ended, {k} AS k FROM (
                SELECT visitor, {Index("first_at")} AS cohort, {lastEnded} AS last_ended, {periods} AS ks FROM (
                    SELECT {visitor} AS visitor, min(ts_ms) AS first_at, groupArray(ts_ms) AS times FROM events
                    WHERE workspace_id = {ClickHouseText.Literal(q.WorkspaceId)} AND type NOT IN ({Skipped}) AND ts_ms < {end}
                    GROUP BY visitor
                    HAVING first_at >= {b[0]} AND first_at < {b[q.Cohorts]}
                )
            ) ARRAY JOIN ks AS t
            """;
        return $"""
            SELECT 'a', cohort, k, toInt32(0), count() FROM ({visits}) {ended} GROUP BY cohort, k
            UNION ALL
            SELECT 'r', cohort, last_ended, last_k, count() FROM (SELECT visitor, cohort, last_ended, max(k) AS last_k FROM ({visits}) GROUP BY visitor, cohort, last_ended)
            GROUP BY cohort, last_ended, last_k
            """;
    }

    /// <summary>Builds the answer from the rows, whatever their order.</summary>
    public static VisitCohorts Assemble(IEnumerable<(string Kind, int Cohort, int A, int B, long Visitors)> rows)
    {
        var activity = new List<CohortActivity>();
        var reach = new List<CohortReach>();
        foreach (var (kind, cohort, a, b, visitors) in rows)
        {
            if (kind == "a")
            {
                activity.Add(new CohortActivity(cohort, a, visitors));
            }
            else
            {
                reach.Add(new CohortReach(cohort, a, b, visitors));
            }
        }
        return new VisitCohorts(
            [.. activity.OrderBy(x => x.Cohort).ThenBy(x => x.K)],
            [.. reach.OrderBy(x => x.Cohort).ThenBy(x => x.LastEnded).ThenBy(x => x.LastVisited)]);
    }
}
