using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Promotions.Bargains;

/// <summary>
/// 砍价: a SKU whose price friends cut, from <see cref="StartPrice"/> down to exactly <see cref="FloorPrice"/> after
/// <see cref="Helpers"/> helps, each cut between <see cref="MinCut"/> and <see cref="MaxCut"/> (docs/bargains.md).
/// </summary>
public sealed class BargainCampaign : Management.IManagedOffer
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; set; }

    /// <summary>One of <see cref="Model.PromotionStatus"/>: bargains are started and helped only while active.</summary>
    public required string Status { get; set; }
    public required string Sku { get; set; }
    public long StartPrice { get; set; }
    public long FloorPrice { get; set; }
    public int Helpers { get; set; }
    public long MinCut { get; set; }
    public long MaxCut { get; set; }
    public int TimeLimitHours { get; set; }
    public DateTimeOffset? StartsAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }

    /// <summary>The promotion classes the bargained price combines with ("order,shipping"); empty: it stands alone.</summary>
    public string CombinesWith { get; set; } = "";

    /// <summary>Helps one device may give in the whole campaign (against farming).</summary>
    public int PerDeviceLimit { get; set; }

    /// <summary>Helps one IP address may give in the whole campaign.</summary>
    public int PerIpLimit { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}

/// <summary>
/// One customer's bargain. The campaign's terms are copied when it starts, so editing the campaign changes only
/// bargains started afterwards.
/// </summary>
public sealed class Bargain
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string CampaignId { get; init; }
    public required string CustomerId { get; init; }
    public required string State { get; set; }
    public long StartPrice { get; init; }
    public long FloorPrice { get; init; }
    public int Helpers { get; init; }
    public long MinCut { get; init; }
    public long MaxCut { get; init; }

    /// <summary>What the helps have cut so far; the price is <see cref="StartPrice"/> − this.</summary>
    public long CutTotal { get; set; }
    public int Helps { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? SucceededAt { get; set; }
}

/// <summary>One friend's cut.</summary>
public sealed class BargainHelp
{
    public required string BargainId { get; init; }
    public required string HelperId { get; init; }
    public required string WorkspaceId { get; init; }

    /// <summary>1 for the first help, up to the bargain's number of helpers.</summary>
    public int Sequence { get; init; }
    public long Cut { get; init; }
    public required string DeviceId { get; init; }
    public required string Ip { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Open while helps are still needed; succeeded once the price reached the floor. Expiry is read from the time.</summary>
public static class BargainState
{
    public const string Open = "open";
    public const string Succeeded = "succeeded";

    /// <summary>Shown, never stored: an open bargain past its expiry.</summary>
    public const string Expired = "expired";

    public static readonly string[] All = [Open, Succeeded, Expired];
}

internal sealed class BargainCampaignConfiguration : IEntityTypeConfiguration<BargainCampaign>
{
    public void Configure(EntityTypeBuilder<BargainCampaign> b)
    {
        b.ToTable("promo_bargain_campaigns");
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

internal sealed class BargainConfiguration : IEntityTypeConfiguration<Bargain>
{
    public void Configure(EntityTypeBuilder<Bargain> b)
    {
        b.ToTable("promo_bargains");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.CampaignId).HasMaxLength(40);
        b.Property(x => x.CustomerId).HasMaxLength(200);
        b.Property(x => x.State).HasMaxLength(20);
        // One bargain per customer and campaign: a second start finds the first.
        b.HasIndex(x => new { x.WorkspaceId, x.CampaignId, x.CustomerId }).IsUnique();
    }
}

internal sealed class BargainHelpConfiguration : IEntityTypeConfiguration<BargainHelp>
{
    public void Configure(EntityTypeBuilder<BargainHelp> b)
    {
        b.ToTable("promo_bargain_helps");
        b.HasKey(x => new { x.BargainId, x.HelperId });
        b.Property(x => x.BargainId).HasMaxLength(40);
        b.Property(x => x.HelperId).HasMaxLength(200);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.DeviceId).HasMaxLength(200);
        b.Property(x => x.Ip).HasMaxLength(64);
    }
}
