namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>What an order promotion grants on its base (the lines in scope after item discounts).</summary>
internal readonly record struct OrderGrant(long Amount, IReadOnlyList<GiftItem> Gifts, bool FreeShipping, bool PriorityShipping);

internal static class OrderRewards
{
    /// <summary>
    /// Percentages are computed on the whole base and rounded half-up once; the amount is later shared over the
    /// lines by <see cref="Allocation"/>. Call only once the thresholds are reached.
    /// </summary>
    public static OrderGrant Grant(Promotion promotion, long spend, int quantity)
    {
        switch (promotion.Reward)
        {
            case PercentOff p:
                var off = Rounding.PercentOf(spend, p.Percent);
                return Money(p.Cap is { } cap ? Math.Min(off, cap) : off);
            case AmountOff a:
                // Allocation caps the amount at what the lines can absorb; clamping here only keeps the product in range.
                return Money(a.PerUnit ? (long)Int128.Min((Int128)a.Amount * quantity, PromotionValidation.MaxAmount) : a.Amount);
            case ThresholdOff t:
                return Money(Thresholds.ThresholdDiscount(t, spend));
            case TieredReward tiers:
                var tier = Thresholds.TierReached(tiers, spend)!;
                return new OrderGrant(tier.Off, tier.Gifts, tier.FreeShipping, tier.PriorityShipping);
            case Gifts gifts:
                return new OrderGrant(0, gifts.Items, false, false);
            default:
                return Money(0);
        }
    }

    private static OrderGrant Money(long amount) => new(amount, [], false, false);
}

/// <summary>
/// 跨店满减: the discount is shared among stores in proportion to their base, each store's share capped at what its
/// lines can still absorb (the excess going to the other stores by the same rule), then within each store among its
/// lines the same way. Stores are ranked by their first line in the cart, which breaks ties.
/// </summary>
internal static class CrossStoreAllocation
{
    public static long[] Share(long amount, PricingContext context, long[] weights, long[] caps)
    {
        var members = context.StoreMembers;
        var storeWeights = new long[members.Length];
        var storeCaps = new long[members.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            var s = context.StoreOf[i];
            storeWeights[s] += weights[i];
            storeCaps[s] += caps[i];
        }
        var storeShares = Allocation.ProRata(amount, storeWeights, storeCaps);
        var shares = new long[weights.Length];
        for (var s = 0; s < members.Length; s++)
        {
            var lines = members[s];
            var lineWeights = new long[lines.Length];
            var lineCaps = new long[lines.Length];
            for (var k = 0; k < lines.Length; k++)
            {
                lineWeights[k] = weights[lines[k]];
                lineCaps[k] = caps[lines[k]];
            }
            var within = Allocation.ProRata(storeShares[s], lineWeights, lineCaps);
            for (var k = 0; k < lines.Length; k++)
            {
                shares[lines[k]] = within[k];
            }
        }
        return shares;
    }
}
