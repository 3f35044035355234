namespace Flywheel.Modules.Segments.Clustering;

/// <summary>
/// The mean silhouette (Rousseeuw, "Silhouettes: a graphical aid to the interpretation and validation of cluster
/// analysis", 1987) of partitions of the same points, measured on a sample of them. For a point i of cluster A, a(i)
/// is its mean distance to the other sampled points of A and b(i) the least mean distance to the sampled points of
/// another cluster; s(i) = (b − a) / max(a, b), from −1 (closer to another cluster) to 1 (well inside its own). A point
/// alone in its cluster within the sample, or with no other cluster in the sample, counts 0, as Rousseeuw sets it.
/// Distances are Euclidean, in the standardised space k-means used.
/// </summary>
public static class Silhouette
{
    /// <summary>The mean silhouette of each partition (labels of every row, clusters numbered from 0) over the sampled rows.</summary>
    public static double[] Mean(double[] points, int dimensions, int[] sample, IReadOnlyList<int[]> partitions)
    {
        var m = sample.Length;
        var p = partitions.Count;
        var width = partitions.Count == 0 ? 0 : partitions.Max(labels => sample.Length == 0 ? 0 : sample.Max(row => labels[row])) + 1;
        var scores = new double[m * p];
        // Each sampled point fills only its own scores, so the order the threads run in cannot change any of them.
        Parallel.For(0, m, i =>
        {
            var sums = new double[p * width];
            var counts = new int[p * width];
            for (var j = 0; j < m; j++)
            {
                if (j == i)
                {
                    continue;
                }
                var distance = Math.Sqrt(KMeans.SquaredDistance(points, sample[i], points, sample[j], dimensions));
                for (var q = 0; q < p; q++)
                {
                    var cell = (q * width) + partitions[q][sample[j]];
                    sums[cell] += distance;
                    counts[cell]++;
                }
            }
            for (var q = 0; q < p; q++)
            {
                var own = (q * width) + partitions[q][sample[i]];
                if (counts[own] == 0)
                {
                    continue;
                }
                var a = sums[own] / counts[own];
                var b = double.PositiveInfinity;
                for (var c = q * width; c < (q + 1) * width; c++)
                {
                    if (c != own && counts[c] > 0)
                    {
                        b = Math.Min(b, sums[c] / counts[c]);
                    }
                }
                var larger = Math.Max(a, b);
                scores[(i * p) + q] = double.IsPositiveInfinity(b) || larger == 0 ? 0 : (b - a) / larger;
            }
        });
        var means = new double[p];
        for (var q = 0; q < p; q++)
        {
            var sum = 0.0;
            for (var i = 0; i < m; i++)
            {
                sum += scores[(i * p) + q];
            }
            means[q] = m == 0 ? 0 : sum / m;
        }
        return means;
    }
}
