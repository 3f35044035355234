namespace Flywheel.Modules.Segments.Clustering;

/// <summary>The mean silhouette of the clusters k-means finds with k clusters.</summary>
public sealed record KScore(int K, double Silhouette);

/// <summary>
/// Which k to use: the one whose clusters have the highest mean silhouette, the smaller k on a tie. <c>FitSize</c>
/// customers were clustered for each k, <c>SampleSize</c> of them scored.
/// </summary>
public sealed record KSuggestion(int Best, IReadOnlyList<KScore> Scores, int FitSize, int SampleSize)
{
    public const int MinK = 2;
    public const int MaxK = 8;
    /// <summary>Silhouettes cost a distance per pair of points, so they are measured on a sample of at most this many.</summary>
    public const int MaxSample = 5000;
    /// <summary>
    /// Each k is tried on at most this many customers: enough to show the shape of the data, and the seven runs stay a
    /// few seconds on a shop of a million. A shop this size or smaller is clustered whole for each k.
    /// </summary>
    public const int MaxFit = 50_000;

    /// <summary>
    /// Runs k-means for every k from <see cref="MinK"/> to <see cref="MaxK"/> (fewer when the points have fewer different
    /// rows) with the same seed, on a sample of at most <see cref="MaxFit"/> rows, and scores each on a sample of at
    /// most <see cref="MaxSample"/> of those; both samples are drawn with the seed. Returns the suggestion and, when
    /// every row was clustered, each k's clusters, so that the suggested one need not be computed again. Tests pass
    /// smaller limits to exercise large shops on small data.
    /// </summary>
    internal static (KSuggestion Suggestion, IReadOnlyDictionary<int, KMeansResult>? Runs) Evaluate(
        double[] points, int dimensions, ulong seed, int maxFit = MaxFit, int maxSample = MaxSample, CancellationToken ct = default)
    {
        var n = points.Length / dimensions;
        var fitRows = RowSample.Draw(n, maxFit, FitSeed(seed));
        var fit = fitRows.Length == n ? points : RowSample.Gather(points, dimensions, fitRows);
        var runs = new Dictionary<int, KMeansResult>();
        for (var k = MinK; k <= Math.Min(MaxK, fitRows.Length); k++)
        {
            try
            {
                runs[k] = KMeans.Run(fit, dimensions, k, seed, ct);
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
        var sample = RowSample.Draw(fitRows.Length, maxSample, SampleSeed(seed));
        var ks = runs.Keys.Order().ToList();
        var scores = Silhouette.Mean(fit, dimensions, sample, [.. ks.Select(k => runs[k].Labels)]);
        var table = ks.Select((k, i) => new KScore(k, scores[i])).ToList();
        // Highest score; on a tie the smaller k, the simpler description of the same data.
        var best = table.OrderByDescending(s => s.Silhouette).ThenBy(s => s.K).First().K;
        return (new KSuggestion(best, table, fitRows.Length, sample.Length), fitRows.Length == n ? runs : null);
    }

    /// <summary>
    /// The samples' own seeds, so that their draws do not repeat each other or the first draws of k-means++ with the
    /// same seed.
    /// </summary>
    internal static ulong FitSeed(ulong seed) => seed ^ 0x2545F4914F6CDD1DUL;

    internal static ulong SampleSeed(ulong seed) => seed ^ 0x5DEECE66DUL;
}
