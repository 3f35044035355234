namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// 定金膨胀: a deposit of <see cref="DepositPerUnit"/> was paid and counts as <see cref="DepositValuePerUnit"/>
/// against the unit price. The balance due is unit price − deposit value − discounts; discounts never eat into the
/// deposit already paid.
/// </summary>
public sealed record PresaleTerms(long DepositPerUnit, long DepositValuePerUnit)
{
    /// <summary>Which amount of the line counts towards thresholds and percentage bases of order promotions.</summary>
    public PresaleThresholdBasis ThresholdBasis { get; init; } = PresaleThresholdBasis.Balance;
}

public enum PresaleThresholdBasis
{
    /// <summary>Only the balance (unit price − deposit value, after item discounts) counts.</summary>
    Balance,

    /// <summary>The price after inflation counts, deposit included (unit price − (deposit value − deposit)).</summary>
    FullPrice,
}
