using System.Security.Claims;
using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Replay;

/// <summary>
/// GET /api/v1/checkout/{id}/replay and GET /api/v1/checkout/replay?order_id=: a past checkout priced again exactly as it
/// was, with whether the answer equals the recorded one (docs/promotions.md, "Replay").
/// </summary>
public static class ReplayApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/checkout/{id}/replay", ByReservationAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ReplayCheckout").WithSummary("Price a past checkout again as it was priced, from its record");
        group.MapGet("/checkout/replay", ByOrderAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ReplayOrderPricing").WithSummary("Price the checkout that an order paid again as it was priced");
    }

    public static async Task<IResult> ByReservationAsync(string id, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var reservation = await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.Id == id, ct);
        return reservation is null
            ? Problems.NotFound($"There is no reservation '{id}' in this workspace.")
            : await ReplayAsync(db, reservation, ct);
    }

    public static async Task<IResult> ByOrderAsync([FromQuery(Name = "order_id")] string? orderId, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(orderId))
        {
            return Problems.Validation("order_id", "is required: the shop's id of an order paid through checkout.");
        }
        var workspaceId = caller.WorkspaceId();
        var reservation = await db.Reservations.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.Purpose == CheckoutService.Purpose && r.State == ReservationState.Committed && r.OrderId == orderId)
            .OrderByDescending(r => r.ClosedAt).FirstOrDefaultAsync(ct);
        return reservation is null
            ? Problems.NotFound($"No checkout committed with order id '{orderId}' in this workspace; only orders paid through the checkout API can be replayed.")
            : await ReplayAsync(db, reservation, ct);
    }

    private static async Task<IResult> ReplayAsync(FlywheelDb db, Reservation reservation, CancellationToken ct) =>
        await PricingReplay.ReplayAsync(db, reservation, ct) is { } replayed
            ? TypedResults.Ok(replayed.View())
            : Problems.Conflict($"Reservation {reservation.Id} kept no record of its pricing (it was taken before records were kept, or not by checkout), so it cannot be replayed.");
}
