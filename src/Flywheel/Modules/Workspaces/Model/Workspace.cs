using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Workspaces.Model;

/// <summary>One shop or brand; every other row belongs to exactly one workspace.</summary>
public sealed class Workspace
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string Currency { get; set; } = "CNY";
    public string TimeZone { get; set; } = "Asia/Shanghai";
    public string Locale { get; set; } = "zh-CN";
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> b)
    {
        b.ToTable("ws_workspaces");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.TimeZone).HasMaxLength(64);
        b.Property(x => x.Locale).HasMaxLength(16);
    }
}
