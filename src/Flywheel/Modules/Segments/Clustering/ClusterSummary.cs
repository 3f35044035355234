namespace Flywheel.Modules.Segments.Clustering;

/// <summary>How far a cluster's mean of a feature lies from every customer's mean, in standard deviations (signed).</summary>
public sealed record FeatureDifference(int Feature, double Deviations);

/// <summary>
/// A cluster described. <c>Cluster</c>: 1 for the largest, then by size. <c>Means</c>: each feature's mean over the
/// members in its own units (NaN where no member has a value). <c>Standardised</c>: each feature's mean over the members
/// in the standardised space, which is also its distance from the overall mean (0 there) in standard deviations.
/// <c>Distinguishing</c>: every feature, the largest difference (either sign) first. <c>Label</c>: what the cluster is
/// called by, up to <see cref="LabelFeatures"/> features that differ by at least <see cref="LabelThreshold"/> standard
/// deviations; none for a cluster of typical customers.
/// </summary>
public sealed record ClusterSummary(
    int Cluster, int Size, double Share, double[] Means, double[] Standardised, IReadOnlyList<FeatureDifference> Distinguishing,
    IReadOnlyList<FeatureDifference> Label)
{
    /// <summary>Half a standard deviation: a difference a reader sees at once in the means.</summary>
    public const double LabelThreshold = 0.5;
    public const int LabelFeatures = 2;

    /// <summary>
    /// Describes each cluster of <paramref name="partition"/>; also returns every customer's mean of each feature.
    /// <paramref name="raw"/> holds the features in their own units, as given to <see cref="Standardisation.Of"/>.
    /// </summary>
    public static (IReadOnlyList<ClusterSummary> Clusters, double[] OverallMeans) Describe(double[] raw, Standardisation standardised, KMeansResult partition)
    {
        var d = standardised.Dimensions;
        var n = standardised.Count;
        var k = partition.K;
        var rawSums = new double[(k + 1) * d];
        var rawCounts = new int[(k + 1) * d];
        var zSums = new double[k * d];
        for (var i = 0; i < n; i++)
        {
            var c = partition.Labels[i];
            for (var f = 0; f < d; f++)
            {
                var x = raw[(i * d) + f];
                zSums[(c * d) + f] += standardised.Values[(i * d) + f];
                if (!double.IsNaN(x))
                {
                    // Row k holds everyone.
                    foreach (var row in (ReadOnlySpan<int>)[c, k])
                    {
                        rawSums[(row * d) + f] += x;
                        rawCounts[(row * d) + f]++;
                    }
                }
            }
        }
        double Mean(int row, int f) => rawCounts[(row * d) + f] == 0 ? double.NaN : rawSums[(row * d) + f] / rawCounts[(row * d) + f];
        var clusters = new List<ClusterSummary>(k);
        for (var c = 0; c < k; c++)
        {
            var size = partition.Sizes[c];
            var z = Enumerable.Range(0, d).Select(f => zSums[(c * d) + f] / size).ToArray();
            var distinguishing = z.Select((v, f) => new FeatureDifference(f, v))
                .OrderByDescending(x => Math.Abs(x.Deviations)).ThenBy(x => x.Feature).ToList();
            var label = distinguishing.Where(x => Math.Abs(x.Deviations) >= LabelThreshold).Take(LabelFeatures).ToList();
            clusters.Add(new ClusterSummary(c + 1, size, (double)size / n, [.. Enumerable.Range(0, d).Select(f => Mean(c, f))], z,
                distinguishing, label));
        }
        return (clusters, [.. Enumerable.Range(0, d).Select(f => Mean(k, f))]);
    }
}
