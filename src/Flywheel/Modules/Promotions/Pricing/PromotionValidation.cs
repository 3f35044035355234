namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// Checks a promotion definition before it is saved or priced; pricing rejects an invalid definition rather than
/// guessing. Amounts are at most <see cref="MaxAmount"/> minor units so that no sum of them can overflow.
/// </summary>
public static class PromotionValidation
{
    public const long MaxAmount = 1_000_000_000_000_000; // 10^15 minor units: ten trillion yuan.

    public static IReadOnlyList<ValidationError> Validate(Promotion promotion)
    {
        var errors = new List<ValidationError>();
        void Error(string field, string message) => errors.Add(new ValidationError(field, message));
        void Amount(string field, long? value, bool zeroAllowed = false)
        {
            if (value is { } v && (v < 0 || (v == 0 && !zeroAllowed) || v > MaxAmount))
            {
                Error(field, zeroAllowed ? $"must be between 0 and {MaxAmount} minor units" : $"must be between 1 and {MaxAmount} minor units");
            }
        }
        void Percent(string field, decimal value)
        {
            if (value <= 0 || value > 100)
            {
                Error(field, "must be a percentage in (0, 100]");
            }
        }

        if (string.IsNullOrWhiteSpace(promotion.Id))
        {
            Error("id", "is required");
        }
        if (string.IsNullOrWhiteSpace(promotion.Name))
        {
            Error("name", "is required");
        }
        if (promotion is { StartsAt: { } start, EndsAt: { } end } && end <= start)
        {
            Error("endsAt", "must be after startsAt");
        }
        Amount("minimumSpend", promotion.MinimumSpend, zeroAllowed: true);
        if (promotion.MinimumQuantity is < 1)
        {
            Error("minimumQuantity", "must be at least 1");
        }
        Amount("budgetRemaining", promotion.BudgetRemaining, zeroAllowed: true);
        Amount("sharedBudget", promotion.SharedBudget?.Remaining, zeroAllowed: true);
        if (promotion.CouponCode is { } code && string.IsNullOrWhiteSpace(code))
        {
            Error("couponCode", "must not be blank");
        }
        if (promotion.CrossStore && promotion.Class != PromotionClass.Order)
        {
            Error("crossStore", "only an order promotion can be shared across stores");
        }
        if (!AllowedClasses(promotion.Reward).Contains(promotion.Class))
        {
            Error("class", $"a {promotion.Reward.GetType().Name} reward can only be a {string.Join(" or ", AllowedClasses(promotion.Reward))} promotion");
        }

        switch (promotion.Reward)
        {
            case PercentOff p:
                Percent("reward.percent", p.Percent);
                Amount("reward.cap", p.Cap);
                break;
            case AmountOff a:
                Amount("reward.amount", a.Amount);
                break;
            case ThresholdOff t:
                Amount("reward.threshold", t.Threshold);
                Amount("reward.off", t.Off);
                if (t.Off > t.Threshold)
                {
                    Error("reward.off", "must not exceed the threshold");
                }
                if (t.Cap is not null && !t.Repeating)
                {
                    Error("reward.cap", "only a repeating (每满) threshold has a cap");
                }
                Amount("reward.cap", t.Cap);
                if (t.Cap is { } cap && cap < t.Off)
                {
                    Error("reward.cap", "must be at least the amount off");
                }
                break;
            case TieredReward tiers:
                ValidateTiers(tiers, Error, Amount);
                break;
            case QuantityLadder ladder:
                if (ladder.Steps.Count == 0)
                {
                    Error("reward.steps", "needs at least one step");
                }
                for (var i = 0; i < ladder.Steps.Count; i++)
                {
                    var step = ladder.Steps[i];
                    if (step.MinimumQuantity < 1)
                    {
                        Error($"reward.steps[{i}].minimumQuantity", "must be at least 1");
                    }
                    Percent($"reward.steps[{i}].percent", step.Percent);
                    if (i > 0 && step.MinimumQuantity <= ladder.Steps[i - 1].MinimumQuantity)
                    {
                        Error($"reward.steps[{i}].minimumQuantity", "steps must be in ascending order of quantity");
                    }
                    if (i > 0 && step.Percent < ladder.Steps[i - 1].Percent)
                    {
                        Error($"reward.steps[{i}].percent", "must not be lower than the step before");
                    }
                }
                break;
            case BuyGet b:
                if (b.Buy < 1)
                {
                    Error("reward.buy", "must be at least 1");
                }
                if (b.Get < 1)
                {
                    Error("reward.get", "must be at least 1");
                }
                Percent("reward.percent", b.Percent);
                break;
            case BundlePrice bundle:
                if (bundle.Items.Count == 0)
                {
                    Error("reward.items", "needs at least one SKU");
                }
                if (bundle.Items.Sum(i => Math.Max(0, i.Quantity)) < 2)
                {
                    Error("reward.items", "a bundle has at least two units");
                }
                for (var i = 0; i < bundle.Items.Count; i++)
                {
                    if (string.IsNullOrWhiteSpace(bundle.Items[i].Sku))
                    {
                        Error($"reward.items[{i}].sku", "is required");
                    }
                    if (bundle.Items[i].Quantity < 1)
                    {
                        Error($"reward.items[{i}].quantity", "must be at least 1");
                    }
                    if (bundle.Items.Take(i).Any(other => other.Sku == bundle.Items[i].Sku))
                    {
                        Error($"reward.items[{i}].sku", "is listed twice");
                    }
                }
                Amount("reward.price", bundle.Price, zeroAllowed: true);
                break;
            case SpecialPrices prices:
                if (prices.Prices.Count == 0)
                {
                    Error("reward.prices", "needs at least one price");
                }
                for (var i = 0; i < prices.Prices.Count; i++)
                {
                    Amount($"reward.prices[{i}].unitPrice", prices.Prices[i].UnitPrice, zeroAllowed: true);
                }
                break;
            case FreeShipping f:
                Amount("reward.cap", f.Cap);
                break;
            case Gifts gifts:
                if (gifts.Items.Count == 0)
                {
                    Error("reward.items", "needs at least one gift");
                }
                ValidateGifts("reward.items", gifts.Items, Error, Amount);
                break;
        }
        return errors;
    }

