namespace Flywheel.Platform.Events;

/// <summary>
/// What the KPI dashboard asks the event store about visits, for each interval of time [b(i), b(i+1)) and for the whole
/// span [b(0), b(n)). Definitions (docs/metrics.md, "Traffic and conversion"): a visitor is the event's customer id, else
/// its anonymous id; a session is a visitor's run of events other than order events and membership changes with gaps
/// under <see cref="TrafficQueries.SessionGap"/>, it belongs to the interval it starts in, and its source is the UTM
/// source of its first event (<see cref="TrafficQueries.Direct"/> without one).
/// </summary>
/// <param name="WorkspaceId">The workspace whose events are read.</param>
/// <param name="BoundariesUtc">n + 1 strictly ascending instants (local midnights, say): the store needs no time zones.</param>
/// <param name="Among">Only these customers' events (anonymous visitors are then left out); null for everyone.</param>
/// <param name="Source">Only sessions from this source, and visitors' doings within them; null for all.</param>
public sealed record TrafficQuery(string WorkspaceId, IReadOnlyList<DateTime> BoundariesUtc, IReadOnlyCollection<string>? Among = null, string? Source = null);

/// <summary>
/// The figures of one interval (or of the whole span). Visitor counts are distinct within the interval; the whole span's
/// are distinct over it, not sums of the intervals'.
/// </summary>
/// <param name="PageViews">page_view events.</param>
/// <param name="Visitors">Distinct visitors with a page_view (UV).</param>
/// <param name="NewVisitors">Of <paramref name="Visitors"/>, those whose first event ever is in the interval.</param>
/// <param name="ActiveVisitors">Distinct visitors with any session event (DAU's basis on a one-day interval).</param>
/// <param name="ActiveCustomers">Of <paramref name="ActiveVisitors"/>, or with an order event, those known by a customer id.</param>
/// <param name="Sessions">Sessions starting in the interval.</param>
/// <param name="Bounces">Of those, sessions with exactly one page_view.</param>
/// <param name="SessionMilliseconds">Sum over those sessions of last event − first event.</param>
/// <param name="ProductViewers">Distinct visitors with a product_view.</param>
/// <param name="CartAfterView">Of those, visitors with an add_to_cart later than their first product_view in the interval.</param>
/// <param name="OrderPlacers">Distinct visitors with an order_placed event (with a source: among that source's visitors).</param>
/// <param name="SignUps">sign_up events.</param>
public sealed record TrafficFigures(
    long PageViews,
    long Visitors,
    long NewVisitors,
    long ActiveVisitors,
    long ActiveCustomers,
    long Sessions,
    long Bounces,
    long SessionMilliseconds,
    long ProductViewers,
    long CartAfterView,
    long OrderPlacers,
    long SignUps)
{
    public static readonly TrafficFigures None = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>The answer to a <see cref="TrafficQuery"/>: one entry per interval, in order, and the whole span.</summary>
public sealed record TrafficSummary(IReadOnlyList<TrafficFigures> PerInterval, TrafficFigures Total);

public static class TrafficQueries
{
    /// <summary>A gap this long or longer between two of a visitor's events starts a new session (SPEC §5: gaps &lt; 30 min).</summary>
    public static readonly TimeSpan SessionGap = TimeSpan.FromMinutes(30);

    /// <summary>The source of a session whose first event carries no UTM source.</summary>
    public const string Direct = "direct";

    /// <summary>Throws <see cref="ArgumentException"/> for a query the stores cannot answer as documented.</summary>
    public static void Check(TrafficQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        DistinctCounts.CheckBoundaries(query.BoundariesUtc);
        if (query.Source is { Length: 0 })
        {
            throw new ArgumentException("A source filter cannot be empty; pass null for every source.", nameof(query));
        }
    }

    /// <summary>Builds the summary from rows keyed by interval (−1 for the whole span); intervals without rows are zeros.</summary>
    internal static TrafficSummary Assemble(int intervals, IEnumerable<(int Interval, TrafficFigures Figures)> rows)
    {
        var perInterval = Enumerable.Repeat(TrafficFigures.None, intervals).ToArray();
        var total = TrafficFigures.None;
        foreach (var (i, figures) in rows)
        {
            if (i < 0)
            {
                total = figures;
            }
            else
            {
                perInterval[i] = figures;
            }
        }
        return new TrafficSummary(perInterval, total);
    }
}
