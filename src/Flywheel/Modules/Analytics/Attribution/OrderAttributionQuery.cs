using Flywheel.Modules.Marketing.Contracts;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// What the shop's own paid orders of a period owe to each channel, under every model, with each channel's spend over
/// the same local dates and the returns on it (null ROI while no gross margin is known).
/// </summary>
public sealed record OrderAttribution(
    DateOnly From, DateOnly To, string TimeZone, string Currency, int LookbackDays, int Orders, int OrdersWithoutTouches,
    int NonConvertingVisitors, decimal? GrossMargin, AttributionComparison Comparison);

/// <summary>A conversion path and the visitor (customer, or anonymous visitor) it belongs to.</summary>
public sealed record VisitorPath(string Visitor, ConversionPath Path);

/// <summary>The paths of a period as attribution builds them from the stores, before any model shares them out.</summary>
public sealed record PeriodPaths(
    DateOnly From, DateOnly To, WorkspaceSettings Workspace, int LookbackDays, int Orders, int OrdersWithoutTouches, int NonConvertingVisitors,
    IReadOnlyList<VisitorPath> Paths);

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

    /// <summary>Every model over the period's paths, with spend joined; ROI uses <paramref name="grossMargin"/>, else the workspace's own.</summary>
    public async Task<OrderAttribution> GetAsync(
        string workspaceId, DateOnly from, DateOnly to, int lookbackDays, AttributionSettings settings, CancellationToken ct,
        decimal? grossMargin = null) =>
        await AttributeAsync(await PathsAsync(workspaceId, from, to, lookbackDays, ct), settings, ct, grossMargin);

    /// <summary>Every model over paths already read, with the spend of their dates joined.</summary>
    public async Task<OrderAttribution> AttributeAsync(PeriodPaths paths, AttributionSettings settings, CancellationToken ct, decimal? grossMargin = null)
    {
        var workspaceId = paths.Workspace.Id;
        await using var db = state.Open();
        var margin = grossMargin ?? await SpendQueries.GrossMarginAsync(db, workspaceId, ct);
        var currency = paths.Workspace.Currency;
        var spend = (await SpendQueries.DailyAsync(db, workspaceId, paths.From, paths.To, ct))
            .GroupBy(d => d.Channel, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Money.ToMajor(g.Sum(d => d.SpendMinor), currency), StringComparer.Ordinal);
        var comparison = AttributionComparison.Of([.. paths.Paths.Select(p => p.Path)], Models, settings,
            spend.Count == 0 ? null : new ChannelSpend(spend, margin));
        return new OrderAttribution(paths.From, paths.To, paths.Workspace.Zone.Id, currency, paths.LookbackDays, paths.Orders,
            paths.OrdersWithoutTouches, paths.NonConvertingVisitors, margin, comparison);
    }

    /// <summary>The conversion and non-converting paths of the local dates [from, to], each with its visitor.</summary>
    public async Task<PeriodPaths> PathsAsync(string workspaceId, DateOnly from, DateOnly to, int lookbackDays, CancellationToken ct)
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
        var paths = new List<VisitorPath>();
        var withoutTouches = 0;
        var nonConverting = 0;
        foreach (var visitor in byVisitor.Keys.Union(orders.Keys).Order(StringComparer.Ordinal))
        {
            var touches = byVisitor.TryGetValue(visitor, out var visits) ? Visits.Touches(visits) : [];
            var built = PathBuilder.Build(touches, orders.GetValueOrDefault(visitor) ?? [], new DateTimeOffset(start, TimeSpan.Zero),
                new DateTimeOffset(end, TimeSpan.Zero), window);
            paths.AddRange(built.Paths.Select(p => new VisitorPath(visitor, p)));
            withoutTouches += built.OrdersWithoutTouches.Count;
            nonConverting += built.Paths.Count(p => p.Conversions == 0);
        }
        return new PeriodPaths(from, to, workspace, lookbackDays, orders.Values.Sum(o => o.Count), withoutTouches, nonConverting, paths);
    }
}
