using System.Security.Claims;
using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Segments.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Funnels;

/// <summary>
/// Answers a checked funnel question with the event store's funnel query (computed where the events are; only the
/// figures, or one small row per entered visitor for a breakdown by segment, come back), and saves the customers who
/// dropped at a step as a segment.
/// </summary>
public sealed class FunnelQuery(StateStore state, IEventStore events, IngestPipeline pipeline, TimeProvider clock)
{
    /// <summary>What saving dropped visitors did, or why it was refused.</summary>
    public sealed record DroppedOutcome(FunnelApi.DroppedSegmentView? View, SegmentsOnTags.Outcome? Refusal);

    public async Task<FunnelApi.FunnelView> RunAsync(string workspaceId, FunnelApi.FunnelRequest request, CancellationToken ct)
    {
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        // Events acknowledged before the question count in the answer.
        await pipeline.WaitForLoadedAsync(ct);
        var query = StoreQuery(workspaceId, request, settings.Zone, now);
        FunnelApi.BreakdownView? breakdown = null;
        FunnelGroupCounts total;
        if (request.Breakdown?.Segments is { } keys)
        {
            var visitors = await events.FunnelVisitorsAsync(query, null, ct);
            total = FunnelTally.Of(null, visitors, request.Steps.Count);
            var groups = new List<FunnelApi.GroupView>();
            foreach (var key in keys)
            {
                var members = (await SegmentMembers.Of(db, workspaceId, key).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
                var counts = FunnelTally.Of(key, visitors.Where(v => v.IsCustomer && members.Contains(v.Id)), request.Steps.Count);
                groups.Add(new FunnelApi.GroupView(key, Steps(request, counts)));
            }
            breakdown = new FunnelApi.BreakdownView("segments", null, groups, false);
        }
        else
        {
            var counts = await events.FunnelAsync(query, ct);
            total = counts.Total;
            if (query.GroupBy is { } by)
            {
                breakdown = new FunnelApi.BreakdownView(by.IsContext ? "context" : "property", by.Name,
                    [.. counts.Groups.Select(g => new FunnelApi.GroupView(g.Value, Steps(request, g)))], counts.MoreGroups);
            }
        }
        return new FunnelApi.FunnelView(request.From, request.To, settings.Zone.Id, request.WindowDays, request.OrderName, request.HoldConstant, now,
            Steps(request, total), breakdown);
    }

    /// <summary>
    /// Tags exactly the customers who dropped at <paramref name="step"/> (an imported tag named after the segment) and
    /// creates segment <paramref name="key"/> on that tag. Anonymous visitors cannot be members: they are counted apart.
    /// </summary>
    public async Task<DroppedOutcome> SaveDroppedAsync(
        IServiceProvider services, ClaimsPrincipal caller, FunnelApi.FunnelRequest request, int step, string key, string name, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        await pipeline.WaitForLoadedAsync(ct);
        if (await SegmentExistsAsync(db, workspaceId, key, ct))
        {
            return new DroppedOutcome(null, new SegmentsOnTags.Outcome(null, 0, StatusCodes.Status409Conflict, "segment_key", $"A segment with key '{key}' already exists."));
        }
        var dropped = await events.FunnelVisitorsAsync(StoreQuery(workspaceId, request, settings.Zone, now), step, ct);
        var customers = dropped.Where(v => v.IsCustomer).Select(v => v.Id).ToList();
        // A customer named by events but without a profile yet (the profile projection has not caught up) cannot be tagged.
        var known = await KnownCustomersAsync(db, workspaceId, customers, ct);
        var tag = $"funnel:{key}";
        var description = $"Dropped at step {step} ({request.Steps[step - 1].Type}) of a funnel over {request.From:yyyy-MM-dd} – {request.To:yyyy-MM-dd}, " +
            $"as of {now:yyyy-MM-dd HH:mm} UTC.";
        try
        {
            await CustomerTagging.ReplaceImportedTagAsync(db, workspaceId, caller.Actor(), new ImportedTag(tag, description), known, now, ct);
        }
        catch (TagRefusedException refused)
        {
            return new DroppedOutcome(null, new SegmentsOnTags.Outcome(null, 0, StatusCodes.Status409Conflict, "segment_key", refused.Message));
        }
        var created = await SegmentsOnTags.CreateAsync(services, caller, key, name, description, tag, ct);
        if (created.Key is null)
        {
            return new DroppedOutcome(null, created);
        }
        var anonymous = dropped.Count - known.Count;
        return new DroppedOutcome(new FunnelApi.DroppedSegmentView(created.Key, tag, step, known.Count, anonymous,
            anonymous == 0
                ? "Every visitor who dropped there is a customer."
                : $"{anonymous} visitors who dropped there are anonymous (never identified) and cannot be segment members; they are left out."), null);
    }

    /// <summary>Whether the workspace has a segment with this key.</summary>
    public static Task<bool> SegmentExistsAsync(FlywheelDb db, string workspaceId, string key, CancellationToken ct) =>
        db.Segments.AnyAsync(s => s.WorkspaceId == workspaceId && s.Key == key, ct);

    private static async Task<List<string>> KnownCustomersAsync(FlywheelDb db, string workspaceId, List<string> ids, CancellationToken ct)
    {
        var known = new List<string>();
        foreach (var chunk in ids.Chunk(1000))
        {
            known.AddRange(await db.Customers.Where(c => c.WorkspaceId == workspaceId && chunk.Contains(c.ExternalId)).Select(c => c.ExternalId).ToListAsync(ct));
        }
        return known;
    }

    private static FunnelStoreQuery StoreQuery(string workspaceId, FunnelApi.FunnelRequest request, TimeZoneInfo zone, DateTimeOffset now)
    {
        var grouping = request.Breakdown switch
        {
            { Context: { } context } => new FunnelGrouping(true, context),
            { Property: { } property } => new FunnelGrouping(false, property),
            _ => null,
        };
        return new FunnelStoreQuery(workspaceId,
            [.. request.Steps.Select(s => new FunnelStep(s.Type, s.Where, TimeSpan.FromDays(s.WindowDays)))],
            LocalDays.StartUtc(request.From, zone), LocalDays.StartUtc(request.To.AddDays(1), zone), request.Order, request.HoldConstant, grouping,
            now.UtcDateTime);
    }

    private static List<FunnelApi.StepView> Steps(FunnelApi.FunnelRequest request, FunnelGroupCounts counts)
    {
        var first = counts.Steps[0].Reached;
        return [.. counts.Steps.Select((c, k) => new FunnelApi.StepView(
            k + 1, request.Steps[k].Type, request.Steps[k].WhereText, request.Steps[k].WindowDays, (int)c.Reached, (int)c.Waiting, (int)c.Dropped,
            k == 0 || c.Reached + c.Dropped == 0 ? null : Round((double)c.Reached / (c.Reached + c.Dropped)),
            first == 0 ? null : Round((double)c.Reached / first),
            c.MedianMsFromPrevious / 1000))];
    }

    private static double? Round(double? rate) => rate is { } r ? Math.Round(r, 4) : null;
}

/// <summary>A funnel's figures from its entered visitors' rows, for groups the store cannot make (segment membership).</summary>
public static class FunnelTally
{
    public static FunnelGroupCounts Of(string? value, IEnumerable<FunnelVisitor> visitors, int steps)
    {
        var reached = new long[steps];
        var waiting = new long[steps];
        var dropped = new long[steps];
        var gaps = Enumerable.Range(0, steps).Select(_ => new List<long>()).ToArray();
        foreach (var v in visitors)
        {
            for (var k = 0; k < v.Reached; k++)
            {
                reached[k]++;
                if (k > 0)
                {
                    gaps[k].Add(v.GapsMs[k - 1]);
                }
            }
            if (v.Reached < steps)
            {
                (v.Waiting ? waiting : dropped)[v.Reached]++;
            }
        }
        return new FunnelGroupCounts(value, [.. Enumerable.Range(0, steps).Select(k => new FunnelStepCounts(reached[k], waiting[k], dropped[k], Median(gaps[k])))]);
    }

    private static double? Median(List<long> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
    }
}
