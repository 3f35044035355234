using System.Text.Json;
using Flywheel.Modules.Orders.Model;
using Flywheel.Platform.Cluster;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Orders.Orders;

/// <summary>
/// Follows the event store by sequence number and keeps orders in the state store for order events that came straight
/// through ingestion: an order_placed or order_paid for an unknown order creates it (source "event"); order_paid,
/// order_cancelled and order_refunded move a known one on. Events the orders API emitted find their order already in
/// that state and change nothing. The checkpoint is saved with the rows, so each event is applied once across restarts.
/// </summary>
public sealed class OrderProjection(
    StateStore state, IEventStore store, IngestPipeline pipeline, ClusterNode node, TimeProvider clock, ILogger<OrderProjection> logger)
    : EventProjection(state, store, pipeline, node, logger)
{
    private static readonly EventSelection OrderEvents =
        new(Types: [EventTypes.OrderPlaced, EventTypes.OrderPaid, EventTypes.OrderCancelled, EventTypes.OrderRefunded]);

    protected override string Name => Contracts.OrderHistories.Projection;

    protected override EventSelection Selection => OrderEvents;

    protected override async Task ApplyAsync(FlywheelDb db, IReadOnlyList<EventRecord> batch, CancellationToken ct)
    {
        var orderEvents = batch.Select(Parse).OfType<OrderEvent>().ToList();
        var orders = new Dictionary<(string, string), Order>();
        foreach (var group in orderEvents.GroupBy(e => e.Event.WorkspaceId))
        {
            var ids = group.Select(e => e.OrderId).Distinct(StringComparer.Ordinal).ToList();
            foreach (var chunk in ids.Chunk(1000))
            {
                // Most order events introduce their order; load the full graph only of those already stored.
                var known = await db.Orders.Where(o => o.WorkspaceId == group.Key && chunk.Contains(o.ExternalId))
                    .Select(o => o.ExternalId).ToListAsync(ct);
                if (known.Count == 0)
                {
                    continue;
                }
                var found = await db.Orders.Include(o => o.Lines).Include(o => o.Refunds).AsSplitQuery()
                    .Where(o => o.WorkspaceId == group.Key && known.Contains(o.ExternalId)).ToListAsync(ct);
                foreach (var o in found)
                {
                    orders[(o.WorkspaceId, o.ExternalId)] = o;
                }
            }
        }
        var now = clock.GetUtcNow();
        foreach (var e in orderEvents)
        {
            orders.TryGetValue((e.Event.WorkspaceId, e.OrderId), out var order);
            var created = Apply(e, order, now);
            if (created is not null)
            {
                db.Orders.Add(created);
                orders[(created.WorkspaceId, created.ExternalId)] = created;
            }
        }
    }

    /// <summary>Changes <paramref name="order"/> for the event, or returns a new order when the event introduces one.</summary>
    private Order? Apply(OrderEvent e, Order? order, DateTimeOffset now)
    {
        var at = new DateTimeOffset(e.Event.Timestamp, TimeSpan.Zero);
        switch (e.Event.Type)
        {
            case EventTypes.OrderPlaced or EventTypes.OrderPaid when order is null:
                return Create(e, at, now);
            case EventTypes.OrderPaid when order!.Status == OrderStatus.Placed:
                order.Status = OrderStatus.Paid;
                order.PaidAt = at;
                order.UpdatedAt = now;
                return null;
            case EventTypes.OrderCancelled when order is { Status: OrderStatus.Placed }:
                order.Status = OrderStatus.Cancelled;
                order.CancelledAt = at;
                order.UpdatedAt = now;
                return null;
            case EventTypes.OrderRefunded when order is not null:
                Refund(e, order, at, now);
                return null;
            case EventTypes.OrderRefunded or EventTypes.OrderCancelled when order is null:
                logger.LogWarning("{Type} event {EventId} names order {OrderId}, which is not known; it is not projected",
                    e.Event.Type, e.Event.EventId, e.OrderId);
                return null;
            default:
                return null;
        }
    }

    private void Refund(OrderEvent e, Order order, DateTimeOffset at, DateTimeOffset now)
    {
        var refundId = e.RefundId ?? e.Event.EventId;
        if (order.Refunds.Any(r => r.ExternalId == refundId))
        {
            return;
        }
        if (order.Status is not (OrderStatus.Paid or OrderStatus.PartiallyRefunded) || e.Currency != order.Currency
            || e.AmountMinor <= 0 || order.RefundedMinor + e.AmountMinor > order.TotalMinor)
        {
            logger.LogWarning("Refund {RefundId} of order {OrderId} does not fit the order (status, currency or amount); it is not projected",
                refundId, order.ExternalId);
            return;
        }
        order.Refunds.Add(new Refund { ExternalId = refundId, AmountMinor = e.AmountMinor, Reason = e.Reason, RefundedAt = at });
        order.RefundedMinor += e.AmountMinor;
        order.Status = OrderRules.RefundStatus(order.TotalMinor, order.RefundedMinor);
        order.UpdatedAt = now;
    }

    private static Order Create(OrderEvent e, DateTimeOffset at, DateTimeOffset now)
    {
        var lines = e.Lines;
        var shipping = e.ShippingMinor ?? 0;
        // Keep Total = Subtotal − Discount + Shipping whatever the event left out.
        var subtotal = lines.Count > 0 ? lines.Sum(l => l.AmountMinor) : e.AmountMinor - shipping + (e.DiscountMinor ?? 0);
        var discount = subtotal + shipping - e.AmountMinor;
        if (discount < 0)
        {
            subtotal -= discount;
            discount = 0;
        }
        var paid = e.Event.Type == EventTypes.OrderPaid;
        return new Order
        {
            Id = Ids.New("ord"),
            WorkspaceId = e.Event.WorkspaceId,
            ExternalId = e.OrderId,
            CustomerExternalId = e.Event.CustomerId,
            Status = paid ? OrderStatus.Paid : OrderStatus.Placed,
            Currency = e.Currency,
            SubtotalMinor = subtotal,
            DiscountMinor = discount,
            ShippingMinor = shipping,
            TotalMinor = e.AmountMinor,
            Coupon = JsonText.Clip(e.Coupon, 100),
            Channel = JsonText.Clip(e.Event.Context.Channel, 100),
            PaymentMethod = JsonText.Clip(e.PaymentMethod, 50),
            MainCategory = JsonText.Clip(e.Category ?? OrderRules.MainCategory(lines), 300),
            PlacedAt = at,
            PaidAt = paid ? at : null,
            Source = "event",
            Lines = lines.Select((l, i) => new OrderLine
            {
                LineNo = i + 1,
                Sku = JsonText.Clip(l.Sku, 100)!,
                Name = JsonText.Clip(l.Name, 300),
                Category = JsonText.Clip(l.Category, 300),
                Brand = JsonText.Clip(l.Brand, 100),
                Quantity = l.Quantity,
                UnitPriceMinor = l.UnitPriceMinor,
            }).ToList(),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private sealed record OrderEvent(
        EventRecord Event, string OrderId, string? RefundId, string Currency, long AmountMinor, long? DiscountMinor, long? ShippingMinor,
        string? Coupon, string? Category, string? PaymentMethod, string? Reason, IReadOnlyList<LineValues> Lines);

    /// <summary>Reads what the projection needs; null (and a log line) for an event it cannot use.</summary>
    private OrderEvent? Parse(EventRecord e)
    {
        using var doc = JsonDocument.Parse(e.Properties);
        var p = doc.RootElement;
        var orderId = JsonText.Property(p, "order_id");
        var currency = JsonText.Property(p, "currency") ?? "CNY";
        if (orderId is null || Minor(p, "amount", currency) is not { } amount)
        {
            logger.LogWarning("{Type} event {EventId} has no usable order_id or amount; it is not projected", e.Type, e.EventId);
            return null;
        }
        var lines = new List<LineValues>();
        if (p.TryGetProperty("lines", out var ls) && ls.ValueKind == JsonValueKind.Array)
        {
            foreach (var l in ls.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.Object))
            {
                var quantity = l.TryGetProperty("quantity", out var q) && q.TryGetInt32(out var n) && n > 0 ? n : 1;
                lines.Add(new LineValues(JsonText.Property(l, "sku") ?? "", JsonText.Property(l, "name"),
                    JsonText.Property(l, "category"), JsonText.Property(l, "brand"),
                    quantity, Minor(l, "price", currency) ?? 0, 0));
            }
        }
        return new OrderEvent(e, orderId, JsonText.Property(p, "refund_id"), currency, amount, Minor(p, "discount", currency),
            Minor(p, "shipping", currency), JsonText.Property(p, "coupon"), JsonText.Property(p, "category"),
            JsonText.Property(p, "payment_method"), JsonText.Clip(JsonText.Property(p, "reason"), 500), lines);
    }

    private static long? Minor(JsonElement e, string name, string currency) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) && d >= 0
            && Money.TryToMinor(d, currency, out var minor)
            ? minor
            : null;
}
