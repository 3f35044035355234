using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>GET /api/v1/tags/{name}/customers?cursor=&amp;limit=: the customers carrying a tag, by customer id.</summary>
public static class ListTagMembers
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/tags/{name}/customers", FromRouteAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("ListTagMembers").WithSummary("The customers carrying a tag, a page at a time");

    private static Task<Results<Ok<Page<TagMemberView>>, ValidationProblem, ProblemHttpResult>> FromRouteAsync(
        string name, string? cursor, int? limit, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct) =>
        HandleAsync(TagRules.FromRoute(name), cursor, limit, caller, db, ct);

    public static async Task<Results<Ok<Page<TagMemberView>>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string name, string? cursor, int? limit, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        if (Cursor.CheckPaging(limit, cursor, out var take, out string? after) is { } problem)
        {
            return problem;
        }
        var workspaceId = caller.WorkspaceId();
        var tagId = await db.Tags.Where(t => t.WorkspaceId == workspaceId && t.Name == name).Select(t => t.Id).FirstOrDefaultAsync(ct);
        if (tagId is null)
        {
            return TagRules.NotFound(name);
        }
        var query = db.CustomerTags.AsNoTracking().Where(m => m.TagId == tagId);
        if (after is not null)
        {
            query = query.Where(m => m.CustomerExternalId.CompareTo(after) > 0);
        }
        var fetched = await query.OrderBy(m => m.CustomerExternalId).Take(take + 1)
            .Select(m => new TagMemberView(m.CustomerExternalId, m.TaggedAt, m.Source)).ToListAsync(ct);
        return TypedResults.Ok(Cursor.PageOf(fetched, take, m => m.CustomerId));
    }
}
