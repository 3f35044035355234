namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// Prices a cart under one combination of promotions, in the documented order: presale inflation, item promotions
/// one after another (priority, then id), order promotions all on the same post-item base (平行满减) and allocated
/// store-scoped first, then shipping on the goods after every discount (shipping promotions, then tier rewards' free
/// shipping).
/// A combination is valid only when every promotion in it applies and gives something, and none exceeds its budget:
/// a combination with a passenger that gives nothing is the same price as the one without it, which is tried too.
/// <para>
/// An instance remembers the steps of the last combination it priced: the line amounts after each item promotion in
/// application order, and (while the item promotions are the same) the order promotions' base and the room left after
/// each allocation. The next combination starts from the longest run of the same promotions at the front of that
/// order, so a search that adds or drops one promotion at a time re-prices only what follows it. Each step depends
/// only on the step before it, so the result is exactly the one priced from scratch (<see cref="Evaluate(PricingContext, IReadOnlyList{Candidate}, bool)"/>).
/// </para>
/// </summary>
internal sealed class CombinationEvaluator(PricingContext context)
{
    // The item promotions of the last combination in application order, each one's part, and the line amounts after it.
    private readonly List<Candidate> _items = [];
    private readonly List<AppliedPromotion> _itemEntries = [];
    private readonly List<long[]> _afterItem = [];

    // The order stage of the last combination, kept while its item promotions stay the same: the base, the room the
    // lines have for order discounts, and each allocated promotion's shares and the room left after it.
    private long[]? _basis;
    private long[]? _room;
    private readonly List<Candidate> _orders = [];
    private readonly List<long[]> _orderShares = [];
    private readonly List<long[]> _roomAfter = [];

    // The last step each promotion was priced in, with what it read: a promotion after the one that changed gives the
    // same result when the lines it reads hold the same amounts, which is the usual case (most touch a few lines).
    private readonly Dictionary<Candidate, ItemMemo> _itemMemos = [];
    private readonly Dictionary<Candidate, OrderMemo> _orderMemos = [];

    private sealed record ItemMemo(long[] Before, AppliedPromotion Entry, Shortfall Shortfall);

    private sealed record OrderMemo(long Amount, long[] Basis, long[] Room, long[] Shares);

    /// <summary>Prices one combination from scratch.</summary>
    public static Evaluation Evaluate(PricingContext context, IReadOnlyList<Candidate> combination, bool checkBudgets = true) =>
        new CombinationEvaluator(context).Evaluate(combination, checkBudgets);

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

