using System.Security.Claims;
using Flywheel.Modules.Orders.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Orders.Orders;

/// <summary>GET /api/v1/orders?customer_id=&amp;status=&amp;cursor=&amp;limit=: orders by order id.</summary>
public static class ListOrders
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/orders", HandleAsync).RequireAuthorization(Scopes.OrdersRead)
            .WithName("ListOrders").WithSummary("Orders, by order id, a page at a time");

    public static async Task<Results<Ok<Page<OrderView>>, ValidationProblem>> HandleAsync(
        [FromQuery(Name = "customer_id")] string? customerId, string? status, string? cursor, int? limit,
        ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        if (Cursor.CheckPaging(limit, cursor, out var take, out string? after) is { } problem)
        {
            return problem;
        }
        var workspaceId = caller.WorkspaceId();
        var query = db.Orders.AsNoTracking().Where(o => o.WorkspaceId == workspaceId);
        if (!string.IsNullOrWhiteSpace(customerId))
        {
            query = query.Where(o => o.CustomerExternalId == customerId);
        }
        if (!string.IsNullOrWhiteSpace(status))
        {
            var wanted = Enum.GetValues<OrderStatus>().Where(s => OrderRules.StatusName(s) == status).ToList();
            if (wanted.Count == 0)
            {
                return Problems.Validation("status", $"'{status}' is not one of placed, paid, cancelled, partially_refunded, refunded.");
            }
            var s = wanted[0];
            query = query.Where(o => o.Status == s);
        }
        if (after is not null)
        {
            query = query.Where(o => o.ExternalId.CompareTo(after) > 0);
        }
        var fetched = await query.OrderBy(o => o.ExternalId).Take(take + 1)
            .Include(o => o.Lines).Include(o => o.Refunds).AsSplitQuery().ToListAsync(ct);
        var page = Cursor.PageOf(fetched, take, o => o.ExternalId);
        return TypedResults.Ok(new Page<OrderView>(page.Items.Select(OrderView.From).ToList(), page.NextCursor));
    }
}
