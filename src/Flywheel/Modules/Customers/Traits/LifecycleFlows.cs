namespace Flywheel.Modules.Customers.Traits;

/// <summary>A customer as lifecycle history needs them: since when they are known, and when they paid.</summary>
public sealed record LifecycleHistory(DateTimeOffset KnownSince, IReadOnlyList<DateTimeOffset> PaidAtAscending);

/// <summary>How many customers were in each stage at one moment.</summary>
public sealed record StageCounts(DateTimeOffset At, IReadOnlyDictionary<string, int> Counts);

/// <summary>
/// Customers moving from one stage at a moment to a stage at the next moment; <see cref="From"/> is null for customers
/// who were not known yet at the earlier moment (they entered).
/// </summary>
public sealed record StageFlow(int Step, string? From, string To, int Customers);

/// <summary>
/// Stages of every customer at a series of moments (month starts, say, and now), and the flows between consecutive
/// moments: the stage-to-stage movements a Sankey diagram draws. Pure: the same customers and moments give the same
/// answer. A customer counts at a moment once known (registered or first seen) by then.
/// </summary>
public static class LifecycleFlows
{
    public static (IReadOnlyList<StageCounts> Points, IReadOnlyList<StageFlow> Flows) Of(
        IEnumerable<LifecycleHistory> customers, IReadOnlyList<DateTimeOffset> moments, LifecycleOptions options)
    {
        var names = Enum.GetValues<LifecycleStage>().Select(Lifecycle.Name).ToList();
        var counts = moments.Select(_ => names.ToDictionary(n => n, _ => 0, StringComparer.Ordinal)).ToList();
        var flows = new Dictionary<(int Step, string? From, string To), int>();
        foreach (var c in customers)
        {
            string? previous = null;
            for (var i = 0; i < moments.Count; i++)
            {
                var at = moments[i];
                string? stage = c.KnownSince <= at || c.PaidAtAscending.Count > 0 && c.PaidAtAscending[0] <= at
                    ? Lifecycle.Name(Lifecycle.Of(c.PaidAtAscending, at, options).Stage)
                    : null;
                if (stage is not null)
                {
                    counts[i][stage]++;
                    if (i > 0)
                    {
                        var key = (i, previous, stage);
                        flows[key] = flows.GetValueOrDefault(key) + 1;
                    }
                }
                previous = stage;
            }
        }
        var points = moments.Select((m, i) => new StageCounts(m, counts[i])).ToList();
        var ordered = flows
            .OrderBy(f => f.Key.Step).ThenBy(f => f.Key.From is null ? -1 : names.IndexOf(f.Key.From)).ThenBy(f => names.IndexOf(f.Key.To))
            .Select(f => new StageFlow(f.Key.Step, f.Key.From, f.Key.To, f.Value))
            .ToList();
        return (points, ordered);
    }
}
