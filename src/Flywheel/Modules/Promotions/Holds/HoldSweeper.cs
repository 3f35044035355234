using Flywheel.Platform.Hosting;
using Microsoft.Extensions.Options;

namespace Flywheel.Modules.Promotions.Holds;

/// <summary>
/// Returns the holds of reservations nobody committed or released before their expiry. Every node runs it: the
/// ledger's conditional updates make a reservation lapse once, whichever node gets there first; a reservation is never
/// half-closed (each closes in one transaction).
/// </summary>
public sealed class HoldSweeper(HoldLedger ledger, IOptions<PromotionsOptions> options, TimeProvider clock, ILogger<HoldSweeper> logger)
    : Sweep(clock, logger)
{
    private const int Batch = 500;

    /// <summary>Lapses every reservation due now; the number lapsed.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var total = 0;
        int lapsed;
        do
        {
            lapsed = await ledger.SweepAsync(Batch, ct);
            total += lapsed;
        }
        while (lapsed == Batch);
        return total;
    }

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        if (await SweepAsync(ct) is > 0 and var count)
        {
            logger.LogInformation("Returned the holds of {Count} expired reservations.", count);
        }
    }
}