    public Evaluation Evaluate(IReadOnlyList<Candidate> combination, bool checkBudgets = true)
    {
        var n = context.Lines.Length;
        var ranked = new Candidate[combination.Count];
        for (var k = 0; k < ranked.Length; k++)
        {
            ranked[k] = combination[k];
        }
        Array.Sort(ranked, CompareApplication);
        var applied = new List<AppliedPromotion>(ranked.Length);

        var items = 0;
        foreach (var candidate in ranked)
        {
            if (candidate.Promotion.Class != PromotionClass.Item)
            {
                continue;
            }
            if (items < _items.Count && _items[items] == candidate)
            {
                applied.Add(_itemEntries[items++]);
                continue;
            }
            ForgetItemsFrom(items);
            ForgetOrderStage();
            var before = items == 0 ? context.StartAmounts : _afterItem[items - 1];
            var step = ItemStep(candidate, before);
            if (!step.Shortfall.IsReached)
            {
                return Evaluation.Fail(candidate, NotReached(step.Shortfall), step.Shortfall);
            }
            var after = new long[n];
            for (var i = 0; i < n; i++)
            {
                after[i] = before[i] - step.Entry.Lines[i];
            }
            var entry = step.Entry;
            _items.Add(candidate);
            _itemEntries.Add(entry);
            _afterItem.Add(after);
            applied.Add(entry);
            items++;
        }
        ForgetItemsFrom(items);
        var current = items == 0 ? context.StartAmounts : _afterItem[items - 1];
        var itemDiscount = new long[n];
        for (var i = 0; i < n; i++)
        {
            itemDiscount[i] = context.StartAmounts[i] - current[i];
        }

        if (_basis is null || _room is null)
        {
            _basis = new long[n];
            _room = new long[n];
            for (var i = 0; i < n; i++)
            {
                _basis[i] = Math.Max(0, current[i] - (context.ThresholdOnBalance[i] ? context.Deposit[i] : 0));
                _room[i] = Math.Max(0, current[i] - context.Deposit[i]);
            }
        }
        var basis = _basis;
        var grants = new List<(Candidate Candidate, OrderGrant Grant)>(ranked.Length);
        foreach (var candidate in ranked)
        {
            if (candidate.Promotion.Class != PromotionClass.Order)
            {
                continue;
            }
            var (spend, quantity) = SpendInScope(candidate, basis, context.Quantities);
            var shortfall = Thresholds.Check(candidate.Promotion, spend, quantity);
            if (!shortfall.IsReached)
            {
                return Evaluation.Fail(candidate, NotReached(shortfall), shortfall);
            }
            grants.Add((candidate, OrderRewards.Grant(candidate.Promotion, spend, quantity)));
        }
        var orders = 0;
        foreach (var (candidate, grant) in grants)
        {
            if (orders >= _orders.Count || _orders[orders] != candidate)
            {
                ForgetOrdersFrom(orders);
                var room = orders == 0 ? _room : _roomAfter[orders - 1];
                var shares = OrderShares(candidate, grant.Amount, basis, room);
                var left = new long[n];
                for (var i = 0; i < n; i++)
                {
                    left[i] = room[i] - shares[i];
                }
                _orders.Add(candidate);
                _orderShares.Add(shares);
                _roomAfter.Add(left);
            }
            applied.Add(new AppliedPromotion(candidate, _orderShares[orders]) { Gifts = grant.Gifts });
            orders++;
        }
        ForgetOrdersFrom(orders);
        var roomLeft = orders == 0 ? _room : _roomAfter[orders - 1];
        var orderEntries = applied.Count;

        var orderDiscount = new long[n];
        var goods = new long[n];
        for (var i = 0; i < n; i++)
        {
            orderDiscount[i] = _room[i] - roomLeft[i];
            goods[i] = current[i] - orderDiscount[i];
        }
        // Shipping promotions take from the fee before tier rewards' free shipping does. The total is the same either
        // way; this way round, adding a promotion never lets one already applied take more (a tier that drops below
        // its free-shipping level cannot hand a shipping coupon a larger fee), which the search's bound relies on.
        var fee = context.Shipping?.Price ?? 0;
        var feeLeft = fee;
        var shippingEntries = new List<AppliedPromotion>();
        foreach (var candidate in ranked)
        {
            if (candidate.Promotion.Class != PromotionClass.Shipping)
            {
                continue;
            }
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

    /// <summary>An item promotion applied to the line amounts <paramref name="before"/> it.</summary>
    private ItemMemo ItemStep(Candidate candidate, long[] before)
    {
        if (_itemMemos.TryGetValue(candidate, out var memo) && SameWhereRead(candidate, memo.Before, before))
        {
            return memo;
        }
        var (discounts, shortfall) = ItemRewards.Apply(candidate, context, before);
        memo = new ItemMemo(before, new AppliedPromotion(candidate, discounts), shortfall);
        _itemMemos[candidate] = memo;
        return memo;
    }

    /// <summary>
    /// Whether two sets of line amounts agree on every line an item promotion reads: the lines in its scope, and for
    /// a bundle the lines of its SKUs (it counts their units whatever its scope).
    /// </summary>
    private static bool SameWhereRead(Candidate candidate, long[] a, long[] b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        var bundle = candidate.Promotion.Reward is BundlePrice;
        for (var i = 0; i < a.Length; i++)
        {
            if ((bundle || candidate.InScope[i]) && a[i] != b[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>An order promotion's amount shared over the lines in its scope, each taking at most the room it has left.</summary>
    private long[] OrderShares(Candidate candidate, long amount, long[] basis, long[] room)
    {
        if (_orderMemos.TryGetValue(candidate, out var memo) && memo.Amount == amount
            && SameInScope(candidate.InScope, memo.Basis, basis) && SameInScope(candidate.InScope, memo.Room, room))
        {
            return memo.Shares;
        }
        var weights = Masked(basis, candidate.InScope);
        var caps = Masked(room, candidate.InScope);
        var shares = candidate.Promotion.CrossStore
            ? CrossStoreAllocation.Share(amount, context, weights, caps)
            : Allocation.ProRata(amount, weights, caps);
        _orderMemos[candidate] = new OrderMemo(amount, basis, room, shares);
        return shares;
    }

    private static bool SameInScope(bool[] scope, long[] a, long[] b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        for (var i = 0; i < a.Length; i++)
        {
            if (scope[i] && a[i] != b[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Drops what was remembered from the <paramref name="count"/>-th item promotion on, and the order stage built on it.</summary>
    private void ForgetItemsFrom(int count)
    {
        if (count >= _items.Count)
        {
            return;
        }
        _items.RemoveRange(count, _items.Count - count);
        _itemEntries.RemoveRange(count, _itemEntries.Count - count);
        _afterItem.RemoveRange(count, _afterItem.Count - count);
        ForgetOrderStage();
    }

    /// <summary>The order stage is built on the item promotions' result: once they change, it is priced again.</summary>
    private void ForgetOrderStage()
    {
        _basis = null;
        _room = null;
        ForgetOrdersFrom(0);
    }

    private void ForgetOrdersFrom(int count)
    {
        if (count >= _orders.Count)
        {
            return;
        }
        _orders.RemoveRange(count, _orders.Count - count);
        _orderShares.RemoveRange(count, _orderShares.Count - count);
        _roomAfter.RemoveRange(count, _roomAfter.Count - count);
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
