using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Promotions.Holds;

/// <summary>
/// A named finite thing — a coupon code (capacity 1), a promotion's budget in minor units, its usage count, one
/// customer's usage, a flash sale's stock — with what is held by open reservations and what is spent for good.
/// The invariant the ledger keeps with conditional updates: <c>Held + Spent ≤ Capacity</c> whenever something is taken.
/// </summary>
public sealed class FiniteResource
{
    public required string WorkspaceId { get; init; }
    public required string Key { get; init; }
    public long Capacity { get; set; }
    public long Held { get; set; }
    public long Spent { get; set; }
}

/// <summary>A set of holds taken together, committed or released together, that lapses at <see cref="ExpiresAt"/>.</summary>
public sealed class Reservation
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }

    /// <summary>The caller's key: the same key finds the same reservation instead of taking a second one.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>What took it ("checkout"), so other uses of the ledger can tell their reservations apart.</summary>
    public required string Purpose { get; init; }
    public string? CustomerId { get; init; }
    public required string State { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The order that paid it, given at commit.</summary>
    public string? OrderId { get; set; }

    /// <summary>The caller's record of what was reserved (for checkout: the quote), as JSON.</summary>
    public string Details { get; init; } = "{}";
}

public static class ReservationState
{
    public const string Held = "held";
    public const string Committed = "committed";
    public const string Released = "released";
    public const string Expired = "expired";
}

/// <summary>One resource's part of a reservation.</summary>
public sealed class Hold
{
    public required string ReservationId { get; init; }
    public required string WorkspaceId { get; init; }
    public required string ResourceKey { get; init; }
    public long Amount { get; init; }
}

internal sealed class FiniteResourceConfiguration : IEntityTypeConfiguration<FiniteResource>
{
    public void Configure(EntityTypeBuilder<FiniteResource> b)
    {
        b.ToTable("promo_resources");
        b.HasKey(x => new { x.WorkspaceId, x.Key });
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Key).HasMaxLength(300);
    }
}

internal sealed class ReservationConfiguration : IEntityTypeConfiguration<Reservation>
{
    public void Configure(EntityTypeBuilder<Reservation> b)
    {
        b.ToTable("promo_reservations");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.IdempotencyKey).HasMaxLength(200);
        b.Property(x => x.Purpose).HasMaxLength(40);
        b.Property(x => x.CustomerId).HasMaxLength(200);
        b.Property(x => x.State).HasMaxLength(20);
        b.Property(x => x.OrderId).HasMaxLength(200);
        // Two requests with one key can never both insert: the loser finds the winner's reservation.
        b.HasIndex(x => new { x.WorkspaceId, x.IdempotencyKey }).IsUnique();
        // The sweep looks for open reservations past their expiry.
        b.HasIndex(x => new { x.State, x.ExpiresAt });
    }
}

internal sealed class HoldConfiguration : IEntityTypeConfiguration<Hold>
{
    public void Configure(EntityTypeBuilder<Hold> b)
    {
        b.ToTable("promo_holds");
        b.HasKey(x => new { x.ReservationId, x.ResourceKey });
        b.Property(x => x.ReservationId).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.ResourceKey).HasMaxLength(300);
        // Who holds a resource: a group's members are the reservations holding its seats.
        b.HasIndex(x => new { x.WorkspaceId, x.ResourceKey });
    }
}
