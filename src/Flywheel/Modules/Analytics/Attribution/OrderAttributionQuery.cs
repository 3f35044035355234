using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>What the shop's own paid orders of a period owe to each channel, under every model.</summary>
public sealed record OrderAttribution(
    DateOnly From, DateOnly To, string TimeZone, string Currency, int LookbackDays, int Orders, int OrdersWithoutTouches,
    int NonConvertingVisitors, AttributionComparison Comparison);

/// <summary>
/// Builds conversion paths from the stores and attributes them: the paid orders of the local dates [from, to] (with a
/// customer, in the workspace currency) are the conversions; the visits before each within the lookback are its path
/// (<see cref="Visits"/>: a visit is a run of events, its channel the campaign source it started with, else direct).
/// Visits under an anonymous id count for the customer it is linked to; visitors with visits in the period and no
/// order are the non-converting paths.
/// </summary>
public sealed class OrderAttributionQuery(StateStore state, IEventStore events, IngestPipeline pipeline)
{
    public static readonly IReadOnlyList<AttributionModel> Models = Enum.GetValues<AttributionModel>();

    public async Task<OrderAttribution> GetAsync(
        string workspaceId, DateOnly from, DateOnly to, int lookbackDays, AttributionSettings settings, CancellationToken ct)
    {
        await using var db = state.Open();
        var workspace = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var start = LocalDays.StartUtc(from, workspace.Zone);
        var end = LocalDays.StartUtc(to.AddDays(1), workspace.Zone);
        var lookback = TimeSpan.FromDays(lookbackDays);

        var orders = (await OrderQueries.PaidPerCustomerAsync(db, workspaceId, workspace.Currency,
                new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero), ct))
            .ToDictionary(c => c.Key, c => c.Value.Select(o => new CustomerOrder(o.PaidAt, Money.ToMajor(o.TotalMinor, workspace.Currency))).ToList(),
                StringComparer.Ordinal);

        // Events acknowledged before the question count in the answer.
        await pipeline.WaitForLoadedAsync(ct);
        var visitEvents = await events.GetVisitEventsAsync(workspaceId, start - lookback, end, ct);
        var visitorOf = await Visitors.ResolveAsync(db, workspaceId, visitEvents, ct);
        var byVisitor = visitEvents.GroupBy(visitorOf, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var window = new PathWindow(lookback);
        var paths = new List<ConversionPath>();
        var withoutTouches = 0;
        var nonConverting = 0;
        foreach (var visitor in byVisitor.Keys.Union(orders.Keys).Order(StringComparer.Ordinal))
        {
            var touches = byVisitor.TryGetValue(visitor, out var visits) ? Visits.Touches(visits) : [];
            var built = PathBuilder.Build(touches, orders.GetValueOrDefault(visitor) ?? [], new DateTimeOffset(start, TimeSpan.Zero),
                new DateTimeOffset(end, TimeSpan.Zero), window);
            paths.AddRange(built.Paths);
            withoutTouches += built.OrdersWithoutTouches.Count;
            nonConverting += built.Paths.Count(p => p.Conversions == 0);
        }
        return new OrderAttribution(from, to, workspace.Zone.Id, workspace.Currency, lookbackDays, orders.Values.Sum(o => o.Count),
            withoutTouches, nonConverting, AttributionComparison.Of(paths, Models, settings));
    }
}
