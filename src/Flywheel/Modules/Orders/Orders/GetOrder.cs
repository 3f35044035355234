using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Orders.Orders;

/// <summary>GET /api/v1/orders/{order_id}: the order with its lines and refunds.</summary>
public static class GetOrder
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/orders/{orderId}", HandleAsync).RequireAuthorization(Scopes.OrdersRead)
            .WithName("GetOrder").WithSummary("An order by order id");

    public static async Task<Results<Ok<OrderView>, ProblemHttpResult>> HandleAsync(
        string orderId, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).Include(o => o.Refunds).AsSplitQuery()
            .FirstOrDefaultAsync(o => o.WorkspaceId == workspaceId && o.ExternalId == orderId, ct);
        return order is null
            ? Problems.NotFound($"There is no order with id '{orderId}'.")
            : TypedResults.Ok(OrderView.From(order));
    }
}
