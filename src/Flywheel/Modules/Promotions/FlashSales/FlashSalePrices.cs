using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// The flash price as one more item-class promotion in the one pricing pipeline: for each SKU the customer holds
/// units of (open attempts), a special price for that SKU, stacking with coupons and order promotions as the session's
/// <c>combines_with</c> says. <see cref="Attempts"/> names, per promotion id, the attempts checkout commits with the order.
/// </summary>
public sealed record FlashSalePrices(IReadOnlyList<Promotion> Promotions, IReadOnlyDictionary<string, string[]> Attempts)
{
    public static async Task<FlashSalePrices> LoadAsync(FlywheelDb db, string workspaceId, Cart cart, CancellationToken ct)
    {
        var customerId = cart.Customer.Id;
        var now = cart.Now;
        var open = await db.Reservations.AsNoTracking()
            .Where(r => r.State == ReservationState.Held && r.WorkspaceId == workspaceId && r.CustomerId == customerId
                && r.Purpose == FlashSaleKeys.Purpose && r.ExpiresAt > now)
            .OrderBy(r => r.Id).ToListAsync(ct);
        var promotions = new List<Promotion>();
        var attempts = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var won in open.Select(r => (r.Id, Details: FlashAttemptDetails.Of(r)!)).GroupBy(a => (a.Details.FlashSaleId, a.Details.Sku)))
        {
            var first = won.First().Details;
            var id = FlashSaleKeys.PromotionId(first.FlashSaleId, first.Sku);
            var held = won.Sum(a => a.Details.Quantity);
            var inCart = cart.Lines.Where(l => l.Sku == first.Sku).Sum(l => (long)l.Quantity);
            promotions.Add(new Promotion
            {
                Id = id,
                Name = first.Name,
                Class = PromotionClass.Item,
                Reward = new SpecialPrices([new SpecialPrice(first.Sku, first.UnitPrice)]),
                Scope = new PromotionScope { Skus = [first.Sku] },
                CombinesWith = FlashSale.Classes(first.CombinesWith),
                // The flash price is for the units won, not more: a cart with more of the SKU than held does not get it.
                LimitReached = inCart > held,
            });
            attempts[id] = won.Select(a => a.Id).ToArray();
        }
        return new FlashSalePrices(promotions, attempts);
    }
}
