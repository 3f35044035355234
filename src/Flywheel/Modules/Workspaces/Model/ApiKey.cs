using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Workspaces.Model;

/// <summary>
/// An API key. Only its SHA-256 is stored: keys carry 160 random bits, so a fast hash is as safe as a slow one
/// and keeps authentication off the hot path of ingestion.
/// </summary>
public sealed class ApiKey
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public ApiKeyKind Kind { get; init; }
    public string Name { get; set; } = "";
    /// <summary>The first characters of the key, shown in lists so people can tell keys apart.</summary>
    public required string Prefix { get; init; }
    public required string KeyHash { get; init; }
    /// <summary>Space-separated scopes; a public key has only "events:write".</summary>
    public string Scopes { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public enum ApiKeyKind
{
    /// <summary>Write-only ingestion key, safe to embed in a browser page.</summary>
    Public,
    /// <summary>Server key with scopes.</summary>
    Secret,
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("ws_api_keys");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(8);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Prefix).HasMaxLength(16);
        b.Property(x => x.KeyHash).HasMaxLength(64);
        b.HasIndex(x => x.KeyHash).IsUnique();
        b.Property(x => x.Scopes).HasMaxLength(400);
        b.HasIndex(x => x.WorkspaceId);
    }
}
