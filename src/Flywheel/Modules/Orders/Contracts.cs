using Flywheel.Modules.Orders.Model;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Orders.Contracts;

/// <summary>A paid order as other modules (analytics, segments) see it: when it was paid, by whom, for how much.</summary>
public sealed record PaidOrder
{
    public required string OrderId { get; init; }
    /// <summary>The shop's customer id; null for an order that reached Flywheel without one (from anonymous events).</summary>
    public string? CustomerId { get; init; }
    public DateTimeOffset PaidAt { get; init; }
    /// <summary>What the customer paid (before refunds), in minor units of <see cref="Currency"/>.</summary>
    public long TotalMinor { get; init; }
    public long RefundedMinor { get; init; }
    public required string Currency { get; init; }
    /// <summary>True when refunds add up to the whole total.</summary>
    public bool FullyRefunded { get; init; }
}

/// <summary>Queries over orders that other modules may compose further (LINQ, so that they run on every state store).</summary>
public static class OrderQueries
{
    /// <summary>
    /// Orders of a workspace that were paid, with the payment time in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>).
    /// Paid means paid and not cancelled: partially and fully refunded orders were paid and are included; refunds do
    /// not undo a payment.
    /// </summary>
    public static IQueryable<PaidOrder> PaidBetween(FlywheelDb db, string workspaceId, DateTimeOffset fromUtc, DateTimeOffset toUtc) =>
        db.Orders
            .Where(o => o.WorkspaceId == workspaceId && o.PaidAt != null && o.PaidAt >= fromUtc && o.PaidAt < toUtc
                && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.PartiallyRefunded || o.Status == OrderStatus.Refunded))
            .Select(o => new PaidOrder
            {
                OrderId = o.ExternalId,
                CustomerId = o.CustomerExternalId,
                PaidAt = o.PaidAt!.Value,
                TotalMinor = o.TotalMinor,
                RefundedMinor = o.RefundedMinor,
                Currency = o.Currency,
                FullyRefunded = o.Status == OrderStatus.Refunded,
            });
}
