using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Platform.Api;

/// <summary>The stored answer to a POST carrying an Idempotency-Key, replayed for a retry of the same request.</summary>
public sealed class IdempotencyRecord
{
    public required string WorkspaceId { get; init; }
    public required string Key { get; init; }
    /// <summary>SHA-256 of method, path and body: the same key with a different request is refused.</summary>
    public required string RequestHash { get; init; }
    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public byte[] Body { get; set; } = [];
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("api_idempotency");
        b.HasKey(x => new { x.WorkspaceId, x.Key });
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Key).HasMaxLength(200);
        b.Property(x => x.RequestHash).HasMaxLength(64);
        b.Property(x => x.ContentType).HasMaxLength(100);
    }
}
