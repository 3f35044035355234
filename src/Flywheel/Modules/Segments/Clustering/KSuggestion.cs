namespace Flywheel.Modules.Segments.Clustering;

/// <summary>The mean silhouette of the clusters k-means finds with k clusters.</summary>
public sealed record KScore(int K, double Silhouette);

/// <summary>Which k to use: the one whose clusters have the highest mean silhouette, the smaller k on a tie.</summary>
public sealed record KSuggestion(int Best, IReadOnlyList<KScore> Scores, int SampleSize)
{
    public const int MinK = 2;
    public const int MaxK = 8;
    /// <summary>Silhouettes cost a distance per pair of points, so they are measured on a sample of at most this many.</summary>
    public const int MaxSample = 5000;

    /// <summary>
    /// Runs k-means for every k from <see cref="MinK"/> to <see cref="MaxK"/> (fewer when the points have fewer
    /// different rows) with the same seed, and scores each on one sample of rows drawn with that seed. Returns the
    /// suggestion and each k's clusters, so that the suggested one need not be computed again.
    /// </summary>
    internal static (KSuggestion Suggestion, IReadOnlyDictionary<int, KMeansResult> Runs) Evaluate(
        double[] points, int dimensions, ulong seed, CancellationToken ct)
    {
        var n = points.Length / dimensions;
        var runs = new Dictionary<int, KMeansResult>();
        for (var k = MinK; k <= Math.Min(MaxK, n); k++)
        {
            try
            {
                runs[k] = KMeans.Run(points, dimensions, k, seed, ct);
            }
            catch (ClusteringRefusedException) when (runs.Count > 0)
            {
                // Fewer different rows than k: larger k cannot be had either.
                break;
            }
        }
        if (runs.Count == 0)
        {
            throw ClusteringRefusedException.NeedsKCustomers(MinK, n);
        }
        var sample = Silhouette.Sample(n, MaxSample, SampleSeed(seed));
        var ks = runs.Keys.Order().ToList();
        var scores = Silhouette.Mean(points, dimensions, sample, [.. ks.Select(k => runs[k].Labels)]);
        var table = ks.Select((k, i) => new KScore(k, scores[i])).ToList();
        // Highest score; on a tie the smaller k, the simpler description of the same data.
        var best = table.OrderByDescending(s => s.Silhouette).ThenBy(s => s.K).First().K;
        return (new KSuggestion(best, table, sample.Length), runs);
    }

    /// <summary>The sample's own seed, so that its draws do not repeat the first draws of k-means++ with the same seed.</summary>
    internal static ulong SampleSeed(ulong seed) => seed ^ 0x5DEECE66DUL;
}
