using Flywheel.Platform.Hosting;
using Microsoft.Extensions.Options;

namespace Flywheel.Modules.Promotions.GroupBuys;

/// <summary>
/// Decides groups whose deadline passed (virtual completion or failure, which releases every member) and finishes
/// interrupted settlements. Every node runs it: each group is decided by one conditional update from open, and deciding
/// and settling a group are each idempotent.
/// </summary>
public sealed class GroupBuySweeper(GroupBuyService groups, IOptions<PromotionsOptions> options, TimeProvider clock, ILogger<GroupBuySweeper> logger)
    : Sweep(clock, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        if (await groups.SweepAsync(ct) is > 0 and var count)
        {
            logger.LogInformation("Decided {Count} group(s) past their deadline.", count);
        }
    }
}
