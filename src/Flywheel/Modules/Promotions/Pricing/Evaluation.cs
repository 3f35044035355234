namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>One promotion's part in a priced combination.</summary>
internal sealed class AppliedPromotion(Candidate candidate, long[] lines)
{
    private readonly long _onLines = Sum(lines);

    public Candidate Candidate { get; } = candidate;
    public long[] Lines { get; } = lines;
    public long Shipping { get; set; }
    public IReadOnlyList<GiftItem> Gifts { get; init; } = [];
    public bool PriorityUpgrade { get; set; }
    public long Money => _onLines + Shipping;

    public long GiftValue
    {
        get
        {
            long value = 0;
            foreach (var gift in Gifts)
            {
                value += gift.Value * gift.Quantity;
            }
            return value;
        }
    }

    private static long Sum(long[] values)
    {
        long sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }
        return sum;
    }
}

/// <summary>The outcome of pricing one combination: invalid (with the promotion that failed and why) or a full price.</summary>
internal sealed class Evaluation
{
    public bool Valid => Failed is null;
    public Candidate? Failed { get; init; }
    public RejectionReason FailReason { get; init; }
    public Shortfall FailShortfall { get; init; }

    public long Payable { get; init; }
    public long GiftValue { get; init; }
    public long[] ItemDiscount { get; init; } = [];
    public long[] OrderDiscount { get; init; } = [];

    /// <summary>The order stage's base per line, and the goods per line after order discounts (the shipping base).</summary>
    public long[] OrderBasis { get; init; } = [];
    public long[] Goods { get; init; } = [];
    public long ShippingFee { get; init; }
    public long ShippingDiscount { get; init; }
    public bool PriorityUpgrade { get; init; }

    /// <summary>In the order applied: item promotions, then order promotions in allocation order, then shipping.</summary>
    public List<AppliedPromotion> Applied { get; init; } = [];

    public static Evaluation Fail(Candidate candidate, RejectionReason reason, Shortfall shortfall = default) =>
        new() { Failed = candidate, FailReason = reason, FailShortfall = shortfall };
}
