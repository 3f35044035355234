using Flywheel.Modules.Segments.Clustering;

namespace Flywheel.Tests.Modules.Segments.Clustering;

public sealed class CustomerClustersTests
{
    // Three kinds of buyer in raw units (orders, spend, coupon share), orders and spend logged:
    // 30 one-off small buyers (1 order, ~¥50, no coupons), 20 regulars (10 orders, ~¥2,000, half with coupons) and
    // 10 big spenders (3 orders, ~¥30,000, no coupons). Each kind varies a little, too little to blur the kinds.
    private static double[] Buyers()
    {
        var rows = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            rows.AddRange([1, 50 + i, 0]);
        }
        for (var i = 0; i < 20; i++)
        {
            rows.AddRange([10 + (i % 2), 2000 + (10 * i), 0.5]);
        }
        for (var i = 0; i < 10; i++)
        {
            rows.AddRange([3, 30_000 + (100 * i), 0]);
        }
        return [.. rows];
    }

    private static readonly bool[] Logged = [true, true, false];

    [Fact]
    public void SuggestedK_FindsTheThreeKinds_LargestFirst_DescribedByWhatSetsThemApart()
    {
        var result = CustomerClusters.Run(Buyers(), Logged, k: null, seed: 1);

        Assert.Equal(3, result.Suggestion!.Best);
        Assert.Equal(3, result.Partition.K);
        Assert.Equal(Groups.Membership(30, 20, 10), result.Partition.Labels);
        // Means in raw units: the regulars' orders are 10 and 11 alternately (10.5), their spend 2,000 + 10·(0+…+19)/20 = 2,095.
        Assert.Equal([10.5, 2095, 0.5], result.Clusters[1].Means);
        // The regulars stand out by coupon use (z = (0.5 − 1/6)/0.2357 = 1.41421), then orders; the big spenders by spend.
        Assert.Equal(2, result.Clusters[1].Distinguishing[0].Feature);
        Assert.Equal(1.414213562373095, result.Clusters[1].Distinguishing[0].Deviations, 12);
        Assert.Equal(1, result.Clusters[2].Distinguishing[0].Feature);
        Assert.True(result.Clusters[2].Distinguishing[0].Deviations > 0);
        Assert.True(result.Clusters[0].Standardised[1] < 0, "the one-off buyers spend below the mean");
    }

    [Fact]
    public void ChosenK_IsUsed_WithoutASuggestion()
    {
        var result = CustomerClusters.Run(Buyers(), Logged, k: 2, seed: 1);

        Assert.Null(result.Suggestion);
        Assert.Equal(2, result.Clusters.Count);
        Assert.Equal(60, result.Clusters.Sum(c => c.Size));
    }

    [Fact]
    public void SameInput_GivesTheSameAnswer()
    {
        var first = CustomerClusters.Run(Buyers(), Logged, k: null, seed: 5);
        var second = CustomerClusters.Run(Buyers(), Logged, k: null, seed: 5);

        Assert.Equal(first.Partition.Labels, second.Partition.Labels);
        Assert.Equal(first.Suggestion!.Scores, second.Suggestion!.Scores);
        Assert.Equal(first.Clusters.SelectMany(c => c.Standardised), second.Clusters.SelectMany(c => c.Standardised));
    }

    [Fact]
    public void NoCustomers_IsRefused()
    {
        Assert.Throws<ClusteringRefusedException>(() => CustomerClusters.Run([], Logged, k: null, seed: 1));
        Assert.Throws<ClusteringRefusedException>(() => CustomerClusters.Run([], Logged, k: 3, seed: 1));
    }
}
