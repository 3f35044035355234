using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Platform.State;

/// <summary>
/// How far a projection of the event store into the state store has got (the event sequence number it has
/// applied). Written in the same transaction as the projected rows, so a projection is applied exactly once.
/// </summary>
public sealed class ProjectionCheckpoint
{
    public required string Name { get; init; }
    public long Position { get; set; }
}

internal sealed class ProjectionCheckpointConfiguration : IEntityTypeConfiguration<ProjectionCheckpoint>
{
    public void Configure(EntityTypeBuilder<ProjectionCheckpoint> b)
    {
        b.ToTable("sys_projection_checkpoints");
        b.HasKey(x => x.Name);
        b.Property(x => x.Name).HasMaxLength(80);
    }
}
