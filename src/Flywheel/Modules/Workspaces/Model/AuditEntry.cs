using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Workspaces.Model;

/// <summary>One change made by an operator or a key: who, what, before and after (JSON), when.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public required string WorkspaceId { get; init; }
    /// <summary>"user:&lt;id&gt;", "key:&lt;id&gt;" or "system".</summary>
    public required string Actor { get; init; }
    /// <summary>"created", "updated" or "deleted", or a verb such as "login" or "import".</summary>
    public required string Action { get; init; }
    public required string EntityType { get; init; }
    public required string EntityId { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
    public DateTimeOffset At { get; init; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("ws_audit_log");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Actor).HasMaxLength(80);
        b.Property(x => x.Action).HasMaxLength(40);
        b.Property(x => x.EntityType).HasMaxLength(60);
        b.Property(x => x.EntityId).HasMaxLength(200);
        b.HasIndex(x => new { x.WorkspaceId, x.Id });
    }
}
