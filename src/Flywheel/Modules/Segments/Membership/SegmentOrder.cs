using Flywheel.Modules.Segments.Language;
using Flywheel.Modules.Segments.Model;

namespace Flywheel.Modules.Segments.Membership;

/// <summary>Keeps segments from depending on themselves through <c>in segment</c>.</summary>
internal static class SegmentOrder
{
    /// <summary>Whether <paramref name="key"/> would depend on itself if its condition were <paramref name="condition"/>.</summary>
    public static bool WouldCycle(string key, Condition condition, IEnumerable<(Segment Segment, Condition Condition)> others)
    {
        var byKey = others.Where(o => o.Segment.Key != key).ToDictionary(o => o.Segment.Key, o => o.Condition, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(SegmentConditionRefs.SegmentsNamed(condition));
        while (pending.TryPop(out var next))
        {
            if (next == key)
            {
                return true;
            }
            if (seen.Add(next) && byKey.TryGetValue(next, out var c))
            {
                foreach (var n in SegmentConditionRefs.SegmentsNamed(c))
                {
                    pending.Push(n);
                }
            }
        }
        return false;
    }
}
