using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Coupons;

/// <summary>
/// GET /api/v1/coupons?template_id=&amp;customer_id=: issued coupons in id order, a page at a time, each with its state
/// (unclaimed, claimed, locked by an open checkout, redeemed with its order, expired).
/// </summary>
public static class ListCoupons
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/coupons", ListAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ListCoupons").WithSummary("Issued coupons of a template or a customer, with their state");

    public static async Task<IResult> ListAsync(
        [FromQuery(Name = "template_id")] string? templateId, [FromQuery(Name = "customer_id")] string? customerId, string? cursor, int? limit, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        if (Cursor.CheckPaging(limit, cursor, out var take, out string? after) is { } problem)
        {
            return problem;
        }
        var workspaceId = caller.WorkspaceId();
        var query = db.Coupons.AsNoTracking().Where(c => c.WorkspaceId == workspaceId);
        if (!string.IsNullOrEmpty(templateId))
        {
            query = query.Where(c => c.TemplateId == templateId);
        }
        if (!string.IsNullOrEmpty(customerId))
        {
            query = query.Where(c => c.CustomerId == customerId);
        }
        if (after is not null)
        {
            // Ids are random, not ordered by time: the cursor is the last id, in id order.
            query = query.Where(c => c.Id.CompareTo(after) > 0);
        }
        var fetched = await query.OrderBy(c => c.Id).Take(take + 1).ToListAsync(ct);
        var views = await CouponViews.CouponsAsync(db, fetched, clock.GetUtcNow(), ct);
        return TypedResults.Ok(Cursor.PageOf(views, take, v => v.Id));
    }
}
