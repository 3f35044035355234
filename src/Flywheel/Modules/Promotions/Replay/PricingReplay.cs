using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Replay;

/// <summary>A checkout priced again from its record, and whether the answer is the one it gave then.</summary>
public sealed record ReplayedPricing(Reservation Reservation, PricingRecord Record, JsonObject Quote, JsonNode? RecordedQuote)
{
    public bool Identical => JsonNode.DeepEquals(Quote, RecordedQuote);

    public JsonObject View() => new()
    {
        ["reservation_id"] = Reservation.Id,
        ["order_id"] = Reservation.OrderId,
        ["state"] = Reservation.State,
        ["priced_at"] = Record.Cart.Now,
        ["promotions_priced"] = Record.Promotions.Count,
        ["coupons_priced"] = Record.Coupons.Count,
        ["identical"] = Identical,
        ["quote"] = Quote,
        ["recorded_quote"] = Identical ? null : RecordedQuote?.DeepClone(),
    };
}

/// <summary>
/// Prices a past checkout again exactly as it was priced: its cart and time, the promotion versions it saw (read from
/// promo_promotion_versions, not from the promotions as they are now), the coupons as they were resolved, and the
/// ledger's facts (budget left, limits reached) of that moment. Nothing is read from the ledger or the clock now.
/// </summary>
public static class PricingReplay
{
    /// <summary>Null when the reservation kept no record (it was not a checkout, or predates records).</summary>
    public static async Task<ReplayedPricing?> ReplayAsync(FlywheelDb db, Reservation reservation, CancellationToken ct)
    {
        var details = JsonNode.Parse(reservation.Details);
        if (PricingRecord.Read(details?[PricingRecord.DetailsKey]) is not { } record)
        {
            return null;
        }
        var ids = record.Promotions.Where(p => p.Version is not null).Select(p => p.Id).Distinct().ToArray();
        var versions = (await db.PromotionVersions.AsNoTracking()
                .Where(v => v.WorkspaceId == reservation.WorkspaceId && ids.Contains(v.PromotionId))
                .Select(v => new { v.PromotionId, v.Version, v.Name, v.Definition })
                .ToListAsync(ct))
            .ToDictionary(v => (v.PromotionId, v.Version), v => (v.Name, v.Definition));

        Promotion Rebuild(PricedPromotion entry)
        {
            var (name, json) = entry.Version is { } version
                ? versions.TryGetValue((entry.Id, version), out var kept) ? kept
                    : throw new InvalidOperationException($"Version {version} of promotion {entry.Id} is not kept, so {reservation.Id} cannot be replayed.")
                : (entry.Name, entry.Definition!);
            return DefinitionJson.ReadStored(json, entry.Id, name) with
            {
                CouponCode = entry.CouponCode,
                BudgetRemaining = entry.BudgetRemaining,
                LimitReached = entry.LimitReached,
                SharedBudget = entry.SharedBudget,
            };
        }

        var quote = CartPricer.Price(record.Cart with { Coupons = [.. record.Coupons.Select(Rebuild)] }, [.. record.Promotions.Select(Rebuild)]);
        return new ReplayedPricing(reservation, record, QuoteView.Of(quote, record.RejectedCodes), details?["quote"]);
    }
}
