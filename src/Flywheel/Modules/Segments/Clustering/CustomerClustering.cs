using System.Security.Claims;
using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Segments.Language;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Segments.Clustering;

/// <summary>
/// Clusters a workspace's buying customers and tags a cluster, for the API and the console alike. Reads the buyers'
/// traits from the state store, clusters them (<see cref="CustomerClusters"/>) and shapes the answer; tagging runs the
/// same clustering again, which gives the same clusters for the same request while the orders are unchanged.
/// </summary>
public sealed class CustomerClustering(StateStore state, TimeProvider clock)
{
    public async Task<Results<Ok<ClustersView>, ValidationProblem, ProblemHttpResult>> RunAsync(
        ClaimsPrincipal caller, ClusterRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var features = request.Validate(errors, clock.GetUtcNow());
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        await using var db = state.Open();
        var run = await ComputeAsync(db, caller.WorkspaceId(), request, features, ct);
        return run.Refused is { } refused ? Refusal(refused) : TypedResults.Ok(View(run));
    }

    public async Task<Results<Ok<ClusterTagView>, ValidationProblem, ProblemHttpResult>> TagAsync(
        ClaimsPrincipal caller, TagClusterRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var features = request.Clustering.Validate(errors, clock.GetUtcNow());
        var name = request.Validate(errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        await using var db = state.Open();
        var run = await ComputeAsync(db, caller.WorkspaceId(), request.Clustering, features, ct);
        if (run.Refused is { } refused)
        {
            return Refusal(refused);
        }
        var k = run.Result!.Partition.K;
        if (request.Cluster > k)
        {
            return Problems.Validation("cluster", $"must be from 1 to {k}: there are {k} clusters.");
        }
        var cluster = request.Cluster!.Value;
        var members = run.Buyers.Where((_, i) => run.Result.Partition.Labels[i] == cluster - 1).Select(b => b.CustomerId).ToList();
        var seed = request.Clustering.SeedOrDefault;
        var description = $"Cluster {cluster} of {k} by k-means over {string.Join(", ", features.Select(f => f.Key))} (seed {seed}), " +
            $"as of {run.AsOf:yyyy-MM-dd HH:mm} UTC.";
        ImportedTagWritten written;
        try
        {
            written = await CustomerTagging.ReplaceImportedTagAsync(
                db, caller.WorkspaceId(), caller.Actor(), new ImportedTag(name!, description), members, clock.GetUtcNow(), ct);
        }
        catch (TagRefusedException notImported)
        {
            return Problems.Conflict(notImported.Message + " Choose another name.");
        }
        catch (DbUpdateException)
        {
            // Another request created a tag of this name between our read and our write (the name is unique).
            return Problems.Conflict($"The tag '{name}' was created by another request at the same time; try again.");
        }
        return TypedResults.Ok(new ClusterTagView(written.Name, written.TagId, cluster, written.Members, k, seed, run.AsOf,
            [.. features.Select(f => f.Key)], written.Created, written.Members - written.Added + written.Removed, SegmentText.Print(new HasTagCondition(written.Name))));
    }

    private sealed record Run(
        IReadOnlyList<BuyerTraits> Buyers, string Currency, IReadOnlyList<CustomerFeature> Features, int Seed, DateTimeOffset AsOf,
        ClusteringResult? Result, ClusteringRefusedException? Refused);

    private async Task<Run> ComputeAsync(
        FlywheelDb db, string workspaceId, ClusterRequest request, IReadOnlyList<CustomerFeature> features, CancellationToken ct)
    {
        var now = request.AsOf ?? clock.GetUtcNow();
        var (currency, buyers) = await CustomerTraitQueries.BuyersAsync(db, workspaceId, now, ct);
        var seed = request.SeedOrDefault;
        var raw = CustomerFeatures.Matrix(buyers, features, currency);
        var logged = features.Select(f => f.Logged).ToList();
        try
        {
            // Seconds of arithmetic on a large shop: off the caller's thread, so that a console page stays responsive.
            var result = await Task.Run(() => CustomerClusters.Run(raw, logged, request.K, (ulong)seed, ct: ct), ct);
            return new Run(buyers, currency, features, seed, now, result, null);
        }
        catch (ClusteringRefusedException refused)
        {
            return new Run(buyers, currency, features, seed, now, null, refused);
        }
    }

    private static ProblemHttpResult Refusal(ClusteringRefusedException refused) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity, title: "These customers cannot be clustered as asked.", detail: refused.Message,
        extensions: new Dictionary<string, object?> { ["rule"] = refused.Rule });

    private static ClustersView View(Run run)
    {
        var r = run.Result!;
        var keys = run.Features.Select(f => f.Key).ToList();
        IReadOnlyDictionary<string, double?> Means(double[] means) =>
            run.Features.Select((f, i) => (f.Key, Value: Round(f.Unit, means[i], run.Currency))).ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);
        ClustersView.DifferenceView Difference(FeatureDifference d) => new(keys[d.Feature], Math.Round(d.Deviations, 4));
        var clusters = r.Clusters.Select(c => new ClustersView.ClusterView(
            c.Cluster, c.Size, Math.Round(c.Share, 4),
            [.. c.Label.Select(l => new ClustersView.LabelPart(keys[l.Feature], l.Deviations > 0 ? "high" : "low"))],
            Means(c.Means),
            keys.Select((key, i) => (key, Value: Math.Round(c.Standardised[i], 4))).ToDictionary(x => x.key, x => x.Value, StringComparer.Ordinal),
            [.. c.Distinguishing.Select(Difference)])).ToList();
        var suggestion = r.Suggestion is { } s
            ? new ClustersView.SuggestionView("mean_silhouette", s.FitSize, s.SampleSize, s.Best, [.. s.Scores.Select(x => new ClustersView.ScoreView(x.K, Math.Round(x.Silhouette, 4)))])
            : null;
        return new ClustersView(run.Currency, run.Buyers.Count, r.Partition.K, run.Seed, keys, run.AsOf, suggestion, Means(r.OverallMeans), clusters);
    }

    /// <summary>Money to the currency's minor unit, shares to 4 decimals, counts and days to 2; null for no value.</summary>
    private static double? Round(FeatureUnit unit, double value, string currency) => double.IsNaN(value) ? null : unit switch
    {
        FeatureUnit.Money => Math.Round(value, Money.MinorDigits(currency), MidpointRounding.AwayFromZero),
        FeatureUnit.Share => Math.Round(value, 4, MidpointRounding.AwayFromZero),
        _ => Math.Round(value, 2, MidpointRounding.AwayFromZero),
    };
}
