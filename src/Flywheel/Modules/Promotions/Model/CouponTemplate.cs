using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Promotions.Model;

/// <summary>
/// A kind of coupon (优惠券模板): what each coupon gives (a pricing definition stored as JSON in minor units), when an
/// issued coupon is valid, who may claim it and how many may be issued.
/// </summary>
public sealed class CouponTemplate
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; set; }
    public required string Status { get; set; }
    public required string Definition { get; set; }

    /// <summary>A fixed validity window [ValidFrom, ValidUntil); or, with <see cref="ValidDaysAfterClaim"/>, none.</summary>
    public DateTimeOffset? ValidFrom { get; set; }
    public DateTimeOffset? ValidUntil { get; set; }

    /// <summary>Each coupon is valid for this many days from its claim.</summary>
    public int? ValidDaysAfterClaim { get; set; }

    /// <summary>How many coupons of this template one customer may claim.</summary>
    public int? PerCustomerLimit { get; set; }

    /// <summary>How many coupons may be issued in total, generated codes and claims together.</summary>
    public int? TotalLimit { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Templates are active (claimable and redeemable), paused (neither) or ended.</summary>
public static class TemplateStatus
{
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Ended = "ended";

    public static readonly string[] All = [Active, Paused, Ended];
}

/// <summary>One coupon: a code, generated in bulk (unclaimed) or made for a customer's claim.</summary>
public sealed class IssuedCoupon
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string TemplateId { get; init; }
    public required string Code { get; init; }

    /// <summary>The customer who holds it; null for a generated code nobody has claimed yet (anyone may enter it).</summary>
    public string? CustomerId { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>
    /// When it may be used: the template's window, or from the claim for the template's days. Null bounds are open; an
    /// unclaimed code of a days-after-claim template has none until it is claimed.
    /// </summary>
    public DateTimeOffset? ValidFrom { get; set; }
    public DateTimeOffset? ValidUntil { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class CouponTemplateConfiguration : IEntityTypeConfiguration<CouponTemplate>
{
    public void Configure(EntityTypeBuilder<CouponTemplate> b)
    {
        b.ToTable("promo_coupon_templates");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Status).HasMaxLength(20);
        b.HasIndex(x => x.WorkspaceId);
    }
}

internal sealed class IssuedCouponConfiguration : IEntityTypeConfiguration<IssuedCoupon>
{
    public void Configure(EntityTypeBuilder<IssuedCoupon> b)
    {
        b.ToTable("promo_coupons");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.TemplateId).HasMaxLength(40);
        b.Property(x => x.Code).HasMaxLength(40);
        b.Property(x => x.CustomerId).HasMaxLength(200);
        // A code names one coupon: the unique index is what makes bulk generation collision-free.
        b.HasIndex(x => new { x.WorkspaceId, x.Code }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.CustomerId });
        b.HasIndex(x => new { x.TemplateId, x.Code });
    }
}
