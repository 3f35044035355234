using Flywheel.Modules.Segments.Language;
using Flywheel.Modules.Segments.Model;

namespace Flywheel.Modules.Segments.Membership;

/// <summary>
/// Segments in an order where every segment comes after the segments its condition names (<c>in segment 'x'</c>), so
/// that one pass over them sees each referenced membership already current.
/// </summary>
internal static class SegmentOrder
{
    public static IReadOnlyList<(Segment Segment, Condition Condition)> Dependencies(IEnumerable<(Segment Segment, Condition Condition)> segments)
    {
        var byKey = segments.ToDictionary(s => s.Segment.Key, StringComparer.Ordinal);
        var ordered = new List<(Segment, Condition)>(byKey.Count);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: being visited; true: placed
        void Visit(string key)
        {
            if (state.TryGetValue(key, out var placed))
            {
                if (!placed)
                {
                    throw new InvalidOperationException($"Segment '{key}' depends on itself through 'in segment'.");
                }
                return;
            }
            state[key] = false;
            var s = byKey[key];
            foreach (var named in SegmentConditionRefs.SegmentsNamed(s.Condition).Where(byKey.ContainsKey))
            {
                Visit(named);
            }
            state[key] = true;
            ordered.Add(s);
        }
        foreach (var key in byKey.Keys.Order(StringComparer.Ordinal))
        {
            Visit(key);
        }
        return ordered;
    }

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
