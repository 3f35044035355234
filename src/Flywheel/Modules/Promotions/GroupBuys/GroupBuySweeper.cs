using Microsoft.Extensions.Options;

namespace Flywheel.Modules.Promotions.GroupBuys;

/// <summary>
/// Decides groups whose deadline passed (virtual completion or failure, which releases every member) and finishes
/// interrupted settlements. Every node runs it: each group is decided by one conditional update from open.
/// </summary>
public sealed class GroupBuySweeper(GroupBuyService groups, IOptions<PromotionsOptions> options, TimeProvider clock, ILogger<GroupBuySweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await groups.SweepAsync(stoppingToken) is > 0 and var count)
                {
                    logger.LogInformation("Decided {Count} group(s) past their deadline.", count);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The next tick tries again: deciding and settling a group are each idempotent.
                logger.LogWarning(ex, "The group-buy sweep failed.");
            }
        }
    }
}
