namespace Flywheel.Platform.Events;

/// <summary>
/// The columnar event store. Embedded: DuckDB. The interface is what a distributed columnar engine must answer;
/// everything else (dedup, durability before acknowledgement) happens in the ingest pipeline in front of it.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Creates tables if missing.</summary>
    Task InitializeAsync(CancellationToken ct);

    /// <summary>The highest sequence number stored (0 when empty). Loading resumes after it.</summary>
    Task<long> GetLoadedSeqAsync(CancellationToken ct);

    /// <summary>
    /// Called by a loader that has just become the only writer among several nodes (it holds the installation's load
    /// lock): removes whatever a commit that failed, or whose node died, left past the last completed commit, and
    /// returns the highest sequence number stored — the number the next append continues from.
    /// </summary>
    Task<long> PrepareAppendAsync(CancellationToken ct);

    /// <summary>The dedup hashes of the stored events with these sequence numbers; numbers not stored are left out.</summary>
    Task<IReadOnlyDictionary<long, UInt128>> GetDedupHashesAsync(IReadOnlyCollection<long> seqs, CancellationToken ct);

    /// <summary>
    /// Starts an atomic append of events (already deduplicated, sequence numbers ascending): rows handed to it are stored
    /// together on <see cref="IEventAppend.CommitAsync"/>, or not at all when it is disposed uncommitted. Only one append
    /// is open at a time.
    /// </summary>
    IEventAppend BeginAppend();

    /// <summary>Calls <paramref name="visit"/> with the dedup hash of every stored event (used to rebuild the dedup index on start).</summary>
    Task ForEachDedupHashAsync(Action<UInt128> visit, CancellationToken ct);

    /// <summary>
    /// Events with <paramref name="afterSeq"/> &lt; seq ≤ <paramref name="throughSeq"/>, ascending, as <paramref name="selection"/>
    /// says. Sequence numbers have no gaps, so a range bounds the size of the answer.
    /// </summary>
    Task<IReadOnlyList<EventRecord>> ReadRangeAsync(long afterSeq, long throughSeq, EventSelection selection, CancellationToken ct);

    /// <summary>
    /// A customer's events, newest first, together with the events sent before identification under the customer's
    /// <paramref name="anonymousIds"/> (those without a customer id); <paramref name="beforeSeq"/> continues a previous page.
    /// </summary>
    Task<IReadOnlyList<EventRecord>> GetCustomerTimelineAsync(
        string workspaceId, string customerId, IReadOnlyCollection<string> anonymousIds, long? beforeSeq, int limit, CancellationToken ct);

    /// <summary>
    /// The events in [fromUtc, toUtc) other than order events, lean — customer, anonymous id, time, type and UTM source —
    /// ordered by customer id, then anonymous id, time and sequence number: what visits (and where they came from) are
    /// made of.
    /// </summary>
    Task<IReadOnlyList<LeanEvent>> GetVisitEventsAsync(string workspaceId, DateTime fromUtc, DateTime toUtc, CancellationToken ct);

    /// <summary>The events of <paramref name="types"/> in [fromUtc, toUtc), lean, in the order of <see cref="GetVisitEventsAsync"/>.</summary>
    Task<IReadOnlyList<LeanEvent>> GetEventsOfTypesAsync(
        string workspaceId, IReadOnlyCollection<string> types, DateTime fromUtc, DateTime toUtc, CancellationToken ct);

    /// <summary>Counts of stored events by type whose timestamp is in [fromUtc, toUtc).</summary>
    Task<IReadOnlyDictionary<string, long>> CountByTypeAsync(string workspaceId, DateTime fromUtc, DateTime toUtc, CancellationToken ct);

    /// <summary>
    /// Distinct visitors with an event of <paramref name="type"/>, exactly counted. A visitor is the event's customer id,
    /// else its anonymous id (events with neither are not stored). <paramref name="boundariesUtc"/> are n + 1 strictly
    /// ascending UTC instants that cut time into n intervals [b(i), b(i+1)); the answer has the distinct count of each
    /// interval and of the whole span [b(0), b(n)). The whole is not the sum of the parts: a visitor seen in two
    /// intervals counts once in it. Boundaries come from the caller (local midnights of the workspace time zone, say),
    /// so that the store needs no notion of time zones.
    /// </summary>
    Task<DistinctCounts> CountDistinctVisitorsAsync(string workspaceId, string type, IReadOnlyList<DateTime> boundariesUtc, CancellationToken ct);

    /// <summary>
    /// Customers (events' customer id, non-empty) having at least one event that matches the query's type, window and
    /// filter, whose measure over those matching events passes the test. Customers with no matching events are never
    /// returned: the caller handles tests that pass on "no events" (count ≤ 2, say) by complement. Sum, avg, min and max
    /// read the property as a number; events where it is absent or not a number are left out of the measure (as SQL
    /// aggregates leave out NULL): if no matching event has a number, avg, min and max have no value and the test fails,
    /// and sum is 0. <paramref name="among"/> null asks about every customer of the workspace; otherwise only about those
    /// ids, at most <see cref="CustomerEventQueries.MaxAmong"/> (more throw <see cref="ArgumentException"/>). See
    /// <see cref="CustomerEventQuery"/> and <see cref="PropertyTest"/> for how properties are read.
    /// </summary>
    Task<IReadOnlySet<string>> CustomersMatchingAsync(CustomerEventQuery query, IReadOnlyCollection<string>? among, CancellationToken ct);

    /// <summary>
    /// For each customer of <paramref name="among"/> (at most <see cref="CustomerEventQueries.MaxAmong"/>; null for every
    /// customer of the workspace) with at least
    /// one event matching the query's type, window and filter — its measure and test are not used — the time (UTC) of
    /// the earliest such event: when it leaves a rolling window, membership may change.
    /// </summary>
    Task<IReadOnlyDictionary<string, DateTime>> EarliestMatchingAsync(CustomerEventQuery query, IReadOnlyCollection<string>? among, CancellationToken ct);

    /// <summary>
    /// Visits, page views, sessions and the visitor steps of conversion in each interval of <paramref name="query"/>
    /// and over its whole span, computed in the store (see <see cref="TrafficQuery"/> for the definitions).
    /// </summary>
    Task<TrafficSummary> SummarizeTrafficAsync(TrafficQuery query, CancellationToken ct);

    /// <summary>
    /// The distinct visitors with a session event over the whole span of <paramref name="query"/> — its
    /// <see cref="TrafficFigures.ActiveVisitors"/>, without the rest of the summary (MAU needs nothing else).
    /// </summary>
    Task<long> CountActiveVisitorsAsync(TrafficQuery query, CancellationToken ct);

    /// <summary>Visitors by the period of their first visit and the periods they came back in (see <see cref="VisitCohortQuery"/>).</summary>
    Task<VisitCohorts> VisitCohortsAsync(VisitCohortQuery query, CancellationToken ct);

    /// <summary>
    /// A funnel computed in the store (<see cref="FunnelStoreQuery"/> says how visitors, entry, windows and the order modes
    /// are defined): per step reached, waiting, dropped and the median time from the previous step, for all visitors and,
    /// with a grouping, per value of the entry event's column or property. Only these figures leave the store.
    /// </summary>
    Task<FunnelCounts> FunnelAsync(FunnelStoreQuery query, CancellationToken ct);

    /// <summary>
    /// The visitors who entered the funnel, one small row each (for groupings the store cannot make, such as segments);
    /// with <paramref name="droppedAtStep"/> (2 to the step count) only those who dropped there: reached the step before,
    /// not that one, and are not waiting.
    /// </summary>
    Task<IReadOnlyList<FunnelVisitor>> FunnelVisitorsAsync(FunnelStoreQuery query, int? droppedAtStep, CancellationToken ct);
}

