namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// Prices a cart under one combination of promotions, in the documented order: presale inflation, item promotions
/// one after another (priority, then id), order promotions all on the same post-item base (平行满减) and allocated
/// store-scoped first, then shipping on the goods after every discount (shipping promotions, then tier rewards' free
/// shipping).
/// A combination is valid only when every promotion in it applies and gives something, and none exceeds its budget:
/// a combination with a passenger that gives nothing is the same price as the one without it, which is tried too.
/// </summary>
internal static class CombinationEvaluator
{
    /// <summary>
    /// The promotion that tips a shared budget over what is left, counting in the order of application; null when
    /// every shared budget covers what its promotions take together.
    /// </summary>
    private static Candidate? OverSharedBudget(List<AppliedPromotion> applied)
    {
        Dictionary<string, long>? taken = null;
        foreach (var entry in applied)
        {
            if (entry.Candidate.Promotion.SharedBudget is not { } shared)
            {
                continue;
            }
            taken ??= new Dictionary<string, long>(StringComparer.Ordinal);
            var total = taken.GetValueOrDefault(shared.Id) + entry.Money;
            if (total > shared.Remaining)
            {
                return entry.Candidate;
            }
            taken[shared.Id] = total;
        }
        return null;
    }

    public static Evaluation Evaluate(PricingContext context, IReadOnlyList<Candidate> combination, bool checkBudgets = true)
    {
        var n = context.Lines.Length;
        var ranked = combination.ToArray();
        Array.Sort(ranked, CompareApplication);
        var current = (long[])context.StartAmounts.Clone();
        var itemDiscount = new long[n];
        var applied = new List<AppliedPromotion>(combination.Count);

        foreach (var candidate in OfClass(ranked, PromotionClass.Item))
        {
            var (discounts, shortfall) = ItemRewards.Apply(candidate, context, current);
            if (!shortfall.IsReached)
            {
                return Evaluation.Fail(candidate, NotReached(shortfall), shortfall);
            }
            for (var i = 0; i < n; i++)
            {
                current[i] -= discounts[i];
                itemDiscount[i] += discounts[i];
            }
            applied.Add(new AppliedPromotion(candidate, discounts));
        }

        var basis = new long[n];
        var room = new long[n];
        for (var i = 0; i < n; i++)
        {
            basis[i] = Math.Max(0, current[i] - (context.ThresholdOnBalance[i] ? context.Deposit[i] : 0));
            room[i] = Math.Max(0, current[i] - context.Deposit[i]);
        }
        var orderDiscount = new long[n];
        var grants = new List<(Candidate Candidate, OrderGrant Grant)>(ranked.Length);
        foreach (var candidate in OfClass(ranked, PromotionClass.Order))
        {
            var (spend, quantity) = SpendInScope(candidate, basis, context.Quantities);
            var shortfall = Thresholds.Check(candidate.Promotion, spend, quantity);
            if (!shortfall.IsReached)
            {
                return Evaluation.Fail(candidate, NotReached(shortfall), shortfall);
            }
            grants.Add((candidate, OrderRewards.Grant(candidate.Promotion, spend, quantity)));
        }
        foreach (var (candidate, grant) in grants)
        {
            var weights = Masked(basis, candidate.InScope);
            var caps = Masked(room, candidate.InScope);
            var shares = candidate.Promotion.CrossStore
                ? CrossStoreAllocation.Share(grant.Amount, context.Lines, weights, caps)
                : Allocation.ProRata(grant.Amount, weights, caps);
            for (var i = 0; i < n; i++)
            {
                room[i] -= shares[i];
                orderDiscount[i] += shares[i];
            }
            applied.Add(new AppliedPromotion(candidate, shares) { Gifts = grant.Gifts });
        }
        var orderEntries = applied.Count;

        var goods = new long[n];
        for (var i = 0; i < n; i++)
        {
            goods[i] = current[i] - orderDiscount[i];
        }
        // Shipping promotions take from the fee before tier rewards' free shipping does. The total is the same either
        // way; this way round, adding a promotion never lets one already applied take more (a tier that drops below
        // its free-shipping level cannot hand a shipping coupon a larger fee), which the search's bound relies on.
        var fee = context.Shipping?.Price ?? 0;
        var feeLeft = fee;
        var shippingEntries = new List<AppliedPromotion>();
        foreach (var candidate in OfClass(ranked, PromotionClass.Shipping))
        {
            var (spend, quantity) = SpendInScope(candidate, goods, context.Quantities);
            var shortfall = Thresholds.Check(candidate.Promotion, spend, quantity);
            if (!shortfall.IsReached)
            {
                return Evaluation.Fail(candidate, NotReached(shortfall), shortfall);
            }
            var cap = candidate.Promotion.Reward is FreeShipping { Cap: { } c } ? c : long.MaxValue;
            var off = Math.Min(feeLeft, cap);
            feeLeft -= off;
            shippingEntries.Add(new AppliedPromotion(candidate, new long[n]) { Shipping = off });
        }
        var upgrade = false;
        for (var g = 0; g < grants.Count; g++)
        {
            var grant = grants[g].Grant;
            var entry = applied[orderEntries - grants.Count + g];
            if (grant.FreeShipping)
            {
                entry.Shipping = feeLeft;
                feeLeft = 0;
            }
            if (grant.PriorityShipping && context.PriorityOption is not null && context.Shipping is { Priority: false })
            {
                entry.PriorityUpgrade = true;
                upgrade = true;
            }
        }
        applied.AddRange(shippingEntries);

        foreach (var entry in applied)
        {
            var money = entry.Money;
            if (money == 0 && entry.Gifts.Count == 0 && !entry.PriorityUpgrade)
            {
                return Evaluation.Fail(entry.Candidate, RejectionReason.NoBenefit);
            }
            if (checkBudgets && entry.Candidate.Promotion.BudgetRemaining is { } budget && money > budget)
            {
                return Evaluation.Fail(entry.Candidate, RejectionReason.BudgetInsufficient);
            }
        }
        if (checkBudgets && OverSharedBudget(applied) is { } over)
        {
            return Evaluation.Fail(over, RejectionReason.CampaignBudgetInsufficient);
        }

        var payable = feeLeft;
        for (var i = 0; i < n; i++)
        {
            payable += goods[i] - context.Deposit[i];
        }
        return new Evaluation
        {
            Payable = payable,
            GiftValue = applied.Sum(a => a.GiftValue),
            ItemDiscount = itemDiscount,
            OrderDiscount = orderDiscount,
            OrderBasis = basis,
            Goods = goods,
            ShippingFee = fee,
            ShippingDiscount = fee - feeLeft,
            PriorityUpgrade = upgrade,
            Applied = applied,
        };
    }

