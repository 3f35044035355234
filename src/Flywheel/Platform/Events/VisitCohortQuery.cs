namespace Flywheel.Platform.Events;

/// <summary>
/// Visitors by the period of their first visit, and the periods they came back in: what a retention table by first
/// visit is made of. A visitor is an event's customer id, else its anonymous id; a visit is any event other than order
/// events and membership changes. Periods are the intervals [b(i), b(i+1)) of <see cref="BoundariesUtc"/> (local
/// days, weeks or months, say); a visitor's cohort is the period of their first visit ever, and only visitors whose
/// first visit falls in one of the first <see cref="Cohorts"/> periods are counted.
/// </summary>
/// <param name="WorkspaceId">The workspace whose events are read.</param>
/// <param name="BoundariesUtc">Strictly ascending; the last is where activity stops being read (the end of now's period).</param>
/// <param name="Cohorts">How many of the periods are cohorts (1 to BoundariesUtc.Count − 1).</param>
/// <param name="RollingSpan">Null: period k is the cohort's period + k. Otherwise k is ⌊(visit − first visit) / span⌋.</param>
/// <param name="NowUtc">In rolling mode a visitor's period k has ended once first visit + (k + 1) × span ≤ now.</param>
public sealed record VisitCohortQuery(string WorkspaceId, IReadOnlyList<DateTime> BoundariesUtc, int Cohorts, TimeSpan? RollingSpan, DateTime NowUtc);

/// <summary>Visitors of <paramref name="Cohort"/> who visited in period <paramref name="K"/> (rolling: only where k has ended for them).</summary>
public sealed record CohortActivity(int Cohort, int K, long Visitors);

/// <summary>
/// Visitors of <paramref name="Cohort"/> by the last period that has ended for them (<paramref name="LastEnded"/>;
/// −1 for none; calendar mode answers −1 and leaves it to the caller) and the latest period they visited in.
/// </summary>
public sealed record CohortReach(int Cohort, int LastEnded, int LastVisited, long Visitors);

public sealed record VisitCohorts(IReadOnlyList<CohortActivity> Activity, IReadOnlyList<CohortReach> Reach);

public static class VisitCohortQueries
{
    public static void Check(VisitCohortQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        DistinctCounts.CheckBoundaries(query.BoundariesUtc);
        if (query.Cohorts < 1 || query.Cohorts > query.BoundariesUtc.Count - 1)
        {
            throw new ArgumentException($"Cohorts must be 1 to {query.BoundariesUtc.Count - 1}.", nameof(query));
        }
        if (query.RollingSpan is { } span && span <= TimeSpan.Zero)
        {
            throw new ArgumentException("A rolling span must be positive.", nameof(query));
        }
    }
}
