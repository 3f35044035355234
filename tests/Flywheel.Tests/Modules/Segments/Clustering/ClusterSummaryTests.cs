using Flywheel.Modules.Segments.Clustering;

namespace Flywheel.Tests.Modules.Segments.Clustering;

public sealed class ClusterSummaryTests
{
    // Spend (not logged here) 10, 20, 60 and a share 0, 0, 1; rows 0 and 1 form the first cluster, row 2 the second.
    // Spend: mean 30, deviation √((400 + 100 + 900)/3) = 21.6025 → z −0.92582, −0.46291, 1.38873.
    // Share: mean 1/3, deviation √2/3 → z −0.70711, −0.70711, 1.41421.
    private static readonly double[] Raw = [10, 0, 20, 0, 60, 1];
    private static readonly KMeansResult Partition = new(2, [0, 0, 1], [], [2, 1], 1, 0);

    private static (IReadOnlyList<ClusterSummary> Clusters, double[] Overall) Describe() =>
        ClusterSummary.Describe(Raw, Standardisation.Of(Raw, [false, false]), Partition);

    [Fact]
    public void SizeShareAndMeans_AreInTheFeaturesOwnUnits()
    {
        var (clusters, overall) = Describe();

        Assert.Equal([1, 2], clusters.Select(c => c.Cluster));
        Assert.Equal([2, 1], clusters.Select(c => c.Size));
        Assert.Equal([2.0 / 3, 1.0 / 3], clusters.Select(c => c.Share));
        Assert.Equal([15.0, 0.0], clusters[0].Means);
        Assert.Equal([60.0, 1.0], clusters[1].Means);
        Assert.Equal(30, overall[0]);
        Assert.Equal(1.0 / 3, overall[1], 12);
    }

    [Fact]
    public void DistinguishingFeatures_AreTheStandardisedMeans_LargestFirst_WithTheirSign()
    {
        var (clusters, _) = Describe();

        // First cluster: spend (−0.92582 − 0.46291)/2 = −0.69437, share −0.70711: the share differs a little more.
        Assert.Equal([1, 0], clusters[0].Distinguishing.Select(d => d.Feature));
        Assert.Equal(-0.7071067811865476, clusters[0].Distinguishing[0].Deviations, 12);
        Assert.Equal(-15 / Math.Sqrt(1400.0 / 3), clusters[0].Distinguishing[1].Deviations, 12);
        // Second cluster: share 1.41421, spend 30/21.6025 = 1.38873.
        Assert.Equal([1, 0], clusters[1].Distinguishing.Select(d => d.Feature));
        Assert.Equal(Math.Sqrt(2), clusters[1].Distinguishing[0].Deviations, 12);
        Assert.Equal(30 / Math.Sqrt(1400.0 / 3), clusters[1].Distinguishing[1].Deviations, 12);
        Assert.Equal(clusters[0].Standardised[0], clusters[0].Distinguishing[1].Deviations);
    }

    [Fact]
    public void Label_IsUpToTwoFeaturesHalfADeviationOrMoreAway()
    {
        var (clusters, _) = Describe();

        Assert.Equal([1, 0], clusters[0].Label.Select(d => d.Feature));
        Assert.All(clusters[0].Label, d => Assert.True(d.Deviations < 0));
        Assert.All(clusters[1].Label, d => Assert.True(d.Deviations > 0));
    }

    [Fact]
    public void ClusterOfTypicalCustomers_HasNoLabel()
    {
        // Three clusters of spend 9 | 10, 10 | 11: the middle one sits exactly on the mean.
        double[] raw = [9, 10, 10, 11];
        var partition = new KMeansResult(3, [1, 0, 0, 2], [], [2, 1, 1], 1, 0);

        var (clusters, _) = ClusterSummary.Describe(raw, Standardisation.Of(raw, [false]), partition);

        Assert.Empty(clusters[0].Label);
        Assert.Single(clusters[1].Label);
    }

    [Fact]
    public void FeatureNoMemberHas_HasNoMean()
    {
        // Second feature missing for both members of the first cluster.
        double[] raw = [1, double.NaN, 2, double.NaN, 9, 4];
        var partition = new KMeansResult(2, [0, 0, 1], [], [2, 1], 1, 0);

        var (clusters, overall) = ClusterSummary.Describe(raw, Standardisation.Of(raw, [false, false]), partition);

        Assert.True(double.IsNaN(clusters[0].Means[1]));
        Assert.Equal(4, clusters[1].Means[1]);
        Assert.Equal(4, overall[1]);
        Assert.Equal(0, clusters[0].Standardised[1]);
    }
}
