using System.Globalization;

namespace Flywheel.Platform.Events;

/// <summary>How the steps of a funnel must follow each other.</summary>
public enum FunnelOrder
{
    /// <summary>Each step after the one before it; other events may come between (the default).</summary>
    Ordered,
    /// <summary>Each step after the one before it, with no event of another step of the funnel between them.</summary>
    Strict,
    /// <summary>Every step within the window after entering, in any order.</summary>
    AnyOrder,
}

/// <summary>
/// One step of a funnel: events of <paramref name="Type"/> passing <paramref name="Where"/> (null: all of them), counted
/// when they happen no later than entry + <paramref name="Window"/> (step 1's window is not used).
/// </summary>
public sealed record FunnelStep(string Type, PropertyFilter? Where, TimeSpan Window);

/// <summary>What the visitors of a funnel are grouped by: a context column of the entry event, or one of its properties.</summary>
public sealed record FunnelGrouping(bool IsContext, string Name)
{
    /// <summary>The context columns a funnel can be broken down by.</summary>
    public static readonly IReadOnlyList<string> ContextColumns = ["channel", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "device"];
}

/// <summary>
/// A funnel for <see cref="IEventStore.FunnelAsync"/>: per visitor — the event's customer; else the customer its anonymous id
/// is linked to (the customer of the last event, by sequence number, carrying both ids, membership changes aside: the
/// rule the profile projection links by); else the anonymous id — entry is the first event matching step 1 in
/// [<paramref name="FromUtc"/>, <paramref name="ToUtc"/>), and each later step counts until entry + its window, matched as
/// <paramref name="Order"/> says. Events of one instant follow each other in the order they were stored (sequence
/// number). With <paramref name="HoldConstant"/>, steps after
/// the entry count only on events whose property has the entry event's value (the same JSON text; an entry without the
/// property reaches no further). A visitor who has not reached every step is <em>waiting</em> when the next step's
/// deadline is after <paramref name="NowUtc"/>, else <em>dropped</em>.
/// </summary>
public sealed record FunnelStoreQuery(
    string WorkspaceId,
    IReadOnlyList<FunnelStep> Steps,
    DateTime FromUtc,
    DateTime ToUtc,
    FunnelOrder Order,
    string? HoldConstant,
    FunnelGrouping? GroupBy,
    DateTime NowUtc)
{
    /// <summary>The most groups a breakdown answers with, the largest (by visitors entered) first.</summary>
    public const int MaxGroups = 20;

    /// <summary>Throws <see cref="ArgumentException"/> for a funnel the stores cannot answer as documented.</summary>
    public void Check()
    {
        if (Steps.Count is < 2 or > 10)
        {
            throw new ArgumentException("A funnel has 2 to 10 steps.", nameof(Steps));
        }
        if (Steps.Any(s => !EventTypes.IsValidName(s.Type) || s.Window <= TimeSpan.Zero))
        {
            throw new ArgumentException("Every step needs an event type and a positive window.", nameof(Steps));
        }
        foreach (var where in Steps.Select(s => s.Where).OfType<PropertyFilter>())
        {
            CustomerEventQueries.Check(new CustomerEventQuery(WorkspaceId, Steps[0].Type, null, null, where, EventMeasure.Count, null,
                new NumericTest(NumericOperator.Greater, 0)), null);
        }
        if (GroupBy is { IsContext: true } g && !FunnelGrouping.ContextColumns.Contains(g.Name))
        {
            throw new ArgumentException($"'{g.Name}' is not a context column a funnel can be broken down by.", nameof(GroupBy));
        }
        if (FromUtc >= ToUtc)
        {
            throw new ArgumentException("The range is empty.", nameof(FromUtc));
        }
    }
}

/// <summary>A step's figures: visitors who reached it; of those who reached the step before and not this one, waiting and dropped.</summary>
public sealed record FunnelStepCounts(long Reached, long Waiting, long Dropped, double? MedianMsFromPrevious);

