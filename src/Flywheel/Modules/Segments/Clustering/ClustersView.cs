namespace Flywheel.Modules.Segments.Clustering;

/// <summary>
/// The answer of <c>POST /api/v1/clusters</c>: numbers and feature keys only, for the caller to word. Money in major
/// units of <see cref="Currency"/>; each mean in the feature's own unit, null where no customer has a value. <c>AsOf</c>:
/// the moment the traits were taken at, to be passed back as <c>as_of</c> to get the same clusters again.
/// </summary>
public sealed record ClustersView(
    string Currency, int Customers, int K, int Seed, IReadOnlyList<string> Features, DateTimeOffset AsOf,
    ClustersView.SuggestionView? Suggestion, IReadOnlyDictionary<string, double?> OverallMeans, IReadOnlyList<ClustersView.ClusterView> Clusters)
{
    /// <summary>
    /// How k was chosen when the request left it out: each k's mean silhouette; <c>FitSize</c> customers were clustered
    /// for each k (everyone, up to 50,000), <c>SampleSize</c> of them scored.
    /// </summary>
    public sealed record SuggestionView(string Criterion, int FitSize, int SampleSize, int BestK, IReadOnlyList<ScoreView> Scores);

    public sealed record ScoreView(int K, double Score);

    /// <summary>
    /// A cluster: <c>Cluster</c> is 1 for the largest, then by size; <c>Standardised</c> each feature's mean in standard
    /// deviations from all customers' mean; <c>Distinguishing</c> every feature, the largest difference (either sign) first.
    /// </summary>
    public sealed record ClusterView(
        int Cluster, int Customers, double Share, IReadOnlyList<LabelPart> Label, IReadOnlyDictionary<string, double?> Means,
        IReadOnlyDictionary<string, double> Standardised, IReadOnlyList<DifferenceView> Distinguishing);

    /// <summary>One word of a cluster's label: the feature and whether the cluster is "high" or "low" on it.</summary>
    public sealed record LabelPart(string Feature, string Direction);

    public sealed record DifferenceView(string Feature, double Deviations);
}

/// <summary>The answer of <c>POST /api/v1/clusters/tag</c>; <c>Condition</c> is the segment condition that selects the tagged customers.</summary>
public sealed record ClusterTagView(
    string Tag, string TagId, int Cluster, int Customers, int K, int Seed, DateTimeOffset AsOf, IReadOnlyList<string> Features, bool Created,
    int PreviousCustomers,
    string Condition);
