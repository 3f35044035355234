using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Promotions.Presales;

/// <summary>
/// 定金膨胀: SKUs sold ahead at <see cref="Price"/>, reserved by a deposit <see cref="Deposit"/> paid in the deposit
/// window that counts as <see cref="DepositValue"/> against the price when the balance is paid in the balance window.
/// Amounts in minor units; 0 &lt; deposit ≤ deposit value ≤ price. Lifecycle: docs/presales.md.
/// </summary>
public sealed class PresaleCampaign
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; set; }

    /// <summary>The SKUs on presale, comma-joined (SKUs contain no commas: the API refuses them).</summary>
    public required string Skus { get; set; }
    public long Price { get; set; }
    public long Deposit { get; set; }
    public long DepositValue { get; set; }
    public DateTimeOffset DepositStartsAt { get; set; }
    public DateTimeOffset DepositEndsAt { get; set; }
    public DateTimeOffset BalanceStartsAt { get; set; }
    public DateTimeOffset BalanceEndsAt { get; set; }

    /// <summary>What becomes of a deposit whose balance was not paid in the window: <see cref="UnpaidDeposit"/>.</summary>
    public required string Unpaid { get; set; }

    /// <summary>What order promotions' thresholds count on the balance line: "balance" or "full_price".</summary>
    public required string ThresholdBasis { get; set; }

    /// <summary>Units that deposits may reserve in total; null for no limit.</summary>
    public long? Stock { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Active, or cancelled: then no deposit or balance is taken, and paid deposits are refunded.</summary>
    public string Status { get; set; } = PresaleStatus.Active;

    public IReadOnlyList<string> SkuList => Skus.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

public static class PresaleStatus
{
    public const string Active = "active";
    public const string Cancelled = "cancelled";
}

public static class UnpaidDeposit
{
    /// <summary>The deposit is kept by the shop (the usual 定金不退).</summary>
    public const string Forfeit = "forfeit";

    /// <summary>The deposit is to be paid back.</summary>
    public const string Refund = "refund";

    public static readonly string[] All = [Forfeit, Refund];
}

/// <summary>One customer's deposit on a presale: for one SKU and a quantity, paid once.</summary>
public sealed class PresaleDeposit
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string PresaleId { get; init; }
    public required string CustomerId { get; init; }
    public required string Sku { get; init; }
    public int Quantity { get; init; }

    /// <summary>What was paid: the deposit × quantity, in minor units.</summary>
    public long Amount { get; init; }

    /// <summary>The shop's reference for the deposit's payment, if it gave one.</summary>
    public string? PaymentId { get; init; }
    public required string State { get; set; }
    public DateTimeOffset PaidAt { get; init; }

    /// <summary>When the balance was paid, or the deposit forfeited or refunded.</summary>
    public DateTimeOffset? SettledAt { get; set; }

    /// <summary>The order that paid the balance.</summary>
    public string? OrderId { get; set; }
}

/// <summary>A deposit's life: paid, then exactly one of balance paid, forfeited or refunded.</summary>
public static class DepositState
{
    public const string Paid = "paid";
    public const string BalancePaid = "balance_paid";
    public const string Forfeited = "forfeited";
    public const string Refunded = "refunded";

    public static readonly string[] All = [Paid, BalancePaid, Forfeited, Refunded];
}

internal sealed class PresaleCampaignConfiguration : IEntityTypeConfiguration<PresaleCampaign>
{
    public void Configure(EntityTypeBuilder<PresaleCampaign> b)
    {
        b.ToTable("promo_presales");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Skus).HasMaxLength(4000);
        b.Property(x => x.Unpaid).HasMaxLength(20);
        b.Property(x => x.ThresholdBasis).HasMaxLength(20);
        b.Property(x => x.Status).HasMaxLength(20).HasDefaultValue(PresaleStatus.Active);
        b.Ignore(x => x.SkuList);
        b.HasIndex(x => new { x.WorkspaceId, x.CreatedAt });
    }
}

internal sealed class PresaleDepositConfiguration : IEntityTypeConfiguration<PresaleDeposit>
{
    public void Configure(EntityTypeBuilder<PresaleDeposit> b)
    {
        b.ToTable("promo_presale_deposits");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.PresaleId).HasMaxLength(40);
        b.Property(x => x.CustomerId).HasMaxLength(200);
        b.Property(x => x.Sku).HasMaxLength(200);
        b.Property(x => x.PaymentId).HasMaxLength(200);
        b.Property(x => x.State).HasMaxLength(20);
        b.Property(x => x.OrderId).HasMaxLength(200);
        // One deposit per customer and presale: a second payment attempt finds the first instead of recording another.
        b.HasIndex(x => new { x.PresaleId, x.CustomerId }).IsUnique();
        // Checkout looks up a customer's open deposits; the settlement sweep looks for open ones.
        b.HasIndex(x => new { x.WorkspaceId, x.CustomerId, x.State });
        b.HasIndex(x => new { x.State, x.PresaleId });
    }
}
