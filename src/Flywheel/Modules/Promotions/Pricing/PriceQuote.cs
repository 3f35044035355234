namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// A priced cart. Amounts are minor units of <see cref="Currency"/>. The identity that always holds:
/// Payable = Σ line payables + shipping payable, and every line's payable = list − presale inflation − item
/// discounts − order discounts − deposit paid, never below zero.
/// </summary>
public sealed record PriceQuote
{
    public required Currency Currency { get; init; }
    public required IReadOnlyList<PricedLine> Lines { get; init; }
    public required ShippingQuote Shipping { get; init; }
    public required IReadOnlyList<AwardedGift> Gifts { get; init; }

    /// <summary>Every promotion and coupon considered: applied ones first in the order they were applied, then the rest by id.</summary>
    public required IReadOnlyList<PromotionOutcome> Promotions { get; init; }

    /// <summary>Thresholds the cart nearly reaches (再买¥12享满200减20), by promotion id.</summary>
    public required IReadOnlyList<NearMiss> NearMisses { get; init; }

    /// <summary>The combination applied, and the best ones it beat (up to two), best first.</summary>
    public required CombinationSummary Chosen { get; init; }
    public required IReadOnlyList<CombinationSummary> RunnerUps { get; init; }

    /// <summary>False when the search stopped at its bound before trying every valid combination (see docs/promotions.md).</summary>
    public required bool SearchComplete { get; init; }
    public required int CombinationsEvaluated { get; init; }

    public long ListTotal => Lines.Sum(l => l.ListAmount);
    public long ItemDiscount => Lines.Sum(l => l.ItemDiscount);
    public long OrderDiscount => Lines.Sum(l => l.OrderDiscount);

    /// <summary>The goods after every discount, deposits included.</summary>
    public long GoodsTotal => Lines.Sum(l => l.Amount);
    public long DepositsPaid => Lines.Sum(l => l.DepositPaid);
    public long Payable => Lines.Sum(l => l.Payable) + Shipping.Payable;
}

public sealed record PricedLine(string LineId, int Quantity, long UnitPrice)
{
    public long ListAmount => UnitPrice * Quantity;

    /// <summary>The seller of the line, so that a cross-store discount's share per store can be shown.</summary>
    public string Store { get; init; } = "";

    /// <summary>定金膨胀: what the deposit counts for beyond what was paid, (deposit value − deposit) × quantity.</summary>
    public long PresaleInflation { get; init; }
    public long ItemDiscount { get; init; }
    public long OrderDiscount { get; init; }
    public long DepositPaid { get; init; }

    /// <summary>What the goods of this line cost after every discount, deposit included.</summary>
    public long Amount => ListAmount - PresaleInflation - ItemDiscount - OrderDiscount;

    /// <summary>What is still to pay for this line now.</summary>
    public long Payable => Amount - DepositPaid;

    /// <summary>The line's discounts (inflation, item, order) carried by each unit; see <see cref="UnitSplit"/>.</summary>
    public required IReadOnlyList<long> UnitDiscounts { get; init; }

    /// <summary>What each unit cost (unit price − its discounts): the refund for returning that unit.</summary>
    public IReadOnlyList<long> UnitAmounts => UnitDiscounts.Select(d => UnitPrice - d).ToArray();

    /// <summary>Each promotion's part of this line's discount, in the order applied.</summary>
    public required IReadOnlyList<LineAdjustment> Adjustments { get; init; }
}

public sealed record LineAdjustment(string PromotionId, PromotionClass Class, long Amount);

public sealed record ShippingQuote(string? OptionCode, long Fee, long Discount)
{
    /// <summary>True when a reward upgraded the shipment to the priority option at the fee of the one chosen.</summary>
    public bool PriorityUpgrade { get; init; }
    public long Payable => Fee - Discount;
}

public sealed record AwardedGift(string PromotionId, GiftItem Item);

public sealed record PromotionOutcome(string PromotionId, string Name, bool Applied)
{
    public string? CouponCode { get; init; }

    /// <summary>Money it took off: line discounts plus any shipping discount.</summary>
    public long Amount { get; init; }
    public long ShippingAmount { get; init; }
    public IReadOnlyList<string> LineIds { get; init; } = [];
    public IReadOnlyList<GiftItem> Gifts { get; init; } = [];

    public RejectionReason? Reason { get; init; }

    /// <summary>Promotions in the chosen combination that kept this one out, for the conflict reasons.</summary>
    public IReadOnlyList<string> BlockedBy { get; init; } = [];

    /// <summary>A sentence (English) for logs and the console's explanation panel.</summary>
    public string Explanation { get; init; } = "";
}

/// <summary>A combination of promotion ids (sorted) and what the customer would pay with it.</summary>
public sealed record CombinationSummary(IReadOnlyList<string> PromotionIds, long Payable, long GiftValue);

/// <summary>
/// What is missing to reach a threshold: an amount or a number of units (one of them), with sentences in zh-CN and en.
/// </summary>
public sealed record NearMiss(string PromotionId, long? MissingAmount, int? MissingQuantity, string TextZh, string TextEn);

public enum RejectionReason
{
    InvalidDefinition,
    NotStarted,
    Expired,
    ChannelNotMatched,
    SegmentNotMatched,
    TierNotMatched,
    LifecycleNotMatched,
    NotFirstOrder,
    LimitReached,
    BudgetInsufficient,

    /// <summary>What is left of a campaign budget it shares does not cover it with the others drawing on it here.</summary>
    CampaignBudgetInsufficient,
    NoEligibleItems,
    ThresholdNotReached,
    QuantityNotReached,

    /// <summary>It would take nothing off (the shipping is already free, a special price above the price paid).</summary>
    NoBenefit,
    NotCombinable,
    ExclusiveGroup,

    /// <summary>It combines with the chosen promotions, but adding it would not lower the total (or would raise it).</summary>
    NotBestForCustomer,

    /// <summary>The search reached its bound before it could be tried with the chosen promotions.</summary>
    SearchBoundReached,
}