/// <summary>The figures of one group of visitors (<see cref="Value"/> null: the visitors without a value), step by step.</summary>
public sealed record FunnelGroupCounts(string? Value, IReadOnlyList<FunnelStepCounts> Steps);

/// <summary>
/// A funnel's answer: every visitor together, and with a grouping the largest <see cref="FunnelStoreQuery.MaxGroups"/>
/// groups by visitors entered (ties by value), <see cref="MoreGroups"/> telling whether there were others.
/// </summary>
public sealed record FunnelCounts(FunnelGroupCounts Total, IReadOnlyList<FunnelGroupCounts> Groups, bool MoreGroups);

/// <summary>
/// One visitor who entered a funnel: <see cref="Id"/> is the customer id when <see cref="IsCustomer"/>, else the
/// anonymous id; the steps reached, whether they are still waiting for the next, and the milliseconds from each step
/// reached to the next one (<see cref="GapsMs"/>[k − 2] for step k).
/// </summary>
public sealed record FunnelVisitor(string Id, bool IsCustomer, int Reached, bool Waiting, IReadOnlyList<long> GapsMs);

/// <summary>
/// The SQL of <see cref="IEventStore.FunnelAsync"/> and <see cref="IEventStore.FunnelVisitorsAsync"/> for both stores.
/// The events of the steps' types in [from, to + the longest window) each get a bit mask of the steps they match (type
/// and filter) and their visitor; per visitor the entry is the first step-1 match in the range, and each later step the
/// earliest match that continues the run (ordered and strict: after the previous step, which reaches as far as any
/// match can; any: after entry) — found by one join per step on DuckDB, by a first-index search per step over each
/// visitor's sorted event arrays on ClickHouse. Only the per-visitor outcome leaves that level, and the totals are
/// aggregated in the store.
/// </summary>
internal static class FunnelSql
{
    /// <summary>One row per entered visitor: visitor, is-customer flag, group, steps reached, waiting flag, g2..gn.</summary>
    public static string Visitors(FunnelStoreQuery q, int? droppedAt, EventSqlDialect d, long? linkedThrough = null)
    {
        var n = q.Steps.Count;
        var gaps = string.Concat(Enumerable.Range(2, n - 1).Select(k => $", g{k}"));
        var where = droppedAt is { } k2 ? $" AND r = {k2 - 1} AND NOT waiting" : "";
        return $"SELECT visitor, known, r, waiting{gaps} FROM ({PerVisitor(q, d, linkedThrough)}) AS pv WHERE 1 = 1{where}";
    }

    /// <summary>
    /// Rows: total flag (1 for every visitor together), group, then per step reached, waiting, dropped and median gap.
    /// DuckDB passes <paramref name="linkedThrough"/>, the sequence number its identity-link table is current through
    /// (see <see cref="DuckDbIdentityLinks"/>); the funnel then reads the events up to it, a consistent snapshot.
    /// </summary>
    public static string Counts(FunnelStoreQuery q, EventSqlDialect d, long? linkedThrough = null)
    {
        var n = q.Steps.Count;
        var columns = new List<string>();
        for (var k = 1; k <= n; k++)
        {
            columns.Add(d.CountWhere($"r >= {k}"));
            columns.Add(k == 1 ? "0" : d.CountWhere($"r = {k - 1} AND waiting"));
            columns.Add(k == 1 ? "0" : d.CountWhere($"r = {k - 1} AND NOT waiting"));
            columns.Add(k == 1 ? "NULL" : d.MedianWhere($"g{k}", $"r >= {k}"));
        }
        var source = PerVisitor(q, d, linkedThrough);
        return q.GroupBy is null
            ? $"SELECT 1, '', {string.Join(", ", columns)} FROM ({source}) AS entered"
            : d.GroupedWithTotal(source, columns, FunnelStoreQuery.MaxGroups + 1);
    }

