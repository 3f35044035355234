using System.Security.Claims;
using Flywheel.Modules.Orders.Model;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Orders.Orders;

/// <summary>
/// POST /api/v1/orders/{order_id}/refunds {refund_id, amount, reason, refunded_at}: idempotent by refund_id; refunds
/// together never exceed the paid total; the order becomes partially_refunded or refunded and an order_refunded event
/// is emitted.
/// </summary>
public static class AddRefund
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/orders/{orderId}/refunds", HandleAsync).RequireAuthorization(Scopes.OrdersWrite).WithIdempotency()
            .WithName("AddRefund").WithSummary("Refund part or all of a paid order");

    public static async Task<Results<Created<OrderView>, Ok<OrderView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string orderId, HttpContext http, ClaimsPrincipal caller, FlywheelDb db, OrderEvents events, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseObjectAsync(http.Request, errors, ct);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var j = new JsonInput(document.RootElement, errors);
        var workspaceId = caller.WorkspaceId();
        var order = await db.Orders.Include(o => o.Lines).Include(o => o.Refunds).AsSplitQuery()
            .FirstOrDefaultAsync(o => o.WorkspaceId == workspaceId && o.ExternalId == orderId, ct);
        if (order is null)
        {
            return Problems.NotFound($"There is no order with id '{orderId}'.");
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var refundId = Fields.Required(j.Text("refund_id"), "refund_id", 200, errors);
        var amountInput = j.Number("amount");
        if (amountInput is null && !errors.Has("amount"))
        {
            errors.Add("amount", "is required.");
        }
        var amount = Fields.Money(amountInput, order.Currency, "amount", errors);
        if (amount == 0)
        {
            errors.Add("amount", "must be more than zero.");
        }
        var reason = Fields.Optional(j.Text("reason"), "reason", 500, errors);
        var refundedAt = now;
        if (j.Text("refunded_at") is { } text)
        {
            if (Instants.TryParse(text, settings.Zone, out var t))
            {
                refundedAt = t;
            }
            else
            {
                errors.Add("refunded_at", $"'{text}' is not an ISO 8601 date-time.");
            }
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var existing = order.Refunds.FirstOrDefault(r => r.ExternalId == refundId);
        if (existing is not null)
        {
            return existing.AmountMinor == amount
                ? TypedResults.Ok(OrderView.From(order))
                : Problems.Conflict($"Refund '{refundId}' of order '{orderId}' was already recorded with amount " +
                    $"{Money.Format(existing.AmountMinor, order.Currency)}; a refund id names one refund.");
        }
        if (order.Status is not (OrderStatus.Paid or OrderStatus.PartiallyRefunded or OrderStatus.Refunded))
        {
            return Problems.Conflict($"Order '{orderId}' is {OrderRules.StatusName(order.Status)}; only paid orders can be refunded.");
        }
        if (order.RefundedMinor + amount > order.TotalMinor)
        {
            return Problems.Validation("amount",
                $"{Money.Format(amount!.Value, order.Currency)} would bring refunds to {Money.Format(order.RefundedMinor + amount.Value, order.Currency)}, " +
                $"more than the paid total of {Money.Format(order.TotalMinor, order.Currency)} " +
                $"({Money.Format(order.RefundedMinor, order.Currency)} already refunded).");
        }
        var refund = new Refund { ExternalId = refundId!, AmountMinor = amount!.Value, Reason = reason, RefundedAt = Instants.ToMilliseconds(refundedAt) };
        var before = OrderView.From(order);
        order.Refunds.Add(refund);
        order.RefundedMinor += refund.AmountMinor;
        order.Status = OrderRules.RefundStatus(order.TotalMinor, order.RefundedMinor);
        order.UpdatedAt = now;
        db.Record(caller, now, "updated", "order", order.ExternalId, before, OrderView.From(order));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another change to this order (or the same refund id) was saved between our read and our write; nothing
            // of this request was saved, and sending it again re-checks it against the order as it now is.
            return Problems.Conflict($"Order '{orderId}' changed while this refund was being recorded; nothing was saved, send it again.");
        }
        try
        {
            await events.EmitAsync([order], now, ct);
        }
        catch (IngestOverloadedException ex)
        {
            return OrderEvents.Pending(http.Response, ex);
        }
        return TypedResults.Created($"/api/v1/orders/{Uri.EscapeDataString(order.ExternalId)}", OrderView.From(order));
    }
}
