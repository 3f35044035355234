using Flywheel.Modules.Customers.Contracts;
using Flywheel.Platform.Cluster;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Segments.Membership;

/// <summary>
/// Time-based membership: re-evaluates customers whose timers are due (the moment a rolling window or a lifecycle
/// threshold may flip their membership, worked out when they were last evaluated), recomputes segments that read RFM
/// scores after the workspace was rescored, and publishes membership changes. One node does this at a time.
/// </summary>
public sealed class SegmentTimers(
    StateStore state, SegmentMembership membership, SegmentChangePublisher publisher, ClusterNode node, TimeProvider clock,
    ILogger<SegmentTimers> logger) : BackgroundService
{
    /// <summary>Customers re-evaluated per transaction.</summary>
    private const int Batch = 1000;

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (node.SharedByNodes)
            {
                await node.WhileLeaderAsync("segments:timers", RunAsync, stoppingToken);
            }
            else
            {
                await RunAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ProcessDueAsync(ct);
                await RecomputeRescoredAsync(ct);
                await RecomputeChangedRuleTagsAsync(ct);
                await publisher.PublishAsync(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Segment timers failed; retrying");
            }
            await publisher.WaitForNudgeAsync(Poll, ct);
        }
    }

    /// <summary>Re-evaluates every customer whose timer is due now; returns how many customers were.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            List<(string WorkspaceId, string Customer)> due;
            await using (var db = state.Open())
            {
                due = (await db.SegmentTimers.AsNoTracking().Where(t => t.DueAt <= now).OrderBy(t => t.DueAt).Take(Batch)
                    .Select(t => new { t.WorkspaceId, t.CustomerExternalId }).ToListAsync(ct))
                    .Select(t => (t.WorkspaceId, t.CustomerExternalId)).Distinct().ToList();
            }
            if (due.Count == 0)
            {
                return total;
            }
            foreach (var workspace in due.GroupBy(d => d.WorkspaceId))
            {
                await using var held = await membership.LockAsync(workspace.Key, ct);
                await using var db = state.Open();
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var customers = workspace.Select(d => d.Customer).ToList();
                await membership.RefreshAsync(db, workspace.Key, customers, now, ct);
                // A refresh re-arms every timer still needed for a later moment; what is left due belonged to a segment
                // or rule tag since deleted, or can no longer change.
                await db.SegmentTimers.Where(t => t.WorkspaceId == workspace.Key && t.DueAt <= now && customers.Contains(t.CustomerExternalId))
                    .ExecuteDeleteAsync(ct);
                await tx.CommitAsync(ct);
            }
            total += due.Count;
            publisher.Nudge();
        }
    }

    /// <summary>
    /// Recomputes rule tags created or changed since they were last computed, and those reading RFM scores after the
    /// workspace was rescored: a fingerprint of the tag's condition, change time and (when it reads them) scoring time
    /// is kept beside the projection checkpoints once its customers are written, in the same transaction.
    /// </summary>
    public async Task RecomputeChangedRuleTagsAsync(CancellationToken ct)
    {
        List<RuleTag> changed;
        Dictionary<string, DateTimeOffset> scored;
        await using (var db = state.Open())
        {
            var marks = await db.ProjectionCheckpoints.AsNoTracking().Where(c => c.Name.StartsWith(RuleTagMark))
                .ToDictionaryAsync(c => c.Name, c => c.Position, StringComparer.Ordinal, ct);
            scored = await db.RfmRuns.AsNoTracking().ToDictionaryAsync(r => r.WorkspaceId, r => r.ScoredAt, StringComparer.Ordinal, ct);
            changed = [.. (await RuleTagMembers.ListAsync(db, null, ct)).Where(t => marks.GetValueOrDefault(RuleTagMark + t.Id) != Fingerprint(t, scored))];
        }
        foreach (var (tag, fingerprint) in changed.Select(t => (t, Fingerprint(t, scored))))
        {
            await using var held = await membership.LockAsync(tag.WorkspaceId, ct);
            await using var db = state.Open();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await membership.RecomputeAsync(db, tag, clock.GetUtcNow(), ct);
            var name = RuleTagMark + tag.Id;
            var mark = await db.ProjectionCheckpoints.FirstOrDefaultAsync(c => c.Name == name, ct);
            if (mark is null)
            {
                db.ProjectionCheckpoints.Add(new ProjectionCheckpoint { Name = name, Position = fingerprint });
            }
            else
            {
                mark.Position = fingerprint;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
    }

    private const string RuleTagMark = "segments.rule-tag:";

    private static long Fingerprint(RuleTag tag, Dictionary<string, DateTimeOffset> scored)
    {
        var rescored = SegmentConditionRefs.ReadsRfm(SegmentMembership.Read(tag.Condition)) && scored.TryGetValue(tag.WorkspaceId, out var at) ? at.UtcTicks : 0;
        return (long)System.IO.Hashing.XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes($"{tag.UpdatedAt.UtcTicks}\n{rescored}\n{tag.Condition}"));
    }

    /// <summary>Recomputes the segments that read RFM scores of workspaces rescored since the segment was last computed.</summary>
    public async Task RecomputeRescoredAsync(CancellationToken ct)
    {
        List<(string Id, string WorkspaceId)> stale;
        await using (var db = state.Open())
        {
            var candidates = await (from s in db.Segments.AsNoTracking()
                                    join r in db.RfmRuns.AsNoTracking() on s.WorkspaceId equals r.WorkspaceId
                                    where s.EvaluatedAt == null || s.EvaluatedAt < r.ScoredAt
                                    select new { s.Id, s.WorkspaceId, s.Condition }).ToListAsync(ct);
            stale = [.. candidates.Where(c => SegmentConditionRefs.ReadsRfm(SegmentMembership.Read(c.Condition))).Select(c => (c.Id, c.WorkspaceId))];
        }
        foreach (var (id, workspaceId) in stale)
        {
            await using var held = await membership.LockAsync(workspaceId, ct);
            await using var db = state.Open();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (await db.Segments.FirstOrDefaultAsync(s => s.Id == id, ct) is { } segment)
            {
                await membership.RecomputeAsync(db, segment, clock.GetUtcNow(), ct);
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
    }
}
