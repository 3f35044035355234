using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Promotions.Budgets;

/// <summary>
/// A campaign's 补贴预算: an amount several promotions draw on together. What they have given is counted in the hold
/// ledger under <see cref="Holds.ResourceKeys.CampaignBudget"/>, reserved at checkout and spent on payment, so the
/// campaign's promotions together never give more than the amount.
/// </summary>
public sealed class CampaignBudget
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; set; }

    /// <summary>In minor units of the workspace currency.</summary>
    public long Amount { get; set; }

    /// <summary>The share of the amount, in percent, at which the budget is shown as nearly spent.</summary>
    public int WarnAtPercent { get; set; } = CampaignBudgetInput.DefaultWarnAtPercent;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class CampaignBudgetConfiguration : IEntityTypeConfiguration<CampaignBudget>
{
    public void Configure(EntityTypeBuilder<CampaignBudget> b)
    {
        b.ToTable("promo_campaign_budgets");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.HasIndex(x => new { x.WorkspaceId, x.Name }).IsUnique();
    }
}
