using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Profiles;

/// <summary>
/// DELETE /api/v1/customers/{external_id}: removes the profile. Events and orders naming the customer stay; erasing
/// a person (anonymising their events) is the privacy erase, not this. The customer's tags go with the profile, so that
/// tag member counts count only customers who exist.
/// </summary>
public static class DeleteCustomer
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapDelete("/customers/{externalId}", HandleAsync).RequireAuthorization(Scopes.CustomersWrite)
            .WithName("DeleteCustomer").WithSummary("Delete a customer profile");

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        string externalId, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.ExternalId == externalId, ct);
        if (customer is null)
        {
            return Problems.NotFound($"There is no customer with external id '{externalId}'.");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.CustomerTags.Where(m => m.WorkspaceId == workspaceId && m.CustomerExternalId == externalId).ExecuteDeleteAsync(ct);
        db.Customers.Remove(customer);
        db.Record(caller, clock.GetUtcNow(), "deleted", "customer", externalId, before: CustomerView.From(customer));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