    /// <summary>
    /// The order promotions are applied in, within each class: order promotions of a single store before wider ones
    /// (a platform's 跨店满减 takes what the store's own discount left), then higher priority first, then id.
    /// Numbered once per pricing into <see cref="Candidate.Rank"/>.
    /// </summary>
    public static IEnumerable<Candidate> ApplicationOrder(IEnumerable<Candidate> candidates) =>
        candidates
            .OrderBy(c => c.Promotion.Class == PromotionClass.Order && c.Promotion.Scope.IsSingleStore ? 0 : 1)
            .ThenByDescending(c => c.Promotion.Priority)
            .ThenBy(c => c.Id, StringComparer.Ordinal);

    /// <summary>By rank when ranked; candidates not numbered (rank 0 alike) by the rule itself.</summary>
    private static int CompareApplication(Candidate a, Candidate b)
    {
        if (a.Rank != b.Rank)
        {
            return a.Rank.CompareTo(b.Rank);
        }
        var byStore = (b.Promotion.Class == PromotionClass.Order && b.Promotion.Scope.IsSingleStore)
            .CompareTo(a.Promotion.Class == PromotionClass.Order && a.Promotion.Scope.IsSingleStore);
        if (byStore != 0)
        {
            return byStore;
        }
        var byPriority = b.Promotion.Priority.CompareTo(a.Promotion.Priority);
        return byPriority != 0 ? byPriority : string.CompareOrdinal(a.Id, b.Id);
    }

    private static IEnumerable<Candidate> OfClass(Candidate[] ranked, PromotionClass @class)
    {
        foreach (var candidate in ranked)
        {
            if (candidate.Promotion.Class == @class)
            {
                yield return candidate;
            }
        }
    }

    public static RejectionReason NotReached(Shortfall shortfall) =>
        shortfall.Amount > 0 ? RejectionReason.ThresholdNotReached : RejectionReason.QuantityNotReached;

    public static (long Spend, int Quantity) SpendInScope(Candidate candidate, long[] amounts, int[] quantities)
    {
        long spend = 0;
        var quantity = 0;
        for (var i = 0; i < amounts.Length; i++)
        {
            if (candidate.InScope[i])
            {
                spend += amounts[i];
                quantity += quantities[i];
            }
        }
        return (spend, quantity);
    }

    private static long[] Masked(long[] values, bool[] scope)
    {
        var masked = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            masked[i] = scope[i] ? values[i] : 0;
        }
        return masked;
    }
}