    /// <summary>
    /// Tiers ascend, and a higher tier never takes less off than a lower one: reaching more should never cost the
    /// customer, and the best-combination search relies on rewards that do not shrink as the spend grows.
    /// </summary>
    private static void ValidateTiers(TieredReward tiers, Action<string, string> error, Action<string, long?, bool> amount)
    {
        if (tiers.Tiers.Count == 0)
        {
            error("reward.tiers", "needs at least one tier");
        }
        for (var i = 0; i < tiers.Tiers.Count; i++)
        {
            var tier = tiers.Tiers[i];
            var at = $"reward.tiers[{i}]";
            amount($"{at}.threshold", tier.Threshold, false);
            amount($"{at}.off", tier.Off, true);
            if (tier.Off > tier.Threshold)
            {
                error($"{at}.off", "must not exceed the tier's threshold");
            }
            if (i > 0 && tier.Threshold <= tiers.Tiers[i - 1].Threshold)
            {
                error($"{at}.threshold", "tiers must be in ascending order of threshold");
            }
            if (i > 0 && tier.Off < tiers.Tiers[i - 1].Off)
            {
                error($"{at}.off", "must not be less than the tier below");
            }
            if (tier.Off == 0 && tier.Gifts.Count == 0 && !tier.FreeShipping && !tier.PriorityShipping)
            {
                error(at, "grants nothing");
            }
            ValidateGifts($"{at}.gifts", tier.Gifts, error, amount);
        }
    }

    private static void ValidateGifts(string field, IReadOnlyList<GiftItem> gifts, Action<string, string> error, Action<string, long?, bool> amount)
    {
        for (var i = 0; i < gifts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(gifts[i].Sku))
            {
                error($"{field}[{i}].sku", "is required");
            }
            if (gifts[i].Quantity is < 1 or > 1000)
            {
                error($"{field}[{i}].quantity", "must be between 1 and 1000");
            }
            amount($"{field}[{i}].value", gifts[i].Value, true);
        }
    }

    private static PromotionClass[] AllowedClasses(Reward reward) => reward switch
    {
        PercentOff or AmountOff or ThresholdOff => [PromotionClass.Item, PromotionClass.Order],
        TieredReward or Gifts => [PromotionClass.Order],
        FreeShipping => [PromotionClass.Shipping],
        _ => [PromotionClass.Item],
    };
}