/// <summary>An event in brief, as visits and funnels read it: who, when, what, and the campaign source it carried, if any.</summary>
public sealed record LeanEvent(string? CustomerId, string? AnonymousId, DateTime TimestampUtc, string Type, string? UtmSource);

/// <summary>Distinct counts per interval (in the order of the boundaries that made them) and over all of them together.</summary>
public sealed record DistinctCounts(IReadOnlyList<long> PerInterval, long Total)
{
    /// <summary>The contract every store checks first: at least one interval, boundaries strictly ascending.</summary>
    public static void CheckBoundaries(IReadOnlyList<DateTime> boundariesUtc)
    {
        if (boundariesUtc.Count < 2)
        {
            throw new ArgumentException("At least two boundaries (one interval) are needed.", nameof(boundariesUtc));
        }
        for (var i = 1; i < boundariesUtc.Count; i++)
        {
            if (boundariesUtc[i] <= boundariesUtc[i - 1])
            {
                throw new ArgumentException("Boundaries must be strictly ascending.", nameof(boundariesUtc));
            }
        }
    }
}

/// <summary>Which events of a range to read, and how much of each.</summary>
/// <param name="Types">Only these types; null for all.</param>
/// <param name="PropertiesOf">
/// Null reads whole events. Otherwise reads are lean: sequence number, workspace, type, customer, anonymous id and
/// timestamp of every event, properties only of these types, and no ids, receipt time or context — which spares
/// reading and materialising the widest columns for projections that follow every event.
/// </param>
public sealed record EventSelection(IReadOnlyCollection<string>? Types = null, IReadOnlyCollection<string>? PropertiesOf = null)
{
    public static readonly EventSelection Everything = new();
}

/// <summary>An open, atomic append of events: rows are handed over as they come (so callers need not keep them) and stored on commit.</summary>
public interface IEventAppend : IAsyncDisposable
{
    void Append(IReadOnlyList<EventRecord> events);

    Task CommitAsync(CancellationToken ct);
}
