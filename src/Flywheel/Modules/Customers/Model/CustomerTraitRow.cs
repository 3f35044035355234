using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Customers.Model;

/// <summary>
/// A customer's computed traits as last worked out from their orders (<see cref="Traits.CustomerTraits"/>), stored so that
/// segment conditions over millions of customers are one indexed read, not a recomputation from orders. Traits that
/// move with the clock alone (days since the last order, the lifecycle stage) are not stored: they follow from the
/// stored instants and the moment of evaluation. A row holds nothing but what the orders give, so recomputing it from
/// the same orders writes the same row.
/// </summary>
public sealed class CustomerTraitRow
{
    public required string WorkspaceId { get; init; }
    public required string CustomerExternalId { get; init; }
    /// <summary>Orders placed, paid or not, in any currency.</summary>
    public int OrdersCount { get; set; }
    public int PaidOrders { get; set; }
    public long TotalSpendMinor { get; set; }
    public long? AovMinor { get; set; }
    public int RefundCount { get; set; }
    public DateTimeOffset? FirstOrderAt { get; set; }
    public DateTimeOffset? LastOrderAt { get; set; }
    /// <summary>The paid order before the last one: tells a won-back customer from an active one.</summary>
    public DateTimeOffset? PreviousOrderAt { get; set; }
    public double? AvgDaysBetweenOrders { get; set; }
    public double? CouponUseRate { get; set; }
    public string? FavouriteCategory { get; set; }
    public string? AcquisitionChannel { get; set; }
}

internal sealed class CustomerTraitRowConfiguration : IEntityTypeConfiguration<CustomerTraitRow>
{
    public void Configure(EntityTypeBuilder<CustomerTraitRow> b)
    {
        b.ToTable("cdp_customer_traits");
        b.HasKey(x => new { x.WorkspaceId, x.CustomerExternalId });
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.CustomerExternalId).HasMaxLength(200);
        b.Property(x => x.FavouriteCategory).HasMaxLength(200);
        b.Property(x => x.AcquisitionChannel).HasMaxLength(100);
    }
}
