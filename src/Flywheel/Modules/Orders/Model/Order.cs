using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Orders.Model;

/// <summary>
/// An order, identified within its workspace by the shop's order id (<see cref="ExternalId"/>). Amounts are
/// integer minor units of <see cref="Currency"/>: Total = Subtotal − Discount + Shipping is what the customer pays.
/// </summary>
public sealed class Order
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string ExternalId { get; init; }
    public string? CustomerExternalId { get; set; }
    public OrderStatus Status { get; set; }
    public string Currency { get; set; } = "CNY";
    public long SubtotalMinor { get; set; }
    public long DiscountMinor { get; set; }
    public long ShippingMinor { get; set; }
    public long TotalMinor { get; set; }
    public long RefundedMinor { get; set; }
    public string? Coupon { get; set; }
    public string? Channel { get; set; }
    public string? PaymentMethod { get; set; }
    /// <summary>The order's main category (the category of its largest line by amount).</summary>
    public string? MainCategory { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    /// <summary>"api", "import" or "event": how the order first reached Flywheel.</summary>
    public string Source { get; set; } = "api";
    public List<OrderLine> Lines { get; set; } = [];
    public List<Refund> Refunds { get; set; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public enum OrderStatus
{
    Placed,
    Paid,
    Cancelled,
    PartiallyRefunded,
    Refunded,
}

public sealed class OrderLine
{
    public long Id { get; init; }
    public string OrderId { get; set; } = "";
    public int LineNo { get; set; }
    public required string Sku { get; set; }
    public string? Name { get; set; }
    public string? Category { get; set; }
    public string? Brand { get; set; }
    public int Quantity { get; set; }
    public long UnitPriceMinor { get; set; }
    /// <summary>The discount carried by this line (its share of item and order discounts).</summary>
    public long DiscountMinor { get; set; }
}

public sealed class Refund
{
    public long Id { get; init; }
    public string OrderId { get; set; } = "";
    /// <summary>The shop's refund id, for idempotent re-sending.</summary>
    public required string ExternalId { get; init; }
    public long AmountMinor { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset RefundedAt { get; init; }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ToTable("ord_orders");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.ExternalId).HasMaxLength(200);
        b.HasIndex(x => new { x.WorkspaceId, x.ExternalId }).IsUnique();
        b.Property(x => x.CustomerExternalId).HasMaxLength(200);
        b.HasIndex(x => new { x.WorkspaceId, x.CustomerExternalId });
        // Analytics reads orders by when they were paid or placed (a month of a year's orders, say).
        b.HasIndex(x => new { x.WorkspaceId, x.PaidAt });
        b.HasIndex(x => new { x.WorkspaceId, x.PlacedAt });
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.Coupon).HasMaxLength(100);
        b.Property(x => x.Channel).HasMaxLength(100);
        b.Property(x => x.PaymentMethod).HasMaxLength(50);
        b.Property(x => x.MainCategory).HasMaxLength(300);
        b.Property(x => x.Source).HasMaxLength(10);
        // Every change to an order sets UpdatedAt, so it doubles as the optimistic-concurrency token: of two requests
        // that read the same order (two refunds that each fit, together not), the second one's update finds the row
        // changed and fails instead of overwriting the first.
        b.Property(x => x.UpdatedAt).IsConcurrencyToken();
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Refunds).WithOne().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> b)
    {
        b.ToTable("ord_order_lines");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrderId).HasMaxLength(40);
        b.Property(x => x.Sku).HasMaxLength(100);
        b.Property(x => x.Name).HasMaxLength(300);
        b.Property(x => x.Category).HasMaxLength(300);
        b.Property(x => x.Brand).HasMaxLength(100);
    }
}

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> b)
    {
        b.ToTable("ord_refunds");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrderId).HasMaxLength(40);
        b.Property(x => x.ExternalId).HasMaxLength(200);
        b.HasIndex(x => new { x.OrderId, x.ExternalId }).IsUnique();
        b.Property(x => x.Reason).HasMaxLength(500);
    }
}
