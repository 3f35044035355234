namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>What a cart lacks to reach a promotion's threshold: minor units of spend, units of quantity, or both.</summary>
internal readonly record struct Shortfall(long Amount, int Quantity)
{
    public bool IsReached => Amount <= 0 && Quantity <= 0;
}

/// <summary>
/// The entry conditions of a promotion, compared exactly in minor units: ¥199.50 (19950) does not reach 满200 (20000).
/// </summary>
internal static class Thresholds
{
    public static Shortfall Check(Promotion promotion, long spend, int quantity)
    {
        var needAmount = promotion.MinimumSpend ?? 0;
        var needQuantity = promotion.MinimumQuantity ?? 0;
        switch (promotion.Reward)
        {
            case ThresholdOff t:
                needAmount = Math.Max(needAmount, t.Threshold);
                break;
            case TieredReward tiers:
                needAmount = Math.Max(needAmount, tiers.Tiers[0].Threshold);
                break;
            case QuantityLadder ladder:
                needQuantity = Math.Max(needQuantity, ladder.Steps[0].MinimumQuantity);
                break;
            case BuyGet buyGet:
                needQuantity = Math.Max(needQuantity, buyGet.Buy + buyGet.Get);
                break;
        }
        return new Shortfall(Math.Max(0, needAmount - spend), Math.Max(0, needQuantity - quantity));
    }

    /// <summary>How often a 满减 applies to a spend: once, or once per full threshold (每满) up to its cap.</summary>
    public static long ThresholdDiscount(ThresholdOff reward, long spend)
    {
        if (spend < reward.Threshold)
        {
            return 0;
        }
        if (!reward.Repeating)
        {
            return reward.Off;
        }
        var times = spend / reward.Threshold;
        var total = checked(times * reward.Off);
        return reward.Cap is { } cap ? Math.Min(total, cap) : total;
    }

    /// <summary>The highest tier whose threshold the spend reaches, or null.</summary>
    public static RewardTier? TierReached(TieredReward reward, long spend)
    {
        RewardTier? reached = null;
        foreach (var tier in reward.Tiers)
        {
            if (spend >= tier.Threshold)
            {
                reached = tier;
            }
        }
        return reached;
    }

    public static LadderStep? StepReached(QuantityLadder ladder, int quantity)
    {
        LadderStep? reached = null;
        foreach (var step in ladder.Steps)
        {
            if (quantity >= step.MinimumQuantity)
            {
                reached = step;
            }
        }
        return reached;
    }
}
