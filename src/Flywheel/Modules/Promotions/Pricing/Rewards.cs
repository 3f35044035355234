namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>What a promotion gives. Which classes each kind may belong to is checked by <see cref="PromotionValidation"/>.</summary>
public abstract record Reward;

/// <summary>
/// A percentage off. As an item promotion it is computed on each line's total and rounded half-up to the minor
/// unit; as an order promotion on the base of the lines in scope. <see cref="Cap"/> limits the total (a coupon's 最高减).
/// </summary>
public sealed record PercentOff(decimal Percent) : Reward
{
    public long? Cap { get; init; }
}

/// <summary>A fixed amount off the lines in scope (shared pro rata), or off every unit when <see cref="PerUnit"/>.</summary>
public sealed record AmountOff(long Amount) : Reward
{
    public bool PerUnit { get; init; }
}

/// <summary>满减: <see cref="Off"/> once the spend reaches <see cref="Threshold"/>; with <see cref="Repeating"/> (每满) once per full threshold, up to <see cref="Cap"/>.</summary>
public sealed record ThresholdOff(long Threshold, long Off) : Reward
{
    public bool Repeating { get; init; }
    public long? Cap { get; init; }
}

/// <summary>满额阶梯: the highest tier reached applies, and only that one.</summary>
public sealed record TieredReward(IReadOnlyList<RewardTier> Tiers) : Reward;

public sealed record RewardTier(long Threshold)
{
    public long Off { get; init; }
    public IReadOnlyList<GiftItem> Gifts { get; init; } = [];
    public bool FreeShipping { get; init; }
    public bool PriorityShipping { get; init; }
}

/// <summary>满N件打折: the highest step reached sets the percentage off every line in scope.</summary>
public sealed record QuantityLadder(IReadOnlyList<LadderStep> Steps) : Reward;

public sealed record LadderStep(int MinimumQuantity, decimal Percent);

/// <summary>
/// Buy <see cref="Buy"/> get <see cref="Get"/> at <see cref="Percent"/> off (100 = free), repeated over every full
/// group; the discounted units are the cheapest eligible ones. "The N-th item at 50% off" is Buy = N−1, Get = 1, Percent = 50.
/// </summary>
public sealed record BuyGet(int Buy, int Get) : Reward
{
    public decimal Percent { get; init; } = 100m;
}

/// <summary>组合优惠: every complete set of the listed SKUs costs <see cref="Price"/>.</summary>
public sealed record BundlePrice(IReadOnlyList<BundleItem> Items, long Price) : Reward;

public sealed record BundleItem(string Sku, int Quantity);

/// <summary>Unit prices that replace the list price (member-tier prices, limited-time special prices).</summary>
public sealed record SpecialPrices(IReadOnlyList<SpecialPrice> Prices) : Reward;

public sealed record SpecialPrice(string Sku, long UnitPrice);

/// <summary>The shipping fee waived, or reduced by at most <see cref="Cap"/>.</summary>
public sealed record FreeShipping : Reward
{
    public long? Cap { get; init; }
}

/// <summary>Gift items added to the order (赠品); their value breaks ties between otherwise equal combinations.</summary>
public sealed record Gifts(IReadOnlyList<GiftItem> Items) : Reward;

public sealed record GiftItem(string Sku, int Quantity, long Value);
