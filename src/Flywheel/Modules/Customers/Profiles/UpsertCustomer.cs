using System.Security.Claims;
using Flywheel.Modules.Customers.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Profiles;

/// <summary>
/// POST /api/v1/customers (creates or updates by external_id) and PUT /api/v1/customers/{external_id}. The request
/// is the whole profile: fields left out are cleared, consents left out are "no". 201 when created, else 200.
/// </summary>
public static class UpsertCustomer
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/customers", PostAsync).RequireAuthorization(Scopes.CustomersWrite).WithIdempotency()
            .WithName("UpsertCustomer").WithSummary("Create or update a customer by external id");
        group.MapPut("/customers/{externalId}", PutAsync).RequireAuthorization(Scopes.CustomersWrite)
            .WithName("PutCustomer").WithSummary("Create or replace the customer with this external id");
    }

    public static Task<Results<Created<CustomerView>, Ok<CustomerView>, ValidationProblem>> PostAsync(
        HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        HandleAsync(null, request, caller, db, clock, ct);

    public static Task<Results<Created<CustomerView>, Ok<CustomerView>, ValidationProblem>> PutAsync(
        string externalId, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        HandleAsync(externalId, request, caller, db, clock, ct);

    private static async Task<Results<Created<CustomerView>, Ok<CustomerView>, ValidationProblem>> HandleAsync(
        string? routeId, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseObjectAsync(request, errors, ct);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var input = CustomerInput.FromJson(new JsonInput(document.RootElement, errors));
        if (routeId is not null)
        {
            if (input.ExternalId is not null && input.ExternalId != routeId)
            {
                errors.Add("external_id", $"'{input.ExternalId}' differs from the id in the URL ('{routeId}').");
            }
            input = input with { ExternalId = routeId };
        }
        var settings = await WorkspaceSettings.LoadAsync(db, caller.WorkspaceId(), ct);
        var now = clock.GetUtcNow();
        var values = CustomerRules.Validate(input, settings.Zone, now, errors);
        if (values is null || errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (customer, created) = await SaveAsync(db, caller, values, now, ct);
                var view = CustomerView.From(customer);
                return created
                    ? TypedResults.Created($"/api/v1/customers/{Uri.EscapeDataString(customer.ExternalId)}", view)
                    : TypedResults.Ok(view);
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                // Created meanwhile by another request or by the first event naming this customer: update it instead.
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<(Customer Customer, bool Created)> SaveAsync(
        FlywheelDb db, ClaimsPrincipal caller, CustomerValues values, DateTimeOffset now, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.ExternalId == values.ExternalId, ct);
        if (customer is null)
        {
            customer = CustomerRules.Create(workspaceId, values, now);
            db.Customers.Add(customer);
            db.Record(caller, now, "created", "customer", customer.ExternalId, after: CustomerView.From(customer));
            await db.SaveChangesAsync(ct);
            return (customer, true);
        }
        var before = CustomerView.From(customer);
        if (CustomerRules.Apply(customer, values, now))
        {
            db.Record(caller, now, "updated", "customer", customer.ExternalId, before, CustomerView.From(customer));
            await db.SaveChangesAsync(ct);
        }
        return (customer, false);
    }
}
