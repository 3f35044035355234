namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// Thresholds the cart does not reach yet, and the next level of the ones it does (the next tier, the next 每满 step,
/// the next ladder step), measured on the bases of the chosen combination: item promotions on the cart before
/// promotions, order promotions on the amount after item discounts, shipping on the goods after every discount.
/// </summary>
internal static class NearMisses
{
    public static IEnumerable<NearMiss> Find(PricingContext context, IEnumerable<Candidate> eligible, Found chosen)
    {
        var currency = context.Cart.Currency;
        foreach (var candidate in eligible)
        {
            var promotion = candidate.Promotion;
            var applied = chosen.Combination.Contains(candidate);
            var amounts = promotion.Class switch
            {
                PromotionClass.Item => context.StartAmounts,
                PromotionClass.Order => chosen.Evaluation.OrderBasis,
                _ => chosen.Evaluation.Goods,
            };
            var (spend, quantity) = CombinationEvaluator.SpendInScope(candidate, amounts, context.Quantities);
            var hint = applied ? NextLevel(promotion, currency, spend, quantity) : FirstLevel(candidate, context, currency, spend, quantity);
            if (hint is not null)
            {
                yield return hint;
            }
        }
    }

    private static NearMiss? FirstLevel(Candidate candidate, PricingContext context, Currency currency, long spend, int quantity)
    {
        var promotion = candidate.Promotion;
        var shortfall = promotion.Reward is BundlePrice
            ? ItemRewards.Apply(candidate, context, context.StartAmounts).Shortfall
            : Thresholds.Check(promotion, spend, quantity);
        if (shortfall.IsReached)
        {
            return null;
        }
        var threshold = shortfall.Amount > 0 ? spend + shortfall.Amount : (long?)null;
        return Hint(promotion, currency, shortfall, HintText.Reward(promotion, currency, threshold: threshold));
    }

    private static NearMiss? NextLevel(Promotion promotion, Currency currency, long spend, int quantity)
    {
        switch (promotion.Reward)
        {
            case TieredReward tiers when tiers.Tiers.FirstOrDefault(t => t.Threshold > spend) is { } next:
                return Hint(promotion, currency, new Shortfall(next.Threshold - spend, 0), HintText.Reward(promotion, currency, tier: next));
            case ThresholdOff { Repeating: true } t:
                var times = spend / t.Threshold;
                if (t.Cap is { } cap && (times + 1) * t.Off > cap)
                {
                    return null;
                }
                return Hint(promotion, currency, new Shortfall((times + 1) * t.Threshold - spend, 0), HintText.Reward(promotion, currency));
            case QuantityLadder ladder when ladder.Steps.FirstOrDefault(s => s.MinimumQuantity > quantity) is { } step:
                return Hint(promotion, currency, new Shortfall(0, step.MinimumQuantity - quantity), HintText.Reward(promotion, currency, step: step));
            default:
                return null;
        }
    }

    private static NearMiss Hint(Promotion promotion, Currency currency, Shortfall shortfall, (string Zh, string En) reward)
    {
        long? amount = shortfall.Amount > 0 ? shortfall.Amount : null;
        int? quantity = amount is null ? shortfall.Quantity : null;
        var (zh, en) = HintText.Missing(currency, amount, quantity, reward);
        return new NearMiss(promotion.Id, amount, quantity, zh, en);
    }
}
