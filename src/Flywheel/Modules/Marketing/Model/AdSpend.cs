using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Marketing.Model;

/// <summary>
/// What one channel (optionally one campaign and creative of it) cost and delivered on one local day of the workspace:
/// spend in minor units of the workspace currency, impressions and clicks. A row is identified by its date, channel,
/// campaign and creative; "" stands for no campaign or creative, so that the key stays unique on every store.
/// </summary>
public sealed class AdSpend
{
    public required string WorkspaceId { get; init; }
    public DateOnly Date { get; init; }
    /// <summary>The UTM source visits carry for this channel, the name attribution credits.</summary>
    public required string Channel { get; init; }
    public string Campaign { get; init; } = "";
    public string Creative { get; init; } = "";
    public long SpendMinor { get; set; }
    public long Impressions { get; set; }
    public long Clicks { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A workspace's marketing settings: the gross margin that turns attributed revenue into gross profit for ROI.</summary>
public sealed class MarketingSettings
{
    public required string WorkspaceId { get; init; }
    /// <summary>
    /// Gross profit / revenue in basis points (3500 = 0.35), above 0 and at most 10000; null until set, and ROI is unknown
    /// until then. Whole basis points keep the value exact on every store.
    /// </summary>
    public int? GrossMarginBasisPoints { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class AdSpendConfiguration : IEntityTypeConfiguration<AdSpend>
{
    public void Configure(EntityTypeBuilder<AdSpend> b)
    {
        b.ToTable("mkt_ad_spend");
        b.HasKey(x => new { x.WorkspaceId, x.Date, x.Channel, x.Campaign, x.Creative });
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Channel).HasMaxLength(SpendLimits.Name);
        b.Property(x => x.Campaign).HasMaxLength(SpendLimits.Name);
        b.Property(x => x.Creative).HasMaxLength(SpendLimits.Name);
    }
}

internal sealed class MarketingSettingsConfiguration : IEntityTypeConfiguration<MarketingSettings>
{
    public void Configure(EntityTypeBuilder<MarketingSettings> b)
    {
        b.ToTable("mkt_settings");
        b.HasKey(x => x.WorkspaceId);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
    }
}

/// <summary>Lengths the store and the checks share.</summary>
public static class SpendLimits
{
    public const int Name = 200;
}
