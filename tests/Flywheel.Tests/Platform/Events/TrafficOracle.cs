using Flywheel.Platform.Events;

namespace Flywheel.Tests.Platform.Events;

/// <summary>
/// The traffic summary's definitions (docs/metrics.md, "Traffic and conversion") computed a second way: in plain code,
/// one visitor and one interval at a time, from the same events the store was given.
/// </summary>
internal static class TrafficOracle
{
    private static readonly HashSet<string> OrderTypes = ["order_placed", "order_paid", "order_cancelled", "order_refunded"];

    public static TrafficSummary Summarize(IReadOnlyList<EventRecord> all, TrafficQuery q)
    {
        var b = q.BoundariesUtc;
        var scoped = all.Where(e => e.WorkspaceId == q.WorkspaceId && e.Type is not ("segment_entered" or "segment_exited"))
            .Where(e => q.Among is null || (e.CustomerId is not null && q.Among.Contains(e.CustomerId))).ToList();
        static string VisitorOf(EventRecord e) => e.CustomerId ?? e.AnonymousId!;
        var firstSeen = scoped.Where(e => e.Timestamp < b[^1]).GroupBy(VisitorOf).ToDictionary(g => g.Key, g => g.Min(e => e.Timestamp));
        var inSpan = scoped.Where(e => e.Timestamp >= b[0] && e.Timestamp < b[^1]).ToList();

        // Sessions: each visitor's non-order events in time (then sequence) order, cut at gaps of 30 minutes or more.
        var sessions = new List<List<EventRecord>>();
        foreach (var visitor in inSpan.Where(e => !OrderTypes.Contains(e.Type)).GroupBy(VisitorOf))
        {
            List<EventRecord>? current = null;
            foreach (var e in visitor.OrderBy(e => e.Timestamp).ThenBy(e => e.Seq))
            {
                if (current is null || e.Timestamp - current[^1].Timestamp >= TimeSpan.FromMinutes(30))
                {
                    sessions.Add(current = []);
                }
                current.Add(e);
            }
        }
        string SourceOf(List<EventRecord> s) => string.IsNullOrEmpty(s[0].Context.UtmSource) ? "direct" : s[0].Context.UtmSource!;
        var kept = sessions.Where(s => q.Source is null || SourceOf(s) == q.Source).ToList();
        var visits = kept.SelectMany(s => s).ToList();
        var orders = inSpan.Where(e => OrderTypes.Contains(e.Type)).ToList();

        TrafficFigures Figures(DateTime lo, DateTime hi)
        {
            bool In(EventRecord e) => e.Timestamp >= lo && e.Timestamp < hi;
            var v = visits.Where(In).ToList();
            var o = orders.Where(In).ToList();
            var visitors = v.Select(VisitorOf).ToHashSet();
            var viewers = v.Where(e => e.Type == "page_view").Select(VisitorOf).ToHashSet();
            var startingHere = kept.Where(s => In(s[0])).ToList();
            var productViewers = v.Where(e => e.Type == "product_view").GroupBy(VisitorOf).ToDictionary(g => g.Key, g => g.Min(e => e.Timestamp));
            var cartAfterView = v.Where(e => e.Type == "add_to_cart").GroupBy(VisitorOf)
                .Count(g => productViewers.TryGetValue(g.Key, out var first) && g.Max(e => e.Timestamp) > first);
            // Order events count for visitors who visited from the source in the interval, or for all without a source.
            var ordering = o.Where(e => q.Source is null || visitors.Contains(VisitorOf(e))).ToList();
            var customers = v.Concat(ordering).Where(e => e.CustomerId is not null).Select(e => e.CustomerId).ToHashSet();
            return new TrafficFigures(
                v.Count(e => e.Type == "page_view"),
                viewers.Count,
                viewers.Count(x => firstSeen[x] >= lo),
                visitors.Count,
                customers.Count,
                startingHere.Count,
                startingHere.Count(s => s.Count(e => e.Type == "page_view") == 1),
                startingHere.Sum(s => (long)(s[^1].Timestamp - s[0].Timestamp).TotalMilliseconds),
                productViewers.Count,
                cartAfterView,
                ordering.Where(e => e.Type == "order_placed").Select(VisitorOf).Distinct().Count(),
                v.Count(e => e.Type == "sign_up"));
        }
        return new TrafficSummary([.. Enumerable.Range(0, b.Count - 1).Select(i => Figures(b[i], b[i + 1]))], Figures(b[0], b[^1]));
    }
}
