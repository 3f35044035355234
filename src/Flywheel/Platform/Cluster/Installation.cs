using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Platform.Cluster;

/// <summary>
/// The one row that names an installation: every node started on the same state store shares its <see cref="Id"/>,
/// which namespaces what the nodes share in the hot counters (locks, leases, dedup claims), so that installations
/// sharing one Redis never meet.
/// </summary>
public sealed class Installation
{
    /// <summary>Always <see cref="TheRow"/>: the key makes a second row impossible, also when two nodes start at once.</summary>
    public int Row { get; init; } = TheRow;

    public required string Id { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public const int TheRow = 1;
}

internal sealed class InstallationConfiguration : IEntityTypeConfiguration<Installation>
{
    public void Configure(EntityTypeBuilder<Installation> b)
    {
        b.ToTable("sys_installation");
        b.HasKey(x => x.Row);
        b.Property(x => x.Row).ValueGeneratedNever();
        b.Property(x => x.Id).HasMaxLength(40).IsRequired();
    }
}
