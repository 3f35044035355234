using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Segments.Evaluation;
using Flywheel.Modules.Segments.Language;
using Flywheel.Modules.Segments.Model;
using Flywheel.Platform.Counters;
using Flywheel.Platform.Events;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Flywheel.Modules.Segments.Membership;

/// <summary>
/// Keeps materialised membership (seg_members, and the customers of rule tags) equal to each condition: a full
/// recompute when a segment or rule tag is made or its condition changes, and a refresh of a few customers in every
/// segment and rule tag when their events arrive or one of their timers falls due. Every entry and exit is written to seg_changes in the same transaction: the membership
/// history, and the outbox from which entry and exit events are published. Writers of one workspace take its lock,
/// so a recompute and a refresh never interleave.
/// </summary>
public sealed class SegmentMembership(IEventStore events, ICounters counters, TimeProvider clock)
{
    private const int DeleteChunk = 500;
    private static readonly TimeSpan LockTtl = TimeSpan.FromMinutes(10);

    public Task<CounterLock> LockAsync(string workspaceId, CancellationToken ct) =>
        counters.LockAsync($"{workspaceId}:segments:membership", LockTtl, clock, ct);

    public static Condition Read(string canonical) => SegmentChecker.ReadText(canonical, SegmentCatalogue.Default);

    internal static async Task<EvaluationContext> ContextAsync(FlywheelDb db, string workspaceId, DateTimeOffset now, CancellationToken ct)
    {
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        return new EvaluationContext(workspaceId, settings.Currency, settings.Zone, now, db is PostgresFlywheelDb);
    }

    internal async Task<SegmentEvaluator> EvaluatorAsync(FlywheelDb db, string workspaceId, DateTimeOffset now, CancellationToken ct) =>
        new(db, events, await ContextAsync(db, workspaceId, now, ct), await SegmentReferences.LoadAsync(db, workspaceId, ct));

    /// <summary>Recomputes one segment for everyone, inside the caller's transaction; returns how many entered and left.</summary>
    public async Task<(int Entered, int Exited)> RecomputeAsync(FlywheelDb db, Segment segment, DateTimeOffset now, CancellationToken ct)
    {
        var (entered, exited, members) = await RecomputeAsync(db, MembershipTarget.Of(segment), now, ct);
        segment.MemberCount = members;
        segment.EvaluatedAt = now;
        return (entered, exited);
    }

    /// <summary>Recomputes a rule tag's customers for everyone, inside the caller's transaction.</summary>
    public async Task RecomputeAsync(FlywheelDb db, RuleTag tag, DateTimeOffset now, CancellationToken ct) =>
        await RecomputeAsync(db, MembershipTarget.Of(tag), now, ct);

    private async Task<(int Entered, int Exited, int Members)> RecomputeAsync(FlywheelDb db, MembershipTarget target, DateTimeOffset now, CancellationToken ct)
    {
        var context = await ContextAsync(db, target.WorkspaceId, now, ct);
        var evaluator = new SegmentEvaluator(db, events, context, await SegmentReferences.LoadAsync(db, target.WorkspaceId, ct));
        var members = await evaluator.MembersAsync(target.Condition, ct);
        var current = await target.CurrentAsync(db, null, ct);
        var entered = members.Where(id => !current.Contains(id)).ToList();
        var exited = current.Where(id => !members.Contains(id)).ToList();
        await target.WriteAsync(db, entered, exited, now, ct);
        await db.SegmentTimers.Where(t => t.SegmentId == target.Id).ExecuteDeleteAsync(ct);
        await AddTimersAsync(db, target, await new NextChange(db, events, context).DueAsync(target.Condition, null, ct), ct);
        return (entered.Count, exited.Count, members.Count);
    }

