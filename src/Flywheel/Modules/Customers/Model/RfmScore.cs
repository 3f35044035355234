using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Customers.Model;

/// <summary>A buying customer's RFM scores and group as of the workspace's last scoring.</summary>
public sealed class RfmScore
{
    public required string WorkspaceId { get; init; }
    public required string CustomerExternalId { get; init; }
    public int R { get; set; }
    public int F { get; set; }
    public int M { get; set; }
    public required string Group { get; set; }
    /// <summary>When the group last changed (or the customer was first scored).</summary>
    public DateTimeOffset GroupSince { get; set; }
    public DateTimeOffset ScoredAt { get; set; }
}

/// <summary>A change of a customer's RFM group, recorded by the scoring that saw it.</summary>
public sealed class RfmTransition
{
    public long Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string CustomerExternalId { get; init; }
    /// <summary>Null when the customer was scored for the first time.</summary>
    public string? FromGroup { get; init; }
    public required string ToGroup { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>When a workspace was last scored, so that scoring runs once a day whichever node runs it.</summary>
public sealed class RfmRun
{
    public required string WorkspaceId { get; init; }
    public DateTimeOffset ScoredAt { get; set; }
    public int Customers { get; set; }
}

internal sealed class RfmScoreConfiguration : IEntityTypeConfiguration<RfmScore>
{
    public void Configure(EntityTypeBuilder<RfmScore> b)
    {
        b.ToTable("cdp_rfm_scores");
        b.HasKey(x => new { x.WorkspaceId, x.CustomerExternalId });
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.CustomerExternalId).HasMaxLength(200);
        b.Property(x => x.Group).HasMaxLength(40);
        b.HasIndex(x => new { x.WorkspaceId, x.Group });
    }
}

internal sealed class RfmTransitionConfiguration : IEntityTypeConfiguration<RfmTransition>
{
    public void Configure(EntityTypeBuilder<RfmTransition> b)
    {
        b.ToTable("cdp_rfm_transitions");
        b.HasKey(x => x.Id);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.CustomerExternalId).HasMaxLength(200);
        b.Property(x => x.FromGroup).HasMaxLength(40);
        b.Property(x => x.ToGroup).HasMaxLength(40);
        b.HasIndex(x => new { x.WorkspaceId, x.CustomerExternalId, x.At });
    }
}

internal sealed class RfmRunConfiguration : IEntityTypeConfiguration<RfmRun>
{
    public void Configure(EntityTypeBuilder<RfmRun> b)
    {
        b.ToTable("cdp_rfm_runs");
        b.HasKey(x => x.WorkspaceId);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
    }
}
