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
    public static long[] Share(long amount, CartLine[] lines, long[] weights, long[] caps)
    {
        var stores = new List<string>();
        foreach (var line in lines)
        {
            if (!stores.Contains(line.Store))
            {
                stores.Add(line.Store);
            }
        }
        var storeWeights = new long[stores.Count];
        var storeCaps = new long[stores.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            var s = stores.IndexOf(lines[i].Store);
            storeWeights[s] += weights[i];
            storeCaps[s] += caps[i];
        }
        var storeShares = Allocation.ProRata(amount, storeWeights, storeCaps);
        var shares = new long[lines.Length];
        for (var s = 0; s < stores.Count; s++)
        {
            var members = Enumerable.Range(0, lines.Length).Where(i => lines[i].Store == stores[s]).ToArray();
            var within = Allocation.ProRata(storeShares[s], members.Select(i => weights[i]).ToArray(), members.Select(i => caps[i]).ToArray());
            for (var k = 0; k < members.Length; k++)
            {
                shares[members[k]] = within[k];
            }
        }
        return shares;
    }
}
