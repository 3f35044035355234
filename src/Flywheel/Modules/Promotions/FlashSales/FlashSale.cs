using System.Text.Json;
using Flywheel.Modules.Promotions.Pricing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// 秒杀: a session from <see cref="StartsAt"/> to <see cref="EndsAt"/> selling a limited stock of some SKUs at a flash
/// price, at most <see cref="PerCustomerLimit"/> units of each SKU per customer. What has been taken of each stock lives
/// in the hold ledger (docs/flash-sales.md), not here: this row is only what the operator set.
/// </summary>
public sealed class FlashSale
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset StartsAt { get; set; }

    /// <summary>End of the session, exclusive: attempts from then on are refused.</summary>
    public DateTimeOffset EndsAt { get; set; }

    /// <summary>Units of one SKU one customer may hold and buy in this session.</summary>
    public int PerCustomerLimit { get; set; }

    /// <summary>How long a unit won by an attempt is held for its buyer to pay before it returns to the stock.</summary>
    public int PaymentSeconds { get; set; }

    /// <summary>The classes the flash price combines with at checkout, comma-separated ("order,shipping").</summary>
    public string CombinesWith { get; set; } = "";

    /// <summary>The SKUs on sale as JSON: <see cref="FlashSaleItem"/>s, prices in minor units.</summary>
    public string Items { get; set; } = "[]";

    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Raised by every change, so that two concurrent edits cannot both win and caches notice a change.</summary>
    public int Version { get; set; } = 1;

    public IReadOnlyList<FlashSaleItem> ItemList() => JsonSerializer.Deserialize<FlashSaleItem[]>(Items) ?? [];

    public IReadOnlyList<PromotionClass> CombinesWithClasses() => Classes(CombinesWith);

    /// <summary>The classes of a stored <see cref="CombinesWith"/> list.</summary>
    public static IReadOnlyList<PromotionClass> Classes(string combinesWith) =>
        combinesWith.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => Definitions.DefinitionJson.Classes[c]).ToArray();

    public bool IsOpenAt(DateTimeOffset now) => Status == FlashSaleStatus.Scheduled && StartsAt <= now && now < EndsAt;
}

/// <summary>One SKU of a session: its flash price in minor units and the units on sale.</summary>
public sealed record FlashSaleItem(string Sku, long Price, long Stock);

/// <summary>A session is scheduled (it opens and closes by its times) or cancelled (no attempt is taken any more).</summary>
public static class FlashSaleStatus
{
    public const string Scheduled = "scheduled";
    public const string Cancelled = "cancelled";
}

internal sealed class FlashSaleConfiguration : IEntityTypeConfiguration<FlashSale>
{
    public void Configure(EntityTypeBuilder<FlashSale> b)
    {
        b.ToTable("promo_flash_sales");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.CombinesWith).HasMaxLength(100);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.Version).IsConcurrencyToken();
        // The gate keeper looks for sessions that have not ended.
        b.HasIndex(x => new { x.Status, x.EndsAt });
        b.HasIndex(x => new { x.WorkspaceId, x.StartsAt });
    }
}