    /// <summary>
    /// Per entered visitor: visitor, known, grp, t1, r (steps reached), g2..gn (ms from the step before; 0 when not
    /// reached) and waiting. DuckDB runs it as one join per step (its list lambdas that read other columns are slow);
    /// ClickHouse, which has no common table expressions, with arrays.
    /// </summary>
    private static string PerVisitor(FunnelStoreQuery q, EventSqlDialect d, long? linkedThrough) => d is ClickHouseEventSql ch
        ? ByArrays(q, ch)
        : ByJoins(q, d, linkedThrough ?? throw new ArgumentException("DuckDB funnels read the identity-link table.", nameof(linkedThrough)));

    /// <summary>The events' columns (visitor, known, t, s, m, h, b) before the visitor is resolved, and the filter on them.</summary>
    private static (string Masks, string Hold, string Group, string Where) Matching(FunnelStoreQuery q, EventSqlDialect d)
    {
        var masks = Masks(q, d, Enumerable.Range(0, q.Steps.Count));
        var until = q.ToUtc + q.Steps.Skip(1).Max(s => s.Window);
        return (masks, Hold(q, d), Group(q, d),
            $"workspace_id = {d.Text(q.WorkspaceId)} AND type IN ({Types(q, d, Enumerable.Range(0, q.Steps.Count))}) AND {d.AtOrAfter(q.FromUtc)} AND {d.Before(until)}");
    }

    /// <summary>The event's value of the held property as JSON text; '' when it has none.</summary>
    private static string Hold(FunnelStoreQuery q, EventSqlDialect d) =>
        q.HoldConstant is { } h ? $"CASE WHEN {d.Present(h)} THEN {d.Raw(h)} ELSE '' END" : "''";

    /// <summary>The event's group, '=' and the value; '' when it has none (or there is no grouping).</summary>
    private static string Group(FunnelStoreQuery q, EventSqlDialect d) => q.GroupBy switch
    {
        null => "''",
        { IsContext: true } g => d.GroupValue(g.Name),
        { } g => $"CASE WHEN {d.Present(g.Name)} THEN {d.Concat("'='", d.DisplayValue(g.Name))} ELSE '' END",
    };

    /// <summary>The bit mask of the given steps an event matches (type and filter): bit i for step i + 1.</summary>
    private static string Masks(FunnelStoreQuery q, EventSqlDialect d, IEnumerable<int> steps) => string.Join(" + ", steps.Select(i =>
        $"CASE WHEN type = {d.Text(q.Steps[i].Type)}{(q.Steps[i].Where is null ? "" : $" AND ({CustomerEventSql.FilterText(q.Steps[i].Where!, d)})")} THEN {1L << i} ELSE 0 END"));

    private static string Types(FunnelStoreQuery q, EventSqlDialect d, IEnumerable<int> steps) =>
        string.Join(", ", steps.Select(i => q.Steps[i].Type).Distinct(StringComparer.Ordinal).Select(d.Text));

    /// <summary>
    /// An event's time and sequence number as one ordered key, <c>t · 2⁴⁰ + seq</c> (a HUGEINT): comparing keys compares
    /// (time, storage order), and <c>key &gt;&gt; 40</c> is the time again.
    /// </summary>
    private const string Key = "(epoch_ms(ts)::HUGEINT * 1099511627776 + seq)";

    /// <summary>The first key after the millisecond <paramref name="ms"/> ends, for "no later than ms".</summary>
    private static string KeyAfter(string ms) => $"(({ms} + 1)::HUGEINT * 1099511627776)";

