using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Catalog.Model;

/// <summary>A product, identified within its workspace by SKU. Money in minor units of the workspace currency.</summary>
public sealed class Product
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Sku { get; init; }
    public required string Name { get; set; }
    /// <summary>Category path from the root, joined by " > " (e.g. "beauty > skincare > serum").</summary>
    public string CategoryPath { get; set; } = "";
    public string? Brand { get; set; }
    public long PriceMinor { get; set; }
    public long? CostMinor { get; set; }
    public int Stock { get; set; }
    /// <summary>Tags joined by ",".</summary>
    public string Tags { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> b)
    {
        b.ToTable("cat_products");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Sku).HasMaxLength(100);
        b.HasIndex(x => new { x.WorkspaceId, x.Sku }).IsUnique();
        b.Property(x => x.Name).HasMaxLength(300);
        b.Property(x => x.CategoryPath).HasMaxLength(300);
        b.Property(x => x.Brand).HasMaxLength(100);
        b.Property(x => x.Tags).HasMaxLength(1000);
    }
}
