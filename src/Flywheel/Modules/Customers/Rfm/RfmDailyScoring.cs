using Flywheel.Platform.Cluster;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Rfm;

/// <summary>
/// Scores every workspace once a day: on start, each workspace not scored in the last 24 hours, then each as its day
/// comes round. Runs on one node at a time (a lease); a node that takes the lease over finds from the stored runs what is
/// due, so a day is neither skipped nor scored twice.
/// </summary>
public sealed class RfmDailyScoring(StateStore state, RfmScoringRun scoring, ClusterNode node, TimeProvider clock, ILogger<RfmDailyScoring> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    /// <summary>Longest sleep between looks: a workspace made meanwhile is first scored within this.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await node.WhileLeaderAsync("customers.rfm", ScoreDueAsync, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ScoreDueAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var next = clock.GetUtcNow() + MaxSleep;
            try
            {
                foreach (var (workspaceId, lastScoredAt) in await LastRunsAsync(ct))
                {
                    var due = lastScoredAt is { } last ? last + Interval : clock.GetUtcNow();
                    if (due <= clock.GetUtcNow())
                    {
                        await scoring.ScoreAsync(workspaceId, ct);
                        due = clock.GetUtcNow() + Interval;
                    }
                    next = due < next ? due : next;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Daily RFM scoring failed; trying again later");
            }
            var sleep = next - clock.GetUtcNow();
            await Task.Delay(sleep > TimeSpan.Zero ? sleep : TimeSpan.Zero, clock, ct);
        }
    }

    private async Task<List<(string WorkspaceId, DateTimeOffset? LastScoredAt)>> LastRunsAsync(CancellationToken ct)
    {
        await using var db = state.Open();
        var workspaces = await db.Workspaces.AsNoTracking().Select(w => w.Id).ToListAsync(ct);
        var runs = await db.RfmRuns.AsNoTracking().ToDictionaryAsync(r => r.WorkspaceId, r => r.ScoredAt, ct);
        return workspaces.Order(StringComparer.Ordinal)
            .Select(w => (w, runs.TryGetValue(w, out var at) ? at : (DateTimeOffset?)null)).ToList();
    }
}
