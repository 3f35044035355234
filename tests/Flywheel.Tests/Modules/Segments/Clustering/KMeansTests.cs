using Flywheel.Modules.Segments.Clustering;

namespace Flywheel.Tests.Modules.Segments.Clustering;

public sealed class KMeansTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(7UL)]
    [InlineData(123456789UL)]
    public void ThreeFarApartGroups_AreFoundExactly_LargestFirst(ulong seed)
    {
        // Rows: 20 points near (0, 1000), then 50 near (0, 0), then 30 near (1000, 0).
        var points = Groups.Points((0, 1000, 20), (0, 0, 50), (1000, 0, 30));

        var result = KMeans.Run(points, 2, 3, seed);

        // Numbered by size: the 50 are cluster 0, the 30 cluster 1, the 20 cluster 2.
        int[] expected = [.. Enumerable.Repeat(2, 20), .. Enumerable.Repeat(0, 50), .. Enumerable.Repeat(1, 30)];
        Assert.Equal(expected, result.Labels);
        Assert.Equal([50, 30, 20], result.Sizes);
        // Each centroid is its patch's mean. The 50 points lie in rows of 8, 0.1 apart: six full rows and two points in a
        // seventh. x offsets 0.1·(6·(0+…+7) + 0 + 1)/50 = 0.338, y offsets 0.1·(8·(0+…+5) + 6 + 6)/50 = 0.264.
        Assert.Equal(0.1 * ((6 * 28) + 1) / 50, result.Centroids[0], 12);
        Assert.Equal(0.1 * ((8 * 15) + 12) / 50, result.Centroids[1], 12);
    }

    [Fact]
    public void EqualSizes_AreNumberedByTheirFirstRow()
    {
        var points = Groups.Points((1000, 1000, 10), (0, 0, 10));

        var result = KMeans.Run(points, 2, 2, seed: 3);

        Assert.Equal(Groups.Membership(10, 10), result.Labels);
    }

    [Fact]
    public void SameData_KAndSeed_GiveTheSameClusters_ToTheLastBit()
    {
        // 20,000 rows: several blocks of work, so the parallel assignment and its sums are exercised.
        var points = Groups.Scatter(20_000, 4);

        var first = KMeans.Run(points, 4, 5, seed: 42);
        var second = KMeans.Run(points, 4, 5, seed: 42);

        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(first.Centroids, second.Centroids);
        Assert.Equal(first.Inertia, second.Inertia);
        Assert.Equal(20_000, first.Sizes.Sum());
        Assert.True(first.Sizes.Zip(first.Sizes.Skip(1)).All(p => p.First >= p.Second), "clusters are ordered by size");
    }

    [Fact]
    public void Centroids_AreTheMeansOfTheirClusters_AndInertiaTheSquaredDistancesToThem()
    {
        var points = Groups.Scatter(3000, 3);

        var result = KMeans.Run(points, 3, 4, seed: 9);

        // A second computation of both, straight from the labels.
        var inertia = 0.0;
        for (var c = 0; c < 4; c++)
        {
            var rows = Enumerable.Range(0, 3000).Where(i => result.Labels[i] == c).ToList();
            for (var f = 0; f < 3; f++)
            {
                Assert.Equal(rows.Average(i => points[(i * 3) + f]), result.Centroids[(c * 3) + f], 9);
            }
            inertia += rows.Sum(i => Enumerable.Range(0, 3).Sum(f => Math.Pow(points[(i * 3) + f] - result.Centroids[(c * 3) + f], 2)));
        }
        Assert.Equal(inertia, result.Inertia, 6);
    }

    [Fact]
    public void FewerRowsThanK_IsRefused()
    {
        var refused = Assert.Throws<ClusteringRefusedException>(() => KMeans.Run([1, 2, 3], 1, 4, seed: 1));

        Assert.Equal("ClustersNeedAsManyCustomers", refused.Rule);
        Assert.Equal("4 clusters need at least 4 customers with a paid order; there are 3.", refused.Message);
    }

    [Fact]
    public void NoRows_IsRefused()
    {
        var refused = Assert.Throws<ClusteringRefusedException>(() => KMeans.Run([], 2, 2, seed: 1));

        Assert.Equal("ClustersNeedAsManyCustomers", refused.Rule);
    }

    [Fact]
    public void FewerDifferentRowsThanK_IsRefused_SayingHowManyThereAre()
    {
        // Ten customers, but only two different rows.
        double[] points = [.. Enumerable.Range(0, 10).SelectMany(i => i < 5 ? new[] { 0.0, 0.0 } : [1.0, 1.0])];

        var refused = Assert.Throws<ClusteringRefusedException>(() => KMeans.Run(points, 2, 3, seed: 1));

        Assert.Equal("ClustersNeedAsManyDifferentCustomers", refused.Rule);
        Assert.StartsWith("3 clusters need at least 3 customers whose chosen features differ; these customers have only 2 different combinations", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsManyDifferentRowsAsK_GiveOneClusterEach()
    {
        double[] points = [.. Enumerable.Range(0, 10).SelectMany(i => new[] { i < 5 ? 0.0 : 1.0, i < 8 ? 0.0 : 5.0 })];

        var result = KMeans.Run(points, 2, 3, seed: 1);

        // Rows 0–4 at (0, 0), 5–7 at (1, 0), 8–9 at (1, 5).
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 2, 2], result.Labels);
        Assert.Equal(0, result.Inertia);
    }
}
