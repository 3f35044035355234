using System.Security.Claims;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>
/// DELETE /api/v1/tags/{name}: removes the tag and takes it off every customer, in one transaction. Refused while a
/// rule tag's condition names it.
/// </summary>
public static class DeleteTag
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapDelete("/tags/{name}", FromRouteAsync).RequireAuthorization(Scopes.CustomersWrite)
            .WithName("DeleteTag").WithSummary("Delete a tag and its assignments");

    private static Task<Results<NoContent, ProblemHttpResult>> FromRouteAsync(
        string name, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        HandleAsync(TagRules.FromRoute(name), caller, db, clock, ct);

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        string name, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var tag = await TagRules.FindAsync(db, workspaceId, name, ct);
        if (tag is null)
        {
            return TagRules.NotFound(name);
        }
        if (await TagRules.RuleTagsNamingAsync(db, workspaceId, tag.Name, tag.Id, ct) is { Count: > 0 } naming)
        {
            return TagRules.StillNamed(tag.Name, naming, "delete");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var members = await db.CustomerTags.Where(m => m.TagId == tag.Id).ExecuteDeleteAsync(ct);
        db.Tags.Remove(tag);
        db.Record(caller, clock.GetUtcNow(), "deleted", "tag", tag.Name, before: new { tag = TagAuditView.From(tag), members });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
