using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Promotions.Model;

/// <summary>
/// A promotion as operators manage it: the pricing definition (stored as JSON in minor units, see
/// <see cref="Definitions.DefinitionJson"/>), its status, and the finite things checkout reserves against it.
/// </summary>
public sealed class StoredPromotion : Management.IManagedOffer
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; set; }
    public required string Status { get; set; }
    public required string Definition { get; set; }

    /// <summary>补贴预算 in minor units: the discounts it may give in total; null for no budget.</summary>
    public long? Budget { get; set; }

    /// <summary>The campaign budget it draws on as well, shared with other promotions; null for none.</summary>
    public string? CampaignBudgetId { get; set; }
    public int? PerCustomerLimit { get; set; }
    public int? TotalLimit { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Raised by every change of the definition or name: checkout keeps parsed definitions by (id, version), and two
    /// concurrent replacements cannot both win (it is the row's concurrency token).
    /// </summary>
    public int Version { get; set; } = 1;
}

/// <summary>The life of a promotion: only an active one is priced at checkout.</summary>
public static class PromotionStatus
{
    public const string Draft = "draft";
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Ended = "ended";

    public static readonly string[] All = [Draft, Active, Paused, Ended];
}

internal sealed class StoredPromotionConfiguration : IEntityTypeConfiguration<StoredPromotion>
{
    public void Configure(EntityTypeBuilder<StoredPromotion> b)
    {
        b.ToTable("promo_promotions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.CampaignBudgetId).HasMaxLength(40);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => new { x.WorkspaceId, x.Status });
    }
}
