using Flywheel.Platform.Hosting;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// Gives the gate back the units of attempts whose payment window passed: the hold sweep returns them in the ledger,
/// and this raises the gate's counters to match, every sweep interval, for every session that has not ended. Every
/// node runs it; raising a counter to the ledger's figure twice is the same as once. Until a failed sweep is repeated,
/// the gate is only short of expired units, which stay in the ledger.
/// </summary>
public sealed class FlashSaleGateKeeper(
    StateStore state, FlashSaleGate gate, IOptions<PromotionsOptions> options, TimeProvider clock, ILogger<FlashSaleGateKeeper> logger)
    : Sweep(clock, logger)
{
    /// <summary>Restores the counters of every session open or to come; the number of sessions looked at.</summary>
    public async Task<int> RestoreAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        List<FlashSale> sales;
        await using (var db = state.Open())
        {
            sales = await db.FlashSales.AsNoTracking().Where(s => s.Status == FlashSaleStatus.Scheduled && s.EndsAt > now).ToListAsync(ct);
        }
        foreach (var sale in sales)
        {
            await gate.RestoreAsync(sale, ct);
        }
        return sales.Count;
    }

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override Task RunOnceAsync(CancellationToken ct) => RestoreAsync(ct);
}
