using Flywheel.Modules.Analytics.Insights;

namespace Flywheel.Tests.Modules.Analytics.Insights;

/// <summary>The factor split (LMDI) and the dimension drill-down, against values worked out by hand.</summary>
public sealed class ChangeExplanationTests
{
    [Fact]
    public void MoreTraffic_AndSmallerBaskets_SplitExactly_IntoTheirShares()
    {
        // GMV = UV × order rate × payment rate × AOV, rates unchanged (0.2 × 0.5 = 0.1):
        // 100 × 0.1 × 10000 = 100000 → 200 × 0.1 × 7500 = 150000; change +50000.
        // L(150000, 100000) = 50000 / ln 1.5 = 123315.5; UV: L × ln 2 = 85475.56; AOV: L × ln 0.75 = −35475.56.
        // Rounded down 85475 and −35476 add up to 49999: the missing unit goes to the larger fraction (.56 against .44).
        var split = LogDecomposition.Split([(100, 200), (0.2, 0.2), (0.5, 0.5), (10000, 7500)], 100000, 150000);

        Assert.Equal([85476L, 0, 0, -35476], split);
        Assert.Equal(50000, split!.Sum());
    }

    [Fact]
    public void ChangesThatCancel_AreStillShown()
    {
        // 100 → 125 visitors, AOV 10000 → 8000: GMV 100000 either way. L(a, a) = a, so UV 100000 × ln 1.25 = 22314.36 and
        // AOV 100000 × ln 0.8 = −22314.36; floors 22314 and −22315 sum to −1, the unit back goes to the larger fraction (.64).
        var split = LogDecomposition.Split([(100, 125), (0.2, 0.2), (0.5, 0.5), (10000, 8000)], 100000, 100000);

        Assert.Equal([22314L, 0, 0, -22314], split);
    }

    [Fact]
    public void AFactorAtZero_CannotBeSplit()
    {
        Assert.Null(LogDecomposition.Split([(0, 10), (1, 1)], 0, 10));
    }

    /// <summary>
    /// A fixture shop, amounts in fen. Previous: 100 visitors, 20 placed orders, 10 paid: 4 from feed ads (first orders,
    /// beauty) and 6 from search (repeat, home), each 10000. Now: the same visitors and placed orders, but only 2 of the feed
    /// orders are paid.
    /// </summary>
    private static (PeriodFacts Previous, PeriodFacts Current) Shop()
    {
        static OrderFact Feed() => new("feed_ads", "beauty", "first_order", 10000);
        static OrderFact Search() => new("search", "home", "repeat", 10000);
        var previous = new PeriodFacts(100, 20, [.. Enumerable.Repeat(Feed(), 4), .. Enumerable.Repeat(Search(), 6)]);
        var current = new PeriodFacts(100, 20, [.. Enumerable.Repeat(Feed(), 2), .. Enumerable.Repeat(Search(), 6)]);
        return (previous, current);
    }

    [Fact]
    public void AFallAtPayment_AmongNewCustomersFromFeedAds_IsFollowedDownToThem()
    {
        var (previous, current) = Shop();

        var e = ChangeExplanation.Explain(ExplainedMetric.Gmv, previous, current);

        // GMV 100000 → 80000: −20000, −20 %.
        Assert.Equal(-20000, e.ChangeUnits);
        Assert.Equal(-0.2, e.RelativeChange);
        // Factors: UV 100 → 100, order rate 0.2 → 0.2, AOV 10000 → 10000 are unchanged (ln 1 = 0); payment rate 10/20 = 0.5
        // → 8/20 = 0.4 carries the whole change: L(80000, 100000) × ln 0.8 = −20000.
        Assert.Equal(["uv", "order_rate", "payment_rate", "aov"], e.Factors!.Select(f => f.Factor));
        Assert.Equal([0L, 0, -20000, 0], e.Factors!.Select(f => f.ContributionUnits));
        Assert.Equal(0.4, e.Factors![2].Current, 10);
        // By channel: feed_ads 40000 → 20000 (−20000, all of the change), search 60000 → 60000.
        var channel = e.Dimensions.Single(d => d.Dimension == "channel");
        Assert.Equal(["feed_ads", "search"], channel.Values.Select(v => v.Value));
        Assert.Equal(-20000, channel.Values[0].ChangeUnits);
        Assert.Equal(1.0, channel.Values[0].ShareOfChange);
        // Inside feed_ads: orders 4 → 2 with the same AOV: the orders effect is the whole −20000.
        Assert.Equal(-20000, channel.Values[0].OrdersEffectUnits);
        Assert.Equal(0, channel.Values[0].AovEffectUnits);
        // The parts of every dimension add up to the change.
        Assert.All(e.Dimensions, d => Assert.Equal(e.ChangeUnits, d.Values.Sum(v => v.ChangeUnits)));

        // The drill path: GMV fell → at the payment step → in feed ads → among first orders.
        Assert.Equal(
            [("metric", "gmv", (string?)null), ("factor", "payment_rate", null), ("dimension", "channel", "feed_ads"), ("within", "customer_type", "first_order")],
            e.Path.Select(s => (s.Kind, s.Name, s.Value)));
        Assert.Equal("channel=feed_ads", e.Path[3].Within);
    }

    [Fact]
    public void PaidOrders_SplitInHundredthsOfAnOrder()
    {
        var (previous, current) = Shop();

        var e = ChangeExplanation.Explain(ExplainedMetric.PaidOrders, previous, current);

        // 10 → 8 orders = −200 hundredths, all at the payment step; no AOV factor for a count.
        Assert.Equal(-200, e.ChangeUnits);
        Assert.Equal([0L, 0, -200], e.Factors!.Select(f => f.ContributionUnits));
        Assert.Null(e.Dimensions[0].Values[0].AovEffectUnits);
    }
}
