using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Segments.Model;

/// <summary>A named, saved condition whose members are kept current as events arrive and time passes.</summary>
public sealed class Segment
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    /// <summary>Unique in the workspace; how <c>in segment 'key'</c> and the API name it.</summary>
    public required string Key { get; init; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>The condition in canonical text form.</summary>
    public required string Condition { get; set; }
    /// <summary>Raised by every change of the condition; membership computed for an older version is discarded.</summary>
    public int Version { get; set; }
    public int MemberCount { get; set; }
    /// <summary>When membership was last computed for everyone (on creation and on every change of the condition).</summary>
    public DateTimeOffset? EvaluatedAt { get; set; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A customer in a segment, since when.</summary>
public sealed class SegmentMember
{
    public required string SegmentId { get; init; }
    public required string WorkspaceId { get; init; }
    public required string CustomerExternalId { get; init; }
    public DateTimeOffset Since { get; init; }
}

/// <summary>A customer entering or leaving a segment: the membership history.</summary>
public sealed class SegmentChange
{
    public long Id { get; init; }
    public required string SegmentId { get; init; }
    public required string WorkspaceId { get; init; }
    public required string CustomerExternalId { get; init; }
    public bool Entered { get; init; }
    /// <summary>When the condition started or stopped holding (a timer's due time, or when the change was seen).</summary>
    public DateTimeOffset At { get; init; }
}

/// <summary>
/// When a customer's membership of a segment may next change with no new event (an event leaving an "in last N days"
/// window, a lifecycle stage running out): a durable timer that re-evaluates that customer then.
/// </summary>
public sealed class SegmentTimer
{
    public required string SegmentId { get; init; }
    public required string WorkspaceId { get; init; }
    public required string CustomerExternalId { get; init; }
    public DateTimeOffset DueAt { get; set; }
}

internal sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> b)
    {
        b.ToTable("seg_segments");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Key).HasMaxLength(100);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(1000);
        b.Property(x => x.CreatedBy).HasMaxLength(200);
        b.HasIndex(x => new { x.WorkspaceId, x.Key }).IsUnique();
    }
}

internal sealed class SegmentMemberConfiguration : IEntityTypeConfiguration<SegmentMember>
{
    public void Configure(EntityTypeBuilder<SegmentMember> b)
    {
        b.ToTable("seg_members");
        b.HasKey(x => new { x.SegmentId, x.CustomerExternalId });
        b.Property(x => x.SegmentId).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.CustomerExternalId).HasMaxLength(200);
        b.HasIndex(x => new { x.WorkspaceId, x.CustomerExternalId });
    }
}

internal sealed class SegmentChangeConfiguration : IEntityTypeConfiguration<SegmentChange>
{
    public void Configure(EntityTypeBuilder<SegmentChange> b)
    {
        b.ToTable("seg_changes");
        b.HasKey(x => x.Id);
        b.Property(x => x.SegmentId).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.CustomerExternalId).HasMaxLength(200);
        b.HasIndex(x => new { x.SegmentId, x.At });
        b.HasIndex(x => new { x.WorkspaceId, x.CustomerExternalId, x.At });
    }
}

internal sealed class SegmentTimerConfiguration : IEntityTypeConfiguration<SegmentTimer>
{
    public void Configure(EntityTypeBuilder<SegmentTimer> b)
    {
        b.ToTable("seg_timers");
        b.HasKey(x => new { x.SegmentId, x.CustomerExternalId });
        b.Property(x => x.SegmentId).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.CustomerExternalId).HasMaxLength(200);
        b.HasIndex(x => x.DueAt);
    }
}
