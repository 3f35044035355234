using Flywheel.Modules.Segments.Clustering;

namespace Flywheel.Tests.Modules.Segments.Clustering;

public sealed class SuggestionTests
{
    [Fact]
    public void ThreeFarApartGroups_SuggestThree_AndReturnThoseGroups()
    {
        // Tight patches 1,000 apart: with 3 clusters every point is next to its own patch (silhouette near 1); with 2,
        // two patches share a cluster; with 4 or more a patch is split and its halves are close.
        var points = Groups.Points((0, 0, 40), (1000, 0, 35), (0, 1000, 25));

        var (suggestion, runs) = KSuggestion.Evaluate(points, 2, seed: 1);

        Assert.Equal(3, suggestion.Best);
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], suggestion.Scores.Select(s => s.K));
        Assert.Equal((100, 100), (suggestion.FitSize, suggestion.SampleSize));
        Assert.True(suggestion.Scores.Single(s => s.K == 3).Silhouette > 0.99);
        Assert.Equal(Groups.Membership(40, 35, 25), runs![3].Labels);
    }

    [Fact]
    public void FewDifferentRows_LimitTheKsTried()
    {
        // Three different rows: k = 2 and 3 can be had, 4 cannot.
        double[] points = [0, 0, 0, 5, 5, 9, 9, 9];

        var (suggestion, _) = KSuggestion.Evaluate(points, 1, seed: 1);

        Assert.Equal([2, 3], suggestion.Scores.Select(s => s.K));
        Assert.Equal(3, suggestion.Best);
    }

    [Fact]
    public void OneDifferentRow_IsRefused()
    {
        var refused = Assert.Throws<ClusteringRefusedException>(() => KSuggestion.Evaluate([4, 4, 4], 1, seed: 1));

        Assert.Equal("ClustersNeedAsManyDifferentCustomers", refused.Rule);
    }

    [Fact]
    public void OneCustomer_IsRefused()
    {
        var refused = Assert.Throws<ClusteringRefusedException>(() => KSuggestion.Evaluate([4], 1, seed: 1));

        Assert.Equal("2 clusters need at least 2 customers with a paid order; there is 1.", refused.Message);
    }

    [Fact]
    public void LargeShop_IsTriedOnASample_ThenClusteredWhole()
    {
        // 6,000 rows, more than the 1,000 each k is tried on here (50,000 in use, which would make this test slow): the
        // three groups still show in the sample, scored on 300 of its rows, and the suggested k then runs on every row.
        var points = Groups.Points((0, 0, 3000), (1000, 0, 2000), (0, 1000, 1000));

        var (suggestion, runs) = KSuggestion.Evaluate(points, 2, seed: 1, maxFit: 1000, maxSample: 300);
        var result = CustomerClusters.Run(points, [false, false], k: null, seed: 1, maxFit: 1000);

        Assert.Null(runs);
        Assert.Equal((3, 1000, 300), (suggestion.Best, suggestion.FitSize, suggestion.SampleSize));
        Assert.Equal(3, result.Suggestion!.Best);
        Assert.Equal(Groups.Membership(3000, 2000, 1000), result.Partition.Labels);
    }
}
