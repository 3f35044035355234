using Flywheel.Modules.Customers.Model;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform.Counters;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Rfm;

/// <summary>How a scoring went: when, how many buying customers, how many in each group.</summary>
public sealed record RfmSummary(DateTimeOffset? ScoredAt, int Customers, IReadOnlyDictionary<string, int> Groups);

/// <summary>
/// Scores a workspace's buying customers (SPEC §3.3) and stores the scores, recording a transition for every customer
/// whose group changed. One scoring of a workspace at a time, on whichever node asks (a lock in the hot counters).
/// Buying means at least one paid order in the workspace currency; R, F and M are last payment, paid orders and their
/// total, over all time.
/// </summary>
public sealed class RfmScoringRun(StateStore state, ICounters counters, TimeProvider clock, ILogger<RfmScoringRun> logger)
{
    private static readonly TimeSpan LockTtl = TimeSpan.FromMinutes(10);

    public async Task<RfmSummary> ScoreAsync(string workspaceId, CancellationToken ct)
    {
        await using var held = await counters.LockAsync($"{workspaceId}:customers:rfm:scoring", LockTtl, ct);
        return await ScoreLockedAsync(workspaceId, ct);
    }

    private async Task<RfmSummary> ScoreLockedAsync(string workspaceId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = state.Open();
        var currency = (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Currency;
        var paid = await OrderQueries.PaidPerCustomerUntilAsync(db, workspaceId, currency, now, ct);
        var inputs = paid.Select(c => new RfmInput(c.Key, c.Value[^1].PaidAt, c.Value.Count, c.Value.Sum(o => o.TotalMinor))).ToList();
        var results = RfmScoring.Score(inputs);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var stored = await db.RfmScores.Where(s => s.WorkspaceId == workspaceId).ToDictionaryAsync(s => s.CustomerExternalId, StringComparer.Ordinal, ct);
        foreach (var r in results)
        {
            if (!stored.Remove(r.CustomerId, out var score))
            {
                score = new RfmScore { WorkspaceId = workspaceId, CustomerExternalId = r.CustomerId, Group = r.Group, GroupSince = now };
                db.RfmScores.Add(score);
                db.RfmTransitions.Add(new RfmTransition { WorkspaceId = workspaceId, CustomerExternalId = r.CustomerId, ToGroup = r.Group, At = now });
            }
            else if (score.Group != r.Group)
            {
                db.RfmTransitions.Add(new RfmTransition
                {
                    WorkspaceId = workspaceId, CustomerExternalId = r.CustomerId, FromGroup = score.Group, ToGroup = r.Group, At = now,
                });
                score.Group = r.Group;
                score.GroupSince = now;
            }
            (score.R, score.F, score.M, score.ScoredAt) = (r.R, r.F, r.M, now);
        }
        // No longer buying in the workspace currency (orders cancelled, or the currency changed): no longer scored.
        db.RfmScores.RemoveRange(stored.Values);
        var run = await db.RfmRuns.FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId, ct);
        if (run is null)
        {
            db.RfmRuns.Add(new RfmRun { WorkspaceId = workspaceId, ScoredAt = now, Customers = results.Count });
        }
        else
        {
            (run.ScoredAt, run.Customers) = (now, results.Count);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Scored RFM of {Customers} customers in workspace {Workspace}", results.Count, workspaceId);
        return new RfmSummary(now, results.Count, Count(results.Select(r => r.Group)));
    }

    /// <summary>The last scoring's figures; no scoring yet gives no time and no customers.</summary>
    public static async Task<RfmSummary> LastAsync(FlywheelDb db, string workspaceId, CancellationToken ct)
    {
        var run = await db.RfmRuns.AsNoTracking().FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId, ct);
        var groups = await db.RfmScores.AsNoTracking().Where(s => s.WorkspaceId == workspaceId).Select(s => s.Group).ToListAsync(ct);
        return new RfmSummary(run?.ScoredAt, groups.Count, Count(groups));
    }

    /// <summary>Every group, best first, with its count (zero included, so that charts keep their shape).</summary>
    private static Dictionary<string, int> Count(IEnumerable<string> groups)
    {
        var counts = RfmScoring.Groups.ToDictionary(g => g, _ => 0, StringComparer.Ordinal);
        foreach (var g in groups)
        {
            counts[g]++;
        }
        return counts;
    }
}
