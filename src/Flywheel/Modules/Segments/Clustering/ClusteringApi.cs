using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Modules.Segments.Clustering;

/// <summary>
/// POST /api/v1/clusters: k-means clusters of the buying customers, described. POST /api/v1/clusters/tag: the same
/// clustering, then one cluster's customers stored as an imported tag. Definitions: docs/clustering.md.
/// </summary>
public static class ClusteringApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/clusters", ClusterAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("ClusterCustomers").WithSummary("k-means clusters of the buying customers, described by their distinguishing features");
        // Writes a tag, so it needs the right to change customers, not only to read them.
        group.MapPost("/clusters/tag", TagAsync).RequireAuthorization(Scopes.CustomersWrite)
            .WithName("TagCluster").WithSummary("Store one cluster's customers as an imported tag");
    }

    public static async Task<Results<Ok<ClustersView>, ValidationProblem, ProblemHttpResult>> ClusterAsync(
        HttpContext http, ClaimsPrincipal caller, CustomerClustering clustering, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseObjectAsync(http.Request, errors, ct);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var request = ClusterRequest.Read(new JsonInput(document.RootElement, errors));
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        return await clustering.RunAsync(caller, request, ct);
    }

    public static async Task<Results<Ok<ClusterTagView>, ValidationProblem, ProblemHttpResult>> TagAsync(
        HttpContext http, ClaimsPrincipal caller, CustomerClustering clustering, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseObjectAsync(http.Request, errors, ct);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var request = TagClusterRequest.Read(new JsonInput(document.RootElement, errors));
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        return await clustering.TagAsync(caller, request, ct);
    }
}
