using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Presales;

/// <summary>What a paid order does to the presale deposits whose balance it paid.</summary>
public static class PresaleDeposits
{
    private const string Prefix = "presale-deposit:";

    /// <summary>
    /// The deposits among a committed reservation's holds become balance_paid, with the order. Should this not happen
    /// (the process stops between the two), the settlement finds the deposit's resource spent and does it.
    /// </summary>
    public static async Task MarkBalancePaidAsync(StateStore state, IReadOnlyList<Hold> holds, string? orderId, DateTimeOffset now, CancellationToken ct)
    {
        var ids = holds.Select(h => h.ResourceKey).Where(k => k.StartsWith(Prefix, StringComparison.Ordinal)).Select(k => k[Prefix.Length..]).ToArray();
        if (ids.Length == 0)
        {
            return;
        }
        await using var db = state.Open();
        await db.PresaleDeposits.Where(d => ids.Contains(d.Id) && d.State == DepositState.Paid)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DepositState.BalancePaid).SetProperty(d => d.SettledAt, now).SetProperty(d => d.OrderId, orderId), ct);
    }
}
