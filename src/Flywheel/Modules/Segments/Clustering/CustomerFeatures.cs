using Flywheel.Modules.Customers.Contracts;
using Flywheel.Platform;

namespace Flywheel.Modules.Segments.Clustering;

/// <summary>What a feature's numbers are: how they are shown and rounded.</summary>
public enum FeatureUnit
{
    Count,
    /// <summary>Major units of the workspace currency.</summary>
    Money,
    Days,
    /// <summary>A fraction from 0 to 1.</summary>
    Share,
}

/// <summary>
/// A behavioural feature customers can be clustered by. <c>Key</c>: its name in the API, the trait's name where it is a
/// trait. <c>Logged</c>: taken as log(1 + x) before standardising (counts, money and durations are skewed; shares are
/// not). <c>Read</c>: the value for a buyer, money in major units of the currency; NaN when the buyer has none.
/// </summary>
public sealed record CustomerFeature(string Key, FeatureUnit Unit, bool Logged, Func<BuyerTraits, string, double> Read);

/// <summary>
/// The features, each read from the customer's traits (docs/metrics.md) so that a feature means what the trait of that
/// name means. Always used in this order, whatever order a request lists them in, so that the same features give the
/// same clusters.
/// </summary>
public static class CustomerFeatures
{
    public static IReadOnlyList<CustomerFeature> All { get; } =
    [
        new("paid_orders", FeatureUnit.Count, true, (t, _) => t.PaidOrders),
        new("total_spend", FeatureUnit.Money, true, (t, currency) => (double)Money.ToMajor(t.TotalSpendMinor, currency)),
        new("average_order_value", FeatureUnit.Money, true, (t, currency) => (double)Money.ToMajor(t.AverageOrderValueMinor, currency)),
        new("days_since_last_order", FeatureUnit.Days, true, (t, _) => t.DaysSinceLastOrder),
        // A one-order customer has no gap between orders yet; leaving it missing (standardised to the mean) keeps the
        // feature from repeating what paid_orders and days_since_last_order already say about them.
        new("average_days_between_orders", FeatureUnit.Days, true, (t, _) => t.AverageDaysBetweenOrders ?? double.NaN),
        // Not a trait of its own: refunded ÷ total_spend, both traits (0 for a customer whose orders were free).
        new("refund_share", FeatureUnit.Share, false, (t, _) => t.TotalSpendMinor == 0 ? 0 : (double)t.RefundedMinor / t.TotalSpendMinor),
        new("coupon_use_rate", FeatureUnit.Share, false, (t, _) => t.CouponUseRate),
        new("categories_bought", FeatureUnit.Count, true, (t, _) => t.CategoriesBought),
    ];

    public static IReadOnlyList<string> Keys { get; } = [.. All.Select(f => f.Key)];

    public static CustomerFeature? Find(string key) => All.FirstOrDefault(f => f.Key == key);

    /// <summary>The buyers' values of <paramref name="features"/>, a row per buyer in the buyers' order.</summary>
    public static double[] Matrix(IReadOnlyList<BuyerTraits> buyers, IReadOnlyList<CustomerFeature> features, string currency)
    {
        var d = features.Count;
        var values = new double[buyers.Count * d];
        for (var i = 0; i < buyers.Count; i++)
        {
            for (var f = 0; f < d; f++)
            {
                values[(i * d) + f] = features[f].Read(buyers[i], currency);
            }
        }
        return values;
    }
}
