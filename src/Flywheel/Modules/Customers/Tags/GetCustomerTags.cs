using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>GET /api/v1/customers/{external_id}/tags: the tags a customer carries, by name.</summary>
public static class GetCustomerTags
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/customers/{externalId}/tags", HandleAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("GetCustomerTags").WithSummary("The tags a customer carries");

    public static async Task<Results<Ok<List<CustomerTagView>>, ProblemHttpResult>> HandleAsync(
        string externalId, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (!await db.Customers.AnyAsync(c => c.WorkspaceId == workspaceId && c.ExternalId == externalId, ct))
        {
            return Problems.NotFound($"There is no customer with external id '{externalId}'.");
        }
        var rows = await (
            from m in db.CustomerTags
            join t in db.Tags on m.TagId equals t.Id
            where m.WorkspaceId == workspaceId && m.CustomerExternalId == externalId
            orderby t.Name
            select new { t.Name, t.Kind, m.TaggedAt, m.Source }).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => new CustomerTagView(r.Name, TagKinds.Name(r.Kind), r.TaggedAt, r.Source)).ToList());
    }
}