    /// <summary>
    /// DuckDB: two scans of the events up to <paramref name="linkedThrough"/>, each resolving its visitors through the
    /// identity-link table — step 1's matches in the range give each visitor's entry, and the matches of the later steps
    /// are kept once — then per step the earliest match that continues each visitor's run, by a join on the visitor.
    /// </summary>
    private static string ByJoins(FunnelStoreQuery q, EventSqlDialect d, long linkedThrough)
    {
        var n = q.Steps.Count;
        var windows = q.Steps.Select(s => (long)s.Window.TotalMilliseconds).ToList();
        var hold = Hold(q, d);
        var ws = d.Text(q.WorkspaceId);
        var until = q.ToUtc + q.Steps.Skip(1).Max(s => s.Window);
        // Strict looks at step 1's matches after entry too: a repeated step 1 does not break a run, another event does.
        var later = q.Order == FunnelOrder.Strict ? Enumerable.Range(0, n).ToList() : Enumerable.Range(1, n - 1).ToList();
        string Resolved(string columns, string where) => $"""
            SELECT coalesce(e.customer_id, l.customer_id, 'anonymous:' || e.anonymous_id) AS visitor,
                CASE WHEN e.customer_id IS NULL AND l.customer_id IS NULL THEN 0 ELSE 1 END AS known, {columns}
            FROM (SELECT * FROM events WHERE workspace_id = {ws} AND seq <= {linkedThrough} AND {where}) AS e
            LEFT JOIN (SELECT anonymous_id, customer_id FROM {DuckDbIdentityLinks.Table} WHERE workspace_id = {ws}) AS l
                ON l.anonymous_id = CASE WHEN e.customer_id IS NULL THEN e.anonymous_id END
            """;
        var first = q.Steps[0];
        var entryWhere = $"type = {d.Text(first.Type)}{(first.Where is null ? "" : $" AND ({CustomerEventSql.FilterText(first.Where, d)})")} AND {d.AtOrAfter(q.FromUtc)} AND {d.Before(q.ToUtc)}";
        var laterWhere = $"type IN ({Types(q, d, later)}) AND {d.AtOrAfter(q.FromUtc)} AND {d.Before(until)}";
        var holdOk = q.HoldConstant is null ? "" : " AND x.h = v.he AND v.he != ''";
        var ctes = new List<string>
        {
            $"""
            ev AS MATERIALIZED (
                SELECT * FROM ({Resolved($"{Key} AS k, {Masks(q, d, later)} AS m, {hold} AS h", laterWhere)}) AS matched WHERE m > 0)
            """,
            $"""
            v1 AS MATERIALIZED (
                SELECT visitor, max(known) AS known, min(k) AS k1, arg_min(h, k) AS he, arg_min(b, k) AS grp
                FROM ({Resolved($"{Key} AS k, {hold} AS h, {Group(q, d)} AS b", entryWhere)}) AS entries GROUP BY visitor)
            """,
        };
        for (var k = 2; k <= n; k++)
        {
            var bit = d.Bit(k - 1, "x.m");
            // Ordered and strict continue after the step before; any order after entry, each step on its own.
            var (after, previous) = q.Order == FunnelOrder.AnyOrder ? ("v1", "v.k1") : ($"v{k - 1}", $"v.k{k - 1}");
            var test = q.Order == FunnelOrder.Strict ? $"({bit} OR NOT ({d.Bit(k - 2, "x.m")}))" : bit;
            ctes.Add($"""
                m{k} AS (
                    SELECT v.visitor, min(x.k) AS p{k}, arg_min(x.m, x.k) AS mask{k} FROM {after} AS v JOIN ev AS x USING (visitor)
                    WHERE {previous} IS NOT NULL AND {test} AND x.k > {previous} AND x.k < {KeyAfter($"(v.k1 >> 40) + {windows[k - 1]}")}{holdOk}
                    GROUP BY v.visitor)
                """);
            var continues = q.Order == FunnelOrder.Strict ? $"k{k - 1} IS NOT NULL AND {d.Bit(k - 1, $"mask{k}")}" : $"k{k - 1} IS NOT NULL AND p{k} IS NOT NULL";
            var key = q.Order == FunnelOrder.AnyOrder ? $"greatest(k{k - 1}, p{k})" : $"p{k}";
            ctes.Add($"v{k} AS MATERIALIZED (SELECT v.*, CASE WHEN {continues} THEN {key} END AS k{k} FROM v{k - 1} AS v LEFT JOIN m{k} USING (visitor))");
        }
        var reachedCount = "CASE " + string.Concat(Enumerable.Range(2, n - 1).Select(k => $"WHEN k{k} IS NULL THEN {k - 1} ")) + $"ELSE {n} END";
        var gaps = string.Concat(Enumerable.Range(2, n - 1).Select(k => $", coalesce((k{k} >> 40) - (k{k - 1} >> 40), 0)::BIGINT AS g{k}"));
        var outcome = $"SELECT visitor, known, grp, (k1 >> 40)::BIGINT AS t1, {reachedCount} AS r{gaps} FROM v{n}";
        return $"WITH {string.Join(", ", ctes)} SELECT *, {Waiting(q)} AS waiting FROM ({outcome}) AS outcome";
    }

