using Flywheel.Platform.Cluster;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// Runs due reports and webhook attempts in the background, on one node at a time (the lease "analytics.reports"). It
/// sleeps until the next due time (at most <see cref="MaxSleep"/>), or until a subscription changes or a report is made
/// on request (<see cref="Nudge"/>). Even if two nodes ran it at once, <see cref="ReportRunner"/>'s claim keeps each due
/// report to one run.
/// </summary>
public sealed class ReportScheduler(ReportRunner runner, ClusterNode node, TimeProvider clock, ILogger<ReportScheduler> logger) : BackgroundService
{
    /// <summary>Longest sleep between looks: a change made on another node is seen within this.</summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim nudges = new(0);

    /// <summary>Wakes the scheduler on this node: something may be due sooner than it planned.</summary>
    public void Nudge() => nudges.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await node.WhileLeaderAsync("analytics.reports", LoopAsync, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var wake = clock.GetUtcNow() + MaxSleep;
            try
            {
                if (await runner.RunDueAsync(ct) is { } next && next < wake)
                {
                    wake = next;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Running due reports failed; trying again later");
            }
            var sleep = wake - clock.GetUtcNow();
            if (sleep <= TimeSpan.Zero)
            {
                continue;
            }
            using var woken = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = Task.Delay(sleep, clock, woken.Token);
            var nudge = nudges.WaitAsync(woken.Token);
            await Task.WhenAny(delay, nudge);
            await woken.CancelAsync();
            // Several nudges while busy need one more look, not one each.
            while (nudges.Wait(0, CancellationToken.None))
            {
                // Drained.
            }
            ct.ThrowIfCancellationRequested();
        }
    }

    public override void Dispose()
    {
        nudges.Dispose();
        base.Dispose();
    }
}
