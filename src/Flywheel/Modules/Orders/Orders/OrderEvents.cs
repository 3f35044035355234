using System.Text.Json;
using Flywheel.Modules.Orders.Model;
using Flywheel.Platform;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Modules.Orders.Orders;

/// <summary>
/// The lifecycle events of an order, as the orders API and the orders import emit them. Every event of an order is
/// derived from its stored state and keyed by <see cref="DedupKeys"/> on the order id (and refund id), so emitting
/// them again after a retry, or after the shop also tracked them, stores each once.
/// </summary>
public sealed class OrderEvents(IngestPipeline pipeline)
{
    public const int SubmitBatch = 10_000;

    /// <summary>Makes the events of these orders durable; called after the orders are saved.</summary>
    public async Task EmitAsync(IEnumerable<Order> orders, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var chunk in orders.SelectMany(o => For(o, now)).Chunk(SubmitBatch))
        {
            await pipeline.SubmitAsync(chunk, ct);
        }
    }

    /// <summary>
    /// The answer when the order was saved but the event writer is too far behind to take its events: re-sending the
    /// same request is safe (nothing changes twice) and emits them.
    /// </summary>
    public static ProblemHttpResult Pending(HttpResponse response, IngestOverloadedException ex)
    {
        var seconds = (int)Math.Ceiling(ex.RetryAfter.TotalSeconds);
        response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Saved; events pending.",
            detail: "The order was saved, but its events could not be queued because the event writer is behind. Send the same request again.");
    }

    public static IEnumerable<EventRecord> For(Order o, DateTimeOffset now)
    {
        yield return Event(o, EventTypes.OrderPlaced, o.PlacedAt, o.TotalMinor, null, now);
        if (o.PaidAt is { } paidAt)
        {
            yield return Event(o, EventTypes.OrderPaid, paidAt, o.TotalMinor, null, now);
        }
        if (o.Status == OrderStatus.Cancelled)
        {
            yield return Event(o, EventTypes.OrderCancelled, o.CancelledAt ?? now, o.TotalMinor, null, now);
        }
        foreach (var r in o.Refunds)
        {
            yield return Event(o, EventTypes.OrderRefunded, r.RefundedAt, r.AmountMinor, r, now);
        }
    }

    private static EventRecord Event(Order o, string type, DateTimeOffset at, long amountMinor, Refund? refund, DateTimeOffset now)
    {
        var eventId = refund is null ? $"{type}:{o.ExternalId}" : $"{type}:{o.ExternalId}:{refund.ExternalId}";
        var properties = new Dictionary<string, object?>
        {
            ["order_id"] = o.ExternalId,
            ["amount"] = Money.ToMajor(amountMinor, o.Currency),
            ["currency"] = o.Currency,
            ["coupon"] = o.Coupon,
            ["category"] = o.MainCategory,
            ["subtotal"] = Money.ToMajor(o.SubtotalMinor, o.Currency),
            ["discount"] = Money.ToMajor(o.DiscountMinor, o.Currency),
            ["shipping"] = Money.ToMajor(o.ShippingMinor, o.Currency),
            ["payment_method"] = o.PaymentMethod,
            ["lines"] = o.Lines.OrderBy(l => l.LineNo).Select(l => new Dictionary<string, object?>
            {
                ["sku"] = l.Sku,
                ["name"] = l.Name,
                ["category"] = l.Category,
                ["brand"] = l.Brand,
                ["quantity"] = l.Quantity,
                ["price"] = Money.ToMajor(l.UnitPriceMinor, o.Currency),
            }).ToList(),
        };
        if (refund is not null)
        {
            properties["refund_id"] = refund.ExternalId;
            properties["reason"] = refund.Reason;
        }
        var receivedAt = Instants.ToMilliseconds(now).UtcDateTime;
        return new EventRecord
        {
            WorkspaceId = o.WorkspaceId,
            EventId = eventId,
            DedupKey = DedupKeys.For(type, eventId, o.ExternalId, refund?.ExternalId),
            Type = type,
            CustomerId = o.CustomerExternalId,
            Timestamp = Instants.ToMilliseconds(at).UtcDateTime,
            ReceivedAt = receivedAt,
            Properties = JsonSerializer.Serialize(properties),
            Context = new EventContext { Channel = o.Channel },
        };
    }
}
