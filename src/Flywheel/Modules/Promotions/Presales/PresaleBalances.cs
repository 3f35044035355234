using System.Globalization;
using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Presales;

/// <summary>A cart with its presale lines priced as balances, or why it cannot be.</summary>
public sealed record PresaleBalance(CartRequest? Request, IResult? Problem);

/// <summary>
/// The balance payment of 定金膨胀 at checkout: a line of a SKU on which the customer has an open deposit is priced
/// with that deposit's terms (<see cref="PresaleTerms"/>), looked up here from what was recorded; a cart cannot say
/// that a deposit was paid. The deposit itself is then held and spent through the hold ledger like a coupon code, so
/// one balance payment uses it.
/// </summary>
public static class PresaleBalances
{
    public static async Task<PresaleBalance> ApplyAsync(FlywheelDb db, string workspaceId, CartRequest request, CancellationToken ct)
    {
        var cart = request.Cart;
        var skus = cart.Lines.Select(l => l.Sku).Distinct(StringComparer.Ordinal).ToArray();
        var deposits = await db.PresaleDeposits.AsNoTracking()
            .Where(d => d.WorkspaceId == workspaceId && d.CustomerId == cart.Customer.Id && d.State == DepositState.Paid && skus.Contains(d.Sku))
            .OrderBy(d => d.PaidAt).ThenBy(d => d.Id)
            .ToListAsync(ct);
        if (deposits.Count == 0)
        {
            return new PresaleBalance(request, null);
        }
        var presaleIds = deposits.Select(d => d.PresaleId).Distinct().ToArray();
        var presales = await db.Presales.AsNoTracking().Where(p => presaleIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var lines = cart.Lines.ToArray();
        var used = new List<string>();
        var errors = new FieldErrors();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var deposit = deposits.FirstOrDefault(d => d.Sku == line.Sku && !used.Contains(d.Id));
            if (deposit is null)
            {
                if (deposits.Any(d => d.Sku == line.Sku))
                {
                    errors.Add($"lines[{i}].sku", $"'{line.Sku}' is on an earlier line that pays the balance of its presale deposit: put the deposit's units on one line.");
                }
                continue;
            }
            var presale = presales[deposit.PresaleId];
            if (presale.Status == PresaleStatus.Cancelled)
            {
                return new PresaleBalance(null, Problems.Conflict($"Presale {presale.Id} was cancelled: deposit {deposit.Id} is refunded, not paid off."));
            }
            if (cart.Now < presale.BalanceStartsAt || cart.Now >= presale.BalanceEndsAt)
            {
                return new PresaleBalance(null, Problems.Conflict(
                    $"The balance of deposit {deposit.Id} on presale {presale.Id} is paid from {At(presale.BalanceStartsAt)} until {At(presale.BalanceEndsAt)}; it is now {At(cart.Now)}."));
            }
            if (line.Quantity != deposit.Quantity)
            {
                errors.Add($"lines[{i}].quantity", $"must be {deposit.Quantity}: the customer's deposit {deposit.Id} is for {deposit.Quantity} × {deposit.Sku}.");
            }
            if (line.UnitPrice != presale.Price)
            {
                errors.Add($"lines[{i}].unit_price", $"must be the presale price of presale {presale.Id}, whose deposit the customer paid.");
            }
            lines[i] = line with
            {
                Presale = new PresaleTerms(presale.Deposit, presale.DepositValue)
                {
                    ThresholdBasis = presale.ThresholdBasis == "full_price" ? PresaleThresholdBasis.FullPrice : PresaleThresholdBasis.Balance,
                },
            };
            used.Add(deposit.Id);
        }
        if (errors.Any)
        {
            return new PresaleBalance(null, Problems.Validation(errors.ToDictionary()));
        }
        return new PresaleBalance(request with { Cart = cart with { Lines = lines }, Deposits = used }, null);
    }

    private static string At(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
