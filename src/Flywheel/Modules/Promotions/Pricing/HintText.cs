using System.Globalization;

namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// The words of near-miss hints, in zh-CN and en: "再买¥12享满200减20" / "Spend ¥12 more to get ¥20 off when you spend ¥200".
/// </summary>
internal static class HintText
{
    public static (string Zh, string En) Missing(Currency currency, long? amount, int? quantity, (string Zh, string En) reward) =>
        amount is { } a
            ? ($"再买{currency.Display(a)}享{reward.Zh}", $"Spend {currency.Display(a)} more to get {reward.En}")
            : ($"再买{quantity}件享{reward.Zh}", $"Buy {quantity} more {(quantity == 1 ? "item" : "items")} to get {reward.En}");

    /// <summary>The reward a promotion gives at its first level, or at <paramref name="tier"/> / <paramref name="step"/>.</summary>
    public static (string Zh, string En) Reward(Promotion promotion, Currency currency, RewardTier? tier = null, LadderStep? step = null, long? threshold = null)
    {
        string N(long minor) => currency.Number(minor);
        string D(long minor) => currency.Display(minor);
        var spend = threshold ?? promotion.MinimumSpend ?? 0;
        switch (promotion.Reward)
        {
            case ThresholdOff t when t.Repeating:
                return ($"每满{N(t.Threshold)}减{N(t.Off)}", $"{D(t.Off)} off every {D(t.Threshold)} you spend");
            case ThresholdOff t:
                return ($"满{N(t.Threshold)}减{N(t.Off)}", $"{D(t.Off)} off when you spend {D(t.Threshold)}");
            case TieredReward tiers:
                var at = tier ?? tiers.Tiers[0];
                return TierWords(at, currency);
            case QuantityLadder ladder:
                var s = step ?? ladder.Steps[0];
                return ($"满{s.MinimumQuantity}件打{Zhe(s.Percent)}折", $"{Percent(s.Percent)}% off when you buy {s.MinimumQuantity}");
            case BuyGet b when b.Percent == 100m:
                return ($"买{b.Buy}送{b.Get}", $"buy {b.Buy} get {b.Get} free");
            case BuyGet b:
                return ($"买{b.Buy}件第{b.Buy + 1}件{Zhe(b.Percent)}折", $"buy {b.Buy}, get {b.Get} at {Percent(b.Percent)}% off");
            case BundlePrice bundle:
                return ($"组合价{D(bundle.Price)}", $"the bundle price of {D(bundle.Price)}");
            case PercentOff p:
                return ($"满{N(spend)}打{Zhe(p.Percent)}折", $"{Percent(p.Percent)}% off when you spend {D(spend)}");
            case AmountOff a:
                return ($"满{N(spend)}减{N(a.Amount)}", $"{D(a.Amount)} off when you spend {D(spend)}");
            case FreeShipping:
                return ($"满{N(spend)}包邮", $"free shipping when you spend {D(spend)}");
            case Gifts:
                return ($"满{N(spend)}送赠品", $"a free gift when you spend {D(spend)}");
            default:
                return (promotion.Name, promotion.Name);
        }
    }

    private static (string Zh, string En) TierWords(RewardTier tier, Currency currency)
    {
        var zh = new List<string>();
        var en = new List<string>();
        if (tier.Off > 0)
        {
            zh.Add($"减{currency.Number(tier.Off)}");
            en.Add($"{currency.Display(tier.Off)} off");
        }
        if (tier.Gifts.Count > 0)
        {
            zh.Add("送赠品");
            en.Add("a free gift");
        }
        if (tier.FreeShipping)
        {
            zh.Add("包邮");
            en.Add("free shipping");
        }
        if (tier.PriorityShipping)
        {
            zh.Add("优先配送");
            en.Add("priority shipping");
        }
        return ($"满{currency.Number(tier.Threshold)}{string.Join("、", zh)}", $"{string.Join(", ", en)} when you spend {currency.Display(tier.Threshold)}");
    }

    /// <summary>Chinese discounts name what is paid: 15% off is 8.5折.</summary>
    private static string Zhe(decimal percentOff) => ((100m - percentOff) / 10m).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Percent(decimal percent) => percent.ToString("0.##", CultureInfo.InvariantCulture);
}
