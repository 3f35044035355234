using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Promotions.GroupBuys;

/// <summary>
/// 拼团: a SKU sold at <see cref="GroupPrice"/> to groups of <see cref="GroupSize"/> customers who fill their group
/// within <see cref="TimeLimitHours"/> of its opening (docs/group-buys.md).
/// </summary>
public sealed class GroupBuyCampaign : Management.IManagedOffer
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; set; }

    /// <summary>One of <see cref="Model.PromotionStatus"/>: groups are opened and joined only while active.</summary>
    public required string Status { get; set; }
    public required string Sku { get; set; }

    /// <summary>The unit price of the SKU for a group's members, in minor units.</summary>
    public long GroupPrice { get; set; }
    public int GroupSize { get; set; }
    public int TimeLimitHours { get; set; }
    public DateTimeOffset? StartsAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }

    /// <summary>The promotion classes the group price combines with ("order,shipping"); empty: it stands alone.</summary>
    public string CombinesWith { get; set; } = "";

    /// <summary>
    /// 模拟成团: at its deadline a group with at least this many real members succeeds, its empty seats filled
    /// virtually; null: a group that is not full at its deadline fails.
    /// </summary>
    public int? VirtualCompletionMinMembers { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Concurrency token: of two replacements of one version, the second is refused.</summary>
    public int Version { get; set; } = 1;
}

/// <summary>
/// One group. Its size and price are copied from the campaign when it opens, so editing the campaign changes only
/// groups opened afterwards. The members are the ledger's reservations holding its seats.
/// </summary>
public sealed class GroupBuyGroup
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string CampaignId { get; init; }

    /// <summary>The customer who opened it (团长).</summary>
    public required string LeaderId { get; init; }
    public required string State { get; set; }
    public int Size { get; init; }
    public long Price { get; init; }

    /// <summary>Seats filled by virtual completion when the group succeeded at its deadline.</summary>
    public int VirtualMembers { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? ClosedAt { get; set; }
}

public static class GroupState
{
    public const string Open = "open";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public static readonly string[] All = [Open, Succeeded, Failed];
}

internal sealed class GroupBuyCampaignConfiguration : IEntityTypeConfiguration<GroupBuyCampaign>
{
    public void Configure(EntityTypeBuilder<GroupBuyCampaign> b)
    {
        b.ToTable("promo_group_buys");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.Sku).HasMaxLength(200);
        b.Property(x => x.CombinesWith).HasMaxLength(40);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => new { x.WorkspaceId, x.Status });
    }
}

internal sealed class GroupBuyGroupConfiguration : IEntityTypeConfiguration<GroupBuyGroup>
{
    public void Configure(EntityTypeBuilder<GroupBuyGroup> b)
    {
        b.ToTable("promo_group_buy_groups");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.CampaignId).HasMaxLength(40);
        b.Property(x => x.LeaderId).HasMaxLength(200);
        b.Property(x => x.State).HasMaxLength(20);
        b.HasIndex(x => new { x.WorkspaceId, x.CampaignId, x.CreatedAt });
        // The sweep looks for open groups past their deadline.
        b.HasIndex(x => new { x.State, x.ExpiresAt });
    }
}
