using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>GET /api/v1/tags?kind=&amp;cursor=&amp;limit=: the catalogue by name, each tag with its member count.</summary>
public static class ListTags
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/tags", HandleAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("ListTags").WithSummary("The tag catalogue, by name, a page at a time");

    public static async Task<Results<Ok<Page<TagView>>, ValidationProblem>> HandleAsync(
        string? kind, string? cursor, int? limit, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        if (Cursor.CheckPaging(limit, cursor, out var take, out string? after) is { } problem)
        {
            return problem;
        }
        var workspaceId = caller.WorkspaceId();
        var query = db.Tags.AsNoTracking().Where(t => t.WorkspaceId == workspaceId);
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!TagKinds.TryParse(kind.Trim(), out var wanted))
            {
                return Problems.Validation("kind", $"must be {TagKinds.Expected}.");
            }
            query = query.Where(t => t.Kind == wanted);
        }
        if (after is not null)
        {
            query = query.Where(t => t.Name.CompareTo(after) > 0);
        }
        var fetched = await query.OrderBy(t => t.Name).Take(take + 1).ToListAsync(ct);
        var page = Cursor.PageOf(fetched, take, t => t.Name);
        var ids = page.Items.Select(t => t.Id).ToList();
        var counts = await db.CustomerTags.AsNoTracking().Where(m => ids.Contains(m.TagId))
            .GroupBy(m => m.TagId).Select(g => new { TagId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.TagId, c => c.Count, ct);
        return TypedResults.Ok(new Page<TagView>(
            [.. page.Items.Select(t => TagView.From(t, counts.GetValueOrDefault(t.Id)))], page.NextCursor));
    }
}