    /// <summary>
    /// Re-evaluates these customers in every segment and rule tag of the workspace (what a condition names first),
    /// inside the caller's transaction; returns how many memberships changed.
    /// </summary>
    public async Task<int> RefreshAsync(FlywheelDb db, string workspaceId, IReadOnlyCollection<string> customers, DateTimeOffset now, CancellationToken ct)
    {
        var segments = await db.Segments.Where(s => s.WorkspaceId == workspaceId).ToListAsync(ct);
        var targets = segments.Select(MembershipTarget.Of)
            .Concat((await RuleTagMembers.ListAsync(db, workspaceId, ct)).Select(MembershipTarget.Of)).ToList();
        if (targets.Count == 0 || customers.Count == 0)
        {
            return 0;
        }
        var context = await ContextAsync(db, workspaceId, now, ct);
        var evaluator = new SegmentEvaluator(db, events, context, await SegmentReferences.LoadAsync(db, workspaceId, ct));
        var next = new NextChange(db, events, context);
        var ordered = MembershipTarget.InDependencyOrder(targets);
        var changed = 0;
        foreach (var chunk in customers.Distinct(StringComparer.Ordinal).Chunk(CustomerEventQueries.MaxAmong))
        {
            foreach (var target in ordered)
            {
                var members = await evaluator.MembersAmongAsync(target.Condition, chunk, ct);
                var current = await target.CurrentAsync(db, chunk, ct);
                var entered = members.Where(id => !current.Contains(id)).ToList();
                var exited = current.Where(id => !members.Contains(id)).ToList();
                await target.WriteAsync(db, entered, exited, now, ct);
                if (target.Segment is { } segment)
                {
                    segment.MemberCount += entered.Count - exited.Count;
                }
                changed += entered.Count + exited.Count;
                if (NextChange.DependsOnTime(target.Condition))
                {
                    await db.SegmentTimers.Where(t => t.SegmentId == target.Id && chunk.Contains(t.CustomerExternalId)).ExecuteDeleteAsync(ct);
                    await AddTimersAsync(db, target, await next.DueAsync(target.Condition, chunk, ct), ct);
                }
            }
        }
        await db.SaveChangesAsync(ct);
        return changed;
    }

    internal static async Task<HashSet<string>> CurrentAsync(FlywheelDb db, string segmentId, IReadOnlyCollection<string>? among, CancellationToken ct)
    {
        var rows = db.SegmentMembers.AsNoTracking().Where(m => m.SegmentId == segmentId);
        if (among is not null)
        {
            rows = rows.Where(m => among.Contains(m.CustomerExternalId));
        }
        return (await rows.Select(m => m.CustomerExternalId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
    }

    internal static async Task WriteAsync(FlywheelDb db, Segment segment, List<string> entered, List<string> exited, DateTimeOffset at, CancellationToken ct)
    {
        foreach (var chunk in exited.Chunk(DeleteChunk))
        {
            await db.SegmentMembers.Where(m => m.SegmentId == segment.Id && chunk.Contains(m.CustomerExternalId)).ExecuteDeleteAsync(ct);
        }
        if (entered.Count == 0 && exited.Count == 0)
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        using (var members = new BulkInsert(connection, transaction, "seg_members", "SegmentId", "WorkspaceId", "CustomerExternalId", "Since"))
        {
            foreach (var id in entered)
            {
                members.Add(segment.Id, segment.WorkspaceId, id, at.UtcTicks);
            }
        }
        using var changes = new BulkInsert(connection, transaction, "seg_changes", "SegmentId", "WorkspaceId", "CustomerExternalId", "Entered", "At");
        // Exits first, so that within one instant the history reads in the order a customer would pass through.
        foreach (var id in exited.Order(StringComparer.Ordinal))
        {
            changes.Add(segment.Id, segment.WorkspaceId, id, false, at.UtcTicks);
        }
        foreach (var id in entered.Order(StringComparer.Ordinal))
        {
            changes.Add(segment.Id, segment.WorkspaceId, id, true, at.UtcTicks);
        }
    }

    private static Task AddTimersAsync(FlywheelDb db, MembershipTarget target, Dictionary<string, DateTimeOffset> due, CancellationToken ct)
    {
        if (due.Count > 0)
        {
            using var timers = new BulkInsert(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(),
                "seg_timers", "SegmentId", "WorkspaceId", "CustomerExternalId", "DueAt");
            foreach (var (customer, at) in due)
            {
                timers.Add(target.Id, target.WorkspaceId, customer, at.UtcTicks);
            }
        }
        return Task.CompletedTask;
    }
}
