using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Profiles;

/// <summary>GET /api/v1/customers/{external_id}.</summary>
public static class GetCustomer
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/customers/{externalId}", HandleAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("GetCustomer").WithSummary("A customer by external id");

    public static async Task<Results<Ok<CustomerView>, ProblemHttpResult>> HandleAsync(
        string externalId, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var customer = await db.Customers.AsNoTracking()
            .FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.ExternalId == externalId, ct);
        return customer is null
            ? Problems.NotFound($"There is no customer with external id '{externalId}'.")
            : TypedResults.Ok(CustomerView.From(customer));
    }
}
