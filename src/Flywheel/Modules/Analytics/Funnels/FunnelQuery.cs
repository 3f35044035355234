using Flywheel.Platform;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Analytics.Funnels;

/// <summary>
/// Answers a checked funnel question from the stores: the events of the steps' types from the range's start to its end
/// plus the window, per visitor (the customer, with the anonymous browsing linked to them; else the anonymous id).
/// </summary>
public sealed class FunnelQuery(StateStore state, IEventStore events, IngestPipeline pipeline, TimeProvider clock)
{
    public async Task<FunnelApi.FunnelView> RunAsync(string workspaceId, FunnelApi.FunnelRequest request, CancellationToken ct)
    {
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var startUtc = LocalDays.StartUtc(request.From, settings.Zone);
        var endUtc = LocalDays.StartUtc(request.To.AddDays(1), settings.Zone);
        var window = TimeSpan.FromDays(request.WindowDays);
        // Events acknowledged before the question count in the answer.
        await pipeline.WaitForLoadedAsync(ct);
        var found = await events.GetEventsOfTypesAsync(workspaceId, request.Steps.Distinct().ToList(), startUtc, endUtc + window, ct);
        var visitorOf = await Visitors.ResolveAsync(db, workspaceId, found, ct);
        var funnelEvents = found.Select(e => new FunnelEvent(visitorOf(e), new DateTimeOffset(e.TimestampUtc, TimeSpan.Zero), e.Type));
        var results = FunnelEngine.Run(request.Steps, funnelEvents, new DateTimeOffset(startUtc, TimeSpan.Zero),
            new DateTimeOffset(endUtc, TimeSpan.Zero), window, request.Order, now);
        return new FunnelApi.FunnelView(request.From, request.To, settings.Zone.Id, request.WindowDays, request.OrderName, now, [.. results.Select(r =>
            new FunnelApi.StepView(r.Step, r.Type, r.Reached, r.Waiting, r.Dropped, Round(r.Conversion), Round(r.ConversionFromFirst),
                r.MedianFromPrevious?.TotalSeconds))]);
    }

    private static double? Round(double? rate) => rate is { } r ? Math.Round(r, 4) : null;
}
