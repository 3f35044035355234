using System.Security.Claims;
using Flywheel.Modules.Orders.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Orders.Orders;

/// <summary>
/// POST /api/v1/orders (creates or updates by order_id) and PUT /api/v1/orders/{order_id}. The order is stored, then
/// its events (order_placed, order_paid, order_cancelled) are made durable; an order that arrived first as events is
/// completed by it. 201 when created, else 200.
/// </summary>
public static class UpsertOrder
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/orders", PostAsync).RequireAuthorization(Scopes.OrdersWrite).WithIdempotency()
            .WithName("UpsertOrder").WithSummary("Create or update an order by order id");
        group.MapPut("/orders/{orderId}", PutAsync).RequireAuthorization(Scopes.OrdersWrite)
            .WithName("PutOrder").WithSummary("Create or replace the order with this id");
    }

    public static Task<Results<Created<OrderView>, Ok<OrderView>, ValidationProblem, ProblemHttpResult>> PostAsync(
        HttpContext http, ClaimsPrincipal caller, FlywheelDb db, OrderEvents events, TimeProvider clock, CancellationToken ct) =>
        HandleAsync(null, http, caller, db, events, clock, ct);

    public static Task<Results<Created<OrderView>, Ok<OrderView>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string orderId, HttpContext http, ClaimsPrincipal caller, FlywheelDb db, OrderEvents events, TimeProvider clock, CancellationToken ct) =>
        HandleAsync(orderId, http, caller, db, events, clock, ct);

    private static async Task<Results<Created<OrderView>, Ok<OrderView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string? routeId, HttpContext http, ClaimsPrincipal caller, FlywheelDb db, OrderEvents events, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseObjectAsync(http.Request, errors, ct);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var input = OrderInput.FromJson(new JsonInput(document.RootElement, errors));
        if (routeId is not null)
        {
            if (input.OrderId is not null && input.OrderId != routeId)
            {
                errors.Add("order_id", $"'{input.OrderId}' differs from the id in the URL ('{routeId}').");
            }
            input = input with { OrderId = routeId };
        }
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var values = OrderRules.Validate(input, settings.Currency, settings.Zone, errors);
        if (values is null || errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            Order? order;
            bool created;
            try
            {
                order = await db.Orders.Include(o => o.Lines).Include(o => o.Refunds).AsSplitQuery()
                    .FirstOrDefaultAsync(o => o.WorkspaceId == workspaceId && o.ExternalId == values.OrderId, ct);
                created = order is null;
                if (order is null)
                {
                    order = OrderRules.Create(workspaceId, values, "api", now);
                    db.Orders.Add(order);
                    db.Record(caller, now, "created", "order", order.ExternalId, after: OrderView.From(order));
                }
                else
                {
                    OrderRules.CheckUpdate(order, values, errors);
                    if (errors.Any)
                    {
                        return Problems.Validation(errors.ToDictionary());
                    }
                    var before = OrderView.From(order);
                    if (OrderRules.Apply(order, values, now))
                    {
                        db.Record(caller, now, "updated", "order", order.ExternalId, before, OrderView.From(order));
                    }
                }
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                // The order arrived meanwhile (another request, or the projection of its events): update it instead.
                db.ChangeTracker.Clear();
                continue;
            }
            try
            {
                await events.EmitAsync([order], now, ct);
            }
            catch (IngestOverloadedException ex)
            {
                return OrderEvents.Pending(http.Response, ex);
            }
            var view = OrderView.From(order);
            return created
                ? TypedResults.Created($"/api/v1/orders/{Uri.EscapeDataString(order.ExternalId)}", view)
                : TypedResults.Ok(view);
        }
    }
}
