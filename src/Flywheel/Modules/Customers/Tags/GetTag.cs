using System.Security.Claims;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>GET /api/v1/tags/{name}: one tag of the catalogue with its member count (a '/' in the name is sent as %2F).</summary>
public static class GetTag
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/tags/{name}", FromRouteAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("GetTag").WithSummary("A tag of the catalogue by name");

    private static Task<Results<Ok<TagView>, ProblemHttpResult>> FromRouteAsync(
        string name, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct) =>
        HandleAsync(TagRules.FromRoute(name), caller, db, ct);

    public static async Task<Results<Ok<TagView>, ProblemHttpResult>> HandleAsync(
        string name, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var tag = await db.Tags.AsNoTracking().FirstOrDefaultAsync(t => t.WorkspaceId == workspaceId && t.Name == name, ct);
        return tag is null
            ? TagRules.NotFound(name)
            : TypedResults.Ok(TagView.From(tag, await TagMembership.CountAsync(db, tag.Id, ct)));
    }
}
