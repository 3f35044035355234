using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform.Hosting;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flywheel.Modules.Promotions.Presales;

/// <summary>
/// Settles the deposits still open when their presale's balance window has ended, or the presale was cancelled: a
/// deposit whose balance an order paid becomes balance_paid; any other is forfeited or refunded, as its presale says
/// (refunded, whatever it says, when the presale was cancelled). Every node runs it; each deposit
/// changes state once, by a conditional update from 'paid', and an unpaid one is closed by taking its ledger resource
/// in the same transaction, so that a checkout cannot spend it afterwards.
/// </summary>
public sealed class PresaleSettlement(StateStore state, HoldLedger ledger, IOptions<PromotionsOptions> options, TimeProvider clock, ILogger<PresaleSettlement> logger)
    : Sweep(clock, logger)
{
    private const int Batch = 500;

    /// <summary>Settles every deposit due now; the number settled.</summary>
    public async Task<int> SettleAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        await using var db = state.Open();
        var settled = 0;
        while (true)
        {
            var due = await (
                from d in db.PresaleDeposits.AsNoTracking()
                join p in db.Presales.AsNoTracking() on d.PresaleId equals p.Id
                where d.State == DepositState.Paid && (p.BalanceEndsAt <= now || p.Status == PresaleStatus.Cancelled)
                orderby d.Id
                // A cancelled presale refunds whatever its setting for an unpaid balance.
                select new { d.Id, d.WorkspaceId, Unpaid = p.Status == PresaleStatus.Cancelled ? UnpaidDeposit.Refund : p.Unpaid })
                .Take(Batch).ToListAsync(ct);
            var settledNow = 0;
            foreach (var deposit in due)
            {
                if (await SettleOneAsync(db, deposit.WorkspaceId, deposit.Id, deposit.Unpaid, now, ct))
                {
                    settledNow++;
                }
            }
            settled += settledNow;
            // A full batch of deposits still held by checkouts would come back unchanged: those wait for a later run.
            if (due.Count < Batch || settledNow == 0)
            {
                return settled;
            }
        }
    }

    /// <summary>False when another node settled it first, or a checkout still holds it (then a later run settles it).</summary>
    private async Task<bool> SettleOneAsync(FlywheelDb db, string workspaceId, string depositId, string unpaid, DateTimeOffset now, CancellationToken ct)
    {
        var key = ResourceKeys.PresaleDeposit(depositId);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Unpaid: the settlement takes the deposit's one unit itself, which only succeeds while no checkout holds or spent it.
            if (await ledger.SpendAsync(db, workspaceId, [new HoldRequest(key, 1, 1)], ct) is null)
            {
                var to = unpaid == UnpaidDeposit.Refund ? DepositState.Refunded : DepositState.Forfeited;
                var changed = await Close(db, depositId, to, now, ct);
                if (changed)
                {
                    await tx.CommitAsync(ct);
                }
                else
                {
                    await tx.RollbackAsync(ct);
                }
                return changed;
            }
            await tx.RollbackAsync(ct);
        }
        var resource = (await HoldLedger.ResourcesAsync(db, workspaceId, [key], ct)).GetValueOrDefault(key);
        // Paid by an order whose commit did not get as far as marking the deposit.
        return resource is { Held: 0, Spent: >= 1 } && await Close(db, depositId, DepositState.BalancePaid, now, ct);
    }

    private static async Task<bool> Close(FlywheelDb db, string depositId, string to, DateTimeOffset now, CancellationToken ct) =>
        await db.PresaleDeposits.Where(d => d.Id == depositId && d.State == DepositState.Paid)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, to).SetProperty(d => d.SettledAt, now), ct) == 1;

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        if (await SettleAsync(ct) is > 0 and var count)
        {
            logger.LogInformation("Settled {Count} presale deposits whose balance window ended.", count);
        }
    }
}
