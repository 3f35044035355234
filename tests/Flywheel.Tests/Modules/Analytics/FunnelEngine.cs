using Flywheel.Platform.Events;

namespace Flywheel.Tests.Modules.Analytics;

/// <summary>One visitor's event of one of the funnel's types.</summary>
internal sealed record FunnelEvent(string Visitor, DateTimeOffset At, string Type);

/// <summary>
/// A step's figures. <see cref="Reached"/> visitors got to it; of those who reached the step before and not this one,
/// <see cref="Waiting"/> still have time left in their window (in progress, not counted as lost) and
/// <see cref="Dropped"/> do not. <see cref="Conversion"/> is reached ÷ (reached + dropped): the share of the settled.
/// </summary>
internal sealed record FunnelStepResult(
    int Step, string Type, int Reached, int Waiting, int Dropped, double? Conversion, double? ConversionFromFirst, TimeSpan? MedianFromPrevious);

/// <summary>
/// Funnels counted per visitor (SPEC §3.10; definitions in docs/metrics.md, "Funnels"), the plain way: each visitor's
/// events walked in a loop. The tests' second method beside the event stores' funnel query: a visitor enters with their
/// first step-1 event in [from, to); steps after it count until entry + window. Pure: events in, figures out.
/// </summary>
internal static class FunnelEngine
{
    public static IReadOnlyList<FunnelStepResult> Run(
        IReadOnlyList<string> steps, IEnumerable<FunnelEvent> events, DateTimeOffset from, DateTimeOffset to, TimeSpan window,
        FunnelOrder order, DateTimeOffset now)
    {
        if (steps.Count is < 2 or > 10)
        {
            throw new ArgumentException("A funnel has 2 to 10 steps.", nameof(steps));
        }
        var reached = new int[steps.Count];
        var waiting = new int[steps.Count];
        var dropped = new int[steps.Count];
        var gaps = Enumerable.Range(0, steps.Count).Select(_ => new List<TimeSpan>()).ToArray();
        var listed = steps.ToHashSet(StringComparer.Ordinal);
        foreach (var visitor in events.Where(e => listed.Contains(e.Type)).GroupBy(e => e.Visitor, StringComparer.Ordinal))
        {
            var timeline = visitor.OrderBy(e => e.At).ToList();
            var entry = timeline.FindIndex(e => e.Type == steps[0] && e.At >= from && e.At < to);
            if (entry < 0)
            {
                continue;
            }
            var times = Match(steps, timeline, entry, timeline[entry].At + window, order);
            for (var k = 0; k < times.Count; k++)
            {
                reached[k]++;
                if (k > 0)
                {
                    gaps[k].Add(times[k] - times[k - 1]);
                }
            }
            if (times.Count < steps.Count)
            {
                // Stopped before step times.Count: lost there, unless the window is still open.
                if (timeline[entry].At + window > now)
                {
                    waiting[times.Count]++;
                }
                else
                {
                    dropped[times.Count]++;
                }
            }
        }
        return steps.Select((type, k) => new FunnelStepResult(
            k + 1, type, reached[k], waiting[k], dropped[k],
            k == 0 ? null : reached[k] + dropped[k] == 0 ? null : (double)reached[k] / (reached[k] + dropped[k]),
            reached[0] == 0 ? null : (double)reached[k] / reached[0],
            Median(gaps[k]))).ToList();
    }

    /// <summary>The times of the steps reached, step 1 first; stops at the first step not reached.</summary>
    private static List<DateTimeOffset> Match(IReadOnlyList<string> steps, List<FunnelEvent> timeline, int entry, DateTimeOffset end, FunnelOrder order)
    {
        var times = new List<DateTimeOffset> { timeline[entry].At };
        if (order == FunnelOrder.AnyOrder)
        {
            // Step k is reached when steps 2..k each have an event in [entry, end]; its time is the latest of theirs.
            var latest = timeline[entry].At;
            for (var k = 1; k < steps.Count; k++)
            {
                var first = timeline.Skip(entry + 1).FirstOrDefault(e => e.Type == steps[k] && e.At <= end);
                if (first is null)
                {
                    break;
                }
                latest = first.At > latest ? first.At : latest;
                times.Add(latest);
            }
            return times;
        }
        var position = entry;
        for (var k = 1; k < steps.Count; k++)
        {
            var next = -1;
            for (var i = position + 1; i < timeline.Count && timeline[i].At <= end; i++)
            {
                if (timeline[i].Type == steps[k])
                {
                    next = i;
                    break;
                }
                // Strict: another step of the funnel in between ends the run (a repeat of the step just reached does not).
                if (order == FunnelOrder.Strict && timeline[i].Type != steps[k - 1])
                {
                    break;
                }
            }
            if (next < 0)
            {
                break;
            }
            times.Add(timeline[next].At);
            position = next;
        }
        return times;
    }

    private static TimeSpan? Median(List<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
