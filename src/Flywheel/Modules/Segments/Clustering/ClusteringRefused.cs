namespace Flywheel.Modules.Segments.Clustering;

/// <summary>
/// Clustering cannot be done on these customers as asked. <see cref="Rule"/> names the rule that was broken; the message
/// says what was asked and what the data holds, and becomes the problem detail of the API's answer.
/// </summary>
public sealed class ClusteringRefusedException(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;

    /// <summary>k clusters need k customers: each cluster holds at least one.</summary>
    public static ClusteringRefusedException NeedsKCustomers(int k, int customers) => new(
        "ClustersNeedAsManyCustomers",
        $"{k} clusters need at least {k} customers with a paid order; there {(customers == 1 ? "is" : "are")} {customers}.");

    /// <summary>Customers with identical features always share a cluster, so k clusters need k different rows.</summary>
    public static ClusteringRefusedException NeedsKDistinctCustomers(int k, int distinct) => new(
        "ClustersNeedAsManyDifferentCustomers",
        $"{k} clusters need at least {k} customers whose chosen features differ; these customers have only {distinct} " +
        $"different combination{(distinct == 1 ? "" : "s")} of them. Choose fewer clusters or more features.");
}