    /// <summary>Whether a visitor who stopped at step r still has time for step r + 1 at the time of the question.</summary>
    private static string Waiting(FunnelStoreQuery q)
    {
        var windows = q.Steps.Select(s => (long)s.Window.TotalMilliseconds).ToList();
        return "CASE " + string.Concat(Enumerable.Range(1, q.Steps.Count - 1).Select(k => $"WHEN r = {k} THEN (t1 + {windows[k]} > {Ms(q.NowUtc)}) ")) +
            "ELSE (1 = 0) END";
    }

    /// <summary>ClickHouse: each visitor's matching events gathered into arrays, and one first-index search per step.</summary>
    private static string ByArrays(FunnelStoreQuery q, ClickHouseEventSql d)
    {
        var n = q.Steps.Count;
        var fromMs = Ms(q.FromUtc);
        var toMs = Ms(q.ToUtc);
        var windows = q.Steps.Select(s => (long)s.Window.TotalMilliseconds).ToList();
        var (masks, hold, group, where) = Matching(q, d);
        var events = d.FunnelEvents(where, masks, hold, group, d.Text(q.WorkspaceId));
        // Ordered and any look only at events of steps 2..n after entry; strict also at step 1's (they may break a run).
        var listed = q.Order == FunnelOrder.Strict ? "1 = 1" : $"m >= 2";
        var sql = ClickHouseEventSql.FunnelLists(events, $"{d.Bit(0, "m")} AND t >= {fromMs} AND t < {toMs}", listed);

        var e = ClickHouseEventSql.Element;
        string Bit(int step) => d.Bit(step - 1, e.M);
        var holdOk = q.HoldConstant is null ? "1 = 1" : $"{e.H} = he AND he != ''";
        string After(string t, string s) => $"({e.T} > {t} OR {e.T} = {t} AND {e.S} > {s})";
        // One level per search, so that no store expands an alias into the searches after it.
        for (var k = 2; k <= n; k++)
        {
            var deadline = $"{e.T} <= t1 + {windows[k - 1]} AND {holdOk}";
            var previousReached = k == 2 ? "1 = 1" : $"i{k - 1} > 0";
            string search, take, time;
            switch (q.Order)
            {
                case FunnelOrder.Ordered:
                    search = $"{After($"t{k - 1}", $"s{k - 1}")} AND {deadline} AND {Bit(k)}";
                    take = $"CASE WHEN {previousReached} THEN j{k} ELSE 0 END";
                    time = $"{ClickHouseEventSql.At("T", $"i{k}")}";
                    break;
                case FunnelOrder.Strict:
                    // The first event after the previous step that is this step or another step than the previous one decides.
                    search = $"{After($"t{k - 1}", $"s{k - 1}")} AND {deadline} AND ({Bit(k)} OR NOT ({Bit(k - 1)}))";
                    take = $"CASE WHEN {previousReached} AND j{k} > 0 AND {d.Bit(k - 1, ClickHouseEventSql.At("M", $"j{k}"))} THEN j{k} ELSE 0 END";
                    time = $"{ClickHouseEventSql.At("T", $"i{k}")}";
                    break;
                default:
                    // Any order: step k's time is the latest of steps 2..k's first matches after entry.
                    search = $"{After("t1", "s1")} AND {deadline} AND {Bit(k)}";
                    take = $"CASE WHEN {previousReached} THEN j{k} ELSE 0 END";
                    time = ClickHouseEventSql.Greatest($"t{k - 1}", ClickHouseEventSql.At("T", $"i{k}"));
                    break;
            }
            var captured = new List<string> { "t1", $"t{k - 1}", $"s{k - 1}", "s1" }.Distinct().ToList();
            if (q.HoldConstant is not null)
            {
                captured.Add("he");
            }
            sql = $"SELECT *, {ClickHouseEventSql.FirstIndex(search, captured)} AS j{k} FROM ({sql}) AS search{k}";
            sql = $"SELECT *, {take} AS i{k} FROM ({sql}) AS take{k}";
            sql = $"SELECT *, CASE WHEN i{k} = 0 THEN 0 ELSE {time} END AS t{k}, CASE WHEN i{k} = 0 THEN 0 ELSE {ClickHouseEventSql.At("S", $"i{k}")} END AS s{k} FROM ({sql}) AS time{k}";
        }
        var reached = "CASE " + string.Concat(Enumerable.Range(2, n - 1).Select(k => $"WHEN i{k} = 0 THEN {k - 1} ")) + $"ELSE {n} END";
        var gaps = string.Concat(Enumerable.Range(2, n - 1).Select(k => $", CASE WHEN i{k} = 0 THEN 0 ELSE t{k} - t{k - 1} END AS g{k}"));
        sql = $"SELECT visitor, known, grp, t1, {reached} AS r{gaps} FROM ({sql}) AS steps";
        return $"SELECT *, {Waiting(q)} AS waiting FROM ({sql}) AS outcome";
    }

