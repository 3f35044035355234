using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Promotions.Model;

/// <summary>
/// A promotion's name and definition as they were at one <see cref="StoredPromotion.Version"/>, kept for good (also
/// after the promotion is deleted): a checkout records the versions it priced against, and replaying its pricing
/// reads them back.
/// </summary>
public sealed class PromotionVersion
{
    public required string WorkspaceId { get; init; }
    public required string PromotionId { get; init; }
    public required int Version { get; init; }
    public required string Name { get; init; }
    public required string Definition { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public static PromotionVersion Of(StoredPromotion p, DateTimeOffset now) => new()
    {
        WorkspaceId = p.WorkspaceId,
        PromotionId = p.Id,
        Version = p.Version,
        Name = p.Name,
        Definition = p.Definition,
        CreatedAt = now,
    };
}

internal sealed class PromotionVersionConfiguration : IEntityTypeConfiguration<PromotionVersion>
{
    public void Configure(EntityTypeBuilder<PromotionVersion> b)
    {
        b.ToTable("promo_promotion_versions");
        b.HasKey(x => new { x.PromotionId, x.Version });
        b.Property(x => x.PromotionId).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
    }
}
