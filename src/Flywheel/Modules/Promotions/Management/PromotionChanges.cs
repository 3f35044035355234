using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Promotions.Management;

/// <summary>
/// A workspace's promotion change counter: raised in the same transaction as every change to a promotion (create,
/// replace, status, delete), so that a node holding the live promotions in memory learns from one tiny read per quote
/// whether any node changed them since it loaded them (Checkout/LiveCatalog).
/// </summary>
public sealed class PromotionChangeCounter
{
    public required string WorkspaceId { get; init; }
    public long Changes { get; set; }
}

public static class PromotionChanges
{
    /// <summary>
    /// Saves the context's pending changes and raises the workspace's counter, both or neither. An upsert, so that two
    /// writers never lose an increment and the first change of a workspace needs no row made beforehand.
    /// </summary>
    public static async Task SaveAsync(FlywheelDb db, string workspaceId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO promo_change_counters ("WorkspaceId", "Changes") VALUES ({workspaceId}, 1) ON CONFLICT ("WorkspaceId") DO UPDATE SET "Changes" = promo_change_counters."Changes" + 1""", ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The workspace's counter: 0 while nothing was ever changed.</summary>
    public static Task<long> ReadAsync(FlywheelDb db, string workspaceId, CancellationToken ct) =>
        db.Set<PromotionChangeCounter>().AsNoTracking().Where(c => c.WorkspaceId == workspaceId).Select(c => c.Changes).FirstOrDefaultAsync(ct);
}

internal sealed class PromotionChangeCounterConfiguration : IEntityTypeConfiguration<PromotionChangeCounter>
{
    public void Configure(EntityTypeBuilder<PromotionChangeCounter> b)
    {
        b.ToTable("promo_change_counters");
        b.HasKey(x => x.WorkspaceId);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
    }
}