    /// <summary>Reads the rows of <see cref="Counts"/>, each as its fields' invariant text (null for SQL NULL).</summary>
    public static FunnelCounts ReadCounts(FunnelStoreQuery q, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var n = q.Steps.Count;
        FunnelGroupCounts? total = null;
        var groups = new List<FunnelGroupCounts>();
        foreach (var row in rows)
        {
            var steps = Enumerable.Range(0, n).Select(k => new FunnelStepCounts(
                Long(row[2 + 4 * k]), Long(row[3 + 4 * k]), Long(row[4 + 4 * k]),
                row[5 + 4 * k] is { } m ? double.Parse(m, CultureInfo.InvariantCulture) : null)).ToList();
            var key = row[1] ?? "";
            var counts = new FunnelGroupCounts(key.Length == 0 ? null : key[1..], steps);
            if (Long(row[0]) == 1)
            {
                total = counts;
            }
            else
            {
                groups.Add(counts);
            }
        }
        var empty = new FunnelGroupCounts(null, [.. Enumerable.Range(0, n).Select(_ => new FunnelStepCounts(0, 0, 0, null))]);
        return new FunnelCounts(total ?? empty, [.. groups.Take(FunnelStoreQuery.MaxGroups)], groups.Count > FunnelStoreQuery.MaxGroups);
    }

    /// <summary>Reads a row of <see cref="Visitors"/>.</summary>
    public static FunnelVisitor ReadVisitor(IReadOnlyList<string?> row)
    {
        var visitor = row[0]!;
        var known = Long(row[1]) == 1;
        var reached = (int)Long(row[2]);
        var waiting = row[3] is "1" or "true" or "True";
        var gaps = Enumerable.Range(4, reached - 1).Select(i => Long(row[i])).ToList();
        return new FunnelVisitor(known ? visitor : visitor["anonymous:".Length..], known, reached, waiting, gaps);
    }

    private static long Long(string? text) => text is null ? 0 : long.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Milliseconds since the Unix epoch, rounded up: for stored millisecond times v, v ≥ t ⇔ v ≥ ⌈t⌉.</summary>
    internal static long Ms(DateTime t) => ClickHouseEventStore.CeilMs(t);
}

/// <summary>Names of one array element inside a <see cref="ClickHouseEventSql.FirstIndex"/> condition.</summary>
internal sealed record FunnelElement(string T, string S, string M, string H);
