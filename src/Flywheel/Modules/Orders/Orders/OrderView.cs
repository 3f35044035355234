using Flywheel.Modules.Orders.Model;
using Flywheel.Platform;

namespace Flywheel.Modules.Orders.Orders;

/// <summary>An order as the API returns it; money in major units of its currency.</summary>
public sealed record OrderView(
    string OrderId, string? CustomerId, string Status, string Currency, decimal Subtotal, decimal Discount, decimal Shipping,
    decimal Total, decimal Refunded, string? Coupon, string? Channel, string? PaymentMethod, string? Category,
    DateTimeOffset PlacedAt, DateTimeOffset? PaidAt, DateTimeOffset? CancelledAt, string Source,
    IReadOnlyList<OrderView.LineView> Lines, IReadOnlyList<OrderView.RefundView> Refunds, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>A line: unit price, the discount on the whole line, and amount = quantity × price − discount.</summary>
    public sealed record LineView(string Sku, string? Name, string? Category, string? Brand, int Quantity, decimal Price, decimal Discount, decimal Amount);

    public sealed record RefundView(string RefundId, decimal Amount, string? Reason, DateTimeOffset RefundedAt);

    public static OrderView From(Order o)
    {
        decimal M(long minor) => Money.ToMajor(minor, o.Currency);
        return new OrderView(
            o.ExternalId, o.CustomerExternalId, OrderRules.StatusName(o.Status), o.Currency, M(o.SubtotalMinor), M(o.DiscountMinor),
            M(o.ShippingMinor), M(o.TotalMinor), M(o.RefundedMinor), o.Coupon, o.Channel, o.PaymentMethod, o.MainCategory,
            o.PlacedAt, o.PaidAt, o.CancelledAt, o.Source,
            o.Lines.OrderBy(l => l.LineNo).Select(l => new LineView(
                l.Sku, l.Name, l.Category, l.Brand, l.Quantity, M(l.UnitPriceMinor), M(l.DiscountMinor),
                M(l.Quantity * l.UnitPriceMinor - l.DiscountMinor))).ToList(),
            o.Refunds.OrderBy(r => r.RefundedAt).ThenBy(r => r.Id)
                .Select(r => new RefundView(r.ExternalId, M(r.AmountMinor), r.Reason, r.RefundedAt)).ToList(),
            o.CreatedAt, o.UpdatedAt);
    }
}
