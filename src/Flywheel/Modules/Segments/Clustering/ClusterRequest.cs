using Flywheel.Platform;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Segments.Clustering;

/// <summary>
/// What to cluster by: k (null: suggested), the features (null: all), the seed (null: 1) and the moment the traits are
/// taken at (null: now). Days since the last order grow with time, so tagging what a clustering showed passes the
/// clustering's <c>computed_at</c> as <c>as_of</c> to get the same clusters again.
/// </summary>
public sealed record ClusterRequest(int? K, IReadOnlyList<string>? Features, int? Seed, DateTimeOffset? AsOf = null)
{
    public const int MinK = 2;
    public const int MaxK = 20;
    public const int DefaultSeed = 1;

    public static ClusterRequest Read(JsonInput input) =>
        new(input.WholeNumber("k"), input.Strings("features"), input.WholeNumber("seed"), AsOfField(input));

    private static DateTimeOffset? AsOfField(JsonInput input)
    {
        if (input.Text("as_of") is not { } text)
        {
            return null;
        }
        if (!Instants.TryParseUtc(text, out var asOf))
        {
            input.Errors.Add("as_of", $"'{text}' is not a time; use ISO 8601, such as 2026-11-17T04:00:00Z.");
            return null;
        }
        return asOf;
    }

    /// <summary>The features asked for, in the catalogue's order; adds field errors for anything out of bounds.</summary>
    public IReadOnlyList<CustomerFeature> Validate(FieldErrors errors, DateTimeOffset now)
    {
        if (AsOf > now)
        {
            errors.Add("as_of", "must not be in the future: orders not yet paid cannot be counted.");
        }
        if (K is < MinK or > MaxK)
        {
            errors.Add("k", $"must be from {MinK} to {MaxK}, or null to have k suggested (it was {K}).");
        }
        if (Seed is < 0)
        {
            errors.Add("seed", "must be 0 or more.");
        }
        if (Features is null)
        {
            return CustomerFeatures.All;
        }
        if (Features.Count == 0)
        {
            errors.Add("features", $"must name at least one feature, or be null for all: {string.Join(", ", CustomerFeatures.Keys)}.");
        }
        foreach (var unknown in Features.Where(f => CustomerFeatures.Find(f) is null).Distinct(StringComparer.Ordinal))
        {
            errors.Add("features", $"'{unknown}' is not a feature; the features are {string.Join(", ", CustomerFeatures.Keys)}.");
        }
        foreach (var twice in Features.GroupBy(f => f, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add("features", $"lists '{twice}' more than once.");
        }
        return [.. CustomerFeatures.All.Where(f => Features.Contains(f.Key, StringComparer.Ordinal))];
    }

    public int SeedOrDefault => Seed ?? DefaultSeed;
}

/// <summary>Clusters as <see cref="Clustering"/> asks, then tags the customers of <see cref="Cluster"/> (1 = largest) as <see cref="Tag"/>.</summary>
public sealed record TagClusterRequest(ClusterRequest Clustering, int? Cluster, string? Tag)
{
    /// <summary>As long as a tag's name may be.</summary>
    public const int MaxTagLength = 100;

    public static TagClusterRequest Read(JsonInput input) => new(ClusterRequest.Read(input), input.WholeNumber("cluster"), input.Text("tag"));

    /// <summary>The tag's name, trimmed; adds field errors as <see cref="ClusterRequest.Validate"/> does, and for the cluster and tag.</summary>
    public string? Validate(FieldErrors errors)
    {
        if (Cluster is null && !errors.Has("cluster"))
        {
            errors.Add("cluster", "is required: the number of the cluster to tag (1 is the largest).");
        }
        else if (Cluster < 1)
        {
            errors.Add("cluster", "must be 1 or more (1 is the largest cluster).");
        }
        return errors.Has("tag") ? null : Fields.Required(Tag, "tag", MaxTagLength, errors);
    }
}
