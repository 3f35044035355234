namespace Flywheel.Modules.Segments.Clustering;

/// <summary>
/// The clusters of a set of customers, described, with the suggestion table when k was suggested. <c>OverallMeans</c>:
/// every customer's mean of each feature, in its own units (NaN where no one has a value).
/// </summary>
public sealed record ClusteringResult(
    KMeansResult Partition, Standardisation Standardised, IReadOnlyList<ClusterSummary> Clusters, double[] OverallMeans, KSuggestion? Suggestion);

/// <summary>
/// Clusters customers by their features: standardise (<see cref="Standardisation"/>), choose k when none is given
/// (<see cref="KSuggestion"/>), run k-means (<see cref="KMeans"/>) and describe the clusters
/// (<see cref="ClusterSummary"/>). Pure: the same rows, features, k and seed give the same answer.
/// </summary>
public static class CustomerClusters
{
    /// <summary>
    /// <paramref name="raw"/>: one row per customer, a value per feature (NaN for a value the customer does not have);
    /// <paramref name="logged"/>: per feature, whether it is taken as log(1 + x) before standardising; <paramref name="k"/>:
    /// the number of clusters, or null to use the suggested one; <paramref name="maxFit"/>: how many rows each k is tried
    /// on (<see cref="KSuggestion.MaxFit"/>; tests pass fewer).
    /// </summary>
    public static ClusteringResult Run(
        double[] raw, IReadOnlyList<bool> logged, int? k, ulong seed, int maxFit = KSuggestion.MaxFit, CancellationToken ct = default)
    {
        var standardised = Standardisation.Of(raw, logged);
        KMeansResult partition;
        KSuggestion? suggestion = null;
        if (k is { } chosen)
        {
            partition = KMeans.Run(standardised.Values, standardised.Dimensions, chosen, seed, ct);
        }
        else
        {
            (suggestion, var runs) = KSuggestion.Evaluate(standardised.Values, standardised.Dimensions, seed, maxFit, ct: ct);
            // The suggested k's clusters are those a request for that k would get: on a large shop, run on everyone.
            partition = runs?[suggestion.Best] ?? KMeans.Run(standardised.Values, standardised.Dimensions, suggestion.Best, seed, ct);
        }
        var (clusters, overall) = ClusterSummary.Describe(raw, standardised, partition);
        return new ClusteringResult(partition, standardised, clusters, overall, suggestion);
    }
}
