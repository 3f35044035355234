namespace Flywheel.Modules.Promotions.Pricing;

internal sealed record Found(Candidate[] Combination, Evaluation Evaluation)
{
    public IReadOnlyList<string> SortedIds { get; } = Combination.Select(c => c.Id).Order(StringComparer.Ordinal).ToArray();
}

internal sealed record SearchResult(IReadOnlyList<Found> Best, bool Complete, int Evaluated);

/// <summary>
/// Finds the combination best for the customer by branch and bound over every subset of the candidates that respects
/// combinability and exclusivity groups (<see cref="Stacking.Compatible"/>).
/// <para>
/// Bound: every chosen set on the way down is priced. Adding promotions never makes a chosen one take more (bases
/// only shrink as discounts are applied, every reward grows with its base, and every allocation is capped), and no
/// open candidate can take more than it takes alone on the undiscounted cart; so a branch whose chosen set's payable,
/// less the most the open candidates could still save, cannot fall below the third-best found is skipped
/// (State.Hopeless counts that saving). Candidates are tried largest standalone amount first, so the first
/// combination reached is the greedy one and the bound bites early.
/// </para>
/// <para>
/// The search stops after <see cref="MaxEvaluations"/> priced combinations (partial ones on the way down included),
/// once the first descent has reached a combination, and says so: the result is then the best found (never worse
/// than the greedy one), not necessarily the best. The order of the search is fixed, so even then the same input gives the same output.
/// </para>
/// </summary>
internal static class CombinationSearch
{
    public const int MaxEvaluations = 128;

    /// <summary>The best combination and the runner-ups the explanation names.</summary>
    public const int Kept = 3;

    /// <summary>
    /// <paramref name="withoutPromotions"/> is the cart priced with no promotion: always valid, so there is always a result.
    /// </summary>
    public static SearchResult Run(PricingContext context, IReadOnlyList<Candidate> candidates, Evaluation withoutPromotions)
    {
        var ordered = candidates
            .OrderByDescending(c => c.Standalone)
            .ThenByDescending(c => c.Promotion.Priority)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToArray();
        var n = ordered.Length;
        var stacking = new StackingFacts(ordered, context.Lines.Length);
        var conflicts = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            conflicts[i] = [];
            for (var j = i + 1; j < n; j++)
            {
                if (!stacking.Compatible(i, j))
                {
                    conflicts[i].Add(j);
                }
            }
        }
        var state = new State(context, ordered, conflicts);
        state.Best.Add(new Found([], withoutPromotions));
        state.Visit(0, withoutPromotions);
        return new SearchResult(state.Best, !state.Stopped, state.Evaluated);
    }

    /// <summary>Compares two combinations, better first: see docs/promotions.md, "Ties".</summary>
    public static int Compare(Found a, Found b)
    {
        var byPayable = a.Evaluation.Payable.CompareTo(b.Evaluation.Payable);
        if (byPayable != 0)
        {
            return byPayable;
        }
        var byGifts = b.Evaluation.GiftValue.CompareTo(a.Evaluation.GiftValue);
        if (byGifts != 0)
        {
            return byGifts;
        }
        var byCount = a.Combination.Length.CompareTo(b.Combination.Length);
        if (byCount != 0)
        {
            return byCount;
        }
        for (var i = 0; i < a.SortedIds.Count; i++)
        {
            var byId = string.CompareOrdinal(a.SortedIds[i], b.SortedIds[i]);
            if (byId != 0)
            {
                return byId;
            }
        }
        return 0;
    }

    private sealed class State
    {
        private readonly PricingContext _context;
        private readonly CombinationEvaluator _evaluator;
        private readonly Candidate[] _ordered;
        private readonly List<int>[] _conflicts;
        private readonly int[] _blocked;
        private readonly List<int> _chosen = [];
        private bool _descended;
        private readonly long[] _lineAlone;
        private readonly Evaluation?[] _boundFor;
        private readonly bool[] _standsAlone;
        private readonly long[] _bound;

        // Exclusivity groups of order and shipping promotions, numbered per class.
        private readonly int[] _groupOf;
        private readonly long[] _groupBest;
        private readonly bool[] _groupIsShipping;

        public State(PricingContext context, Candidate[] ordered, List<int>[] conflicts)
        {
            _context = context;
            _evaluator = new CombinationEvaluator(context);
            _ordered = ordered;
            _conflicts = conflicts;
            _blocked = new int[ordered.Length];
            _lineAlone = new long[context.Lines.Length];
            _boundFor = new Evaluation?[ordered.Length];
            _standsAlone = ordered.Select(c => c.StandsAloneInClass).ToArray();
            _bound = new long[ordered.Length];
            _groupOf = new int[ordered.Length];
            var groups = new List<(string Name, bool Shipping)>();
            for (var j = 0; j < ordered.Length; j++)
            {
                var promotion = ordered[j].Promotion;
                _groupOf[j] = -1;
                if (promotion.ExclusivityGroup is { } name && promotion.Class != PromotionClass.Item)
                {
                    var key = (name, promotion.Class == PromotionClass.Shipping);
                    var at = groups.IndexOf(key);
                    _groupOf[j] = at >= 0 ? at : groups.Count;
                    if (at < 0)
                    {
                        groups.Add(key);
                    }
                }
            }
            _groupBest = new long[groups.Count];
            _groupIsShipping = groups.Select(g => g.Shipping).ToArray();
        }

        public List<Found> Best { get; } = [];
        public bool Stopped { get; private set; }
        public int Evaluated { get; private set; }

        /// <summary>
        /// <paramref name="chosen"/> is the chosen set priced with budgets set aside. Adding promotions never makes
        /// one already chosen take more (bases shrink, rooms fill), so its payable less the optimistic saving of the
        /// open candidates bounds every completion; and if it is invalid for a threshold or for giving nothing, so is
        /// every completion.
        /// </summary>
        public void Visit(int next, Evaluation chosen)
        {
            if (Stopped || Hopeless(next, chosen))
            {
                return;
            }
            if (next == _ordered.Length)
            {
                _descended = true;
                Record(chosen);
                return;
            }
            if (_blocked[next] == 0)
            {
                Include(next, +1);
                var withNext = Price(checkBudgets: false);
                if (withNext?.Valid == true)
                {
                    Visit(next + 1, withNext);
                }
                Include(next, -1);
            }
            Visit(next + 1, chosen);
        }

        private void Include(int j, int sign)
        {
            if (sign > 0)
            {
                _chosen.Add(j);
            }
            else
            {
                _chosen.RemoveAt(_chosen.Count - 1);
            }
            foreach (var k in _conflicts[j])
            {
                _blocked[k] += sign;
            }
        }

        /// <summary>
        /// True when no completion of the branch can price below the third-best combination found, nor equal it with
        /// more gifts (an equal total otherwise does not displace one found earlier). The optimistic saving of the
        /// open candidates counts, on each line, the best item promotion that stacks with no other item promotion
        /// (alone on its lines, it takes exactly its standalone amount there), at most what the line has left; plus
        /// the standalone totals of the item promotions that stack; order promotions on the base the chosen ones
        /// leave, and of them either the best that stands alone or the best of each exclusivity group plus all
        /// ungrouped ones; shipping likewise, at most the fee left.
        /// </summary>
        private bool Hopeless(int next, Evaluation chosen)
        {
            if (Best.Count < Kept)
            {
                return false;
            }
            var openGifts = false;
            long itemsStacked = 0, orderAlone = 0, orderStacked = 0, shippingAlone = 0, shippingStacked = 0;
            Array.Clear(_lineAlone);
            Array.Clear(_groupBest);
            for (var j = next; j < _ordered.Length; j++)
            {
                if (_blocked[j] != 0)
                {
                    continue;
                }
                var candidate = _ordered[j];
                var alone = _standsAlone[j];
                var @class = candidate.Promotion.Class;
                openGifts |= candidate.StandaloneGiftValue > 0;
                if (@class == PromotionClass.Item && alone)
                {
                    var lines = candidate.StandaloneLines;
                    for (var i = 0; i < lines.Length; i++)
                    {
                        _lineAlone[i] = Math.Max(_lineAlone[i], lines[i]);
                    }
                    continue;
                }
                if (@class == PromotionClass.Item)
                {
                    // A stacking one may share its amount over its lines differently once others have changed them,
                    // so only its total is bounded.
                    itemsStacked += candidate.Standalone;
                    continue;
                }
                var amount = @class == PromotionClass.Order ? OrderBound(j, chosen) : candidate.Standalone;
                if (alone && @class == PromotionClass.Order)
                {
                    orderAlone = Math.Max(orderAlone, amount);
                }
                else if (alone)
                {
                    shippingAlone = Math.Max(shippingAlone, amount);
                }
                else if (_groupOf[j] >= 0)
                {
                    _groupBest[_groupOf[j]] = Math.Max(_groupBest[_groupOf[j]], amount);
                }
                else if (@class == PromotionClass.Order)
                {
                    orderStacked += amount;
                }
                else
                {
                    shippingStacked += amount;
                }
            }
            for (var g = 0; g < _groupBest.Length; g++)
            {
                if (_groupIsShipping[g])
                {
                    shippingStacked += _groupBest[g];
                }
                else
                {
                    orderStacked += _groupBest[g];
                }
            }
            var feeLeft = chosen.ShippingFee - chosen.ShippingDiscount;
            var optimistic = itemsStacked + Math.Max(orderAlone, orderStacked) + Math.Min(feeLeft, Math.Max(shippingAlone, shippingStacked));
            for (var i = 0; i < _lineAlone.Length; i++)
            {
                optimistic += Math.Min(chosen.Goods[i] - _context.Deposit[i], _lineAlone[i]);
            }
            var lowest = chosen.Payable - optimistic;
            var third = Best[^1].Evaluation.Payable;
            return lowest > third || (lowest == third && !openGifts);
        }

        /// <summary>
        /// The most an open order promotion can take: its reward on the base the chosen promotions leave, at most the
        /// room left. A branch that leaves a candidate out asks again about the same chosen set, so the last answer
        /// for each candidate is kept with the set it was for.
        /// </summary>
        private long OrderBound(int j, Evaluation chosen)
        {
            if (!ReferenceEquals(_boundFor[j], chosen))
            {
                _boundFor[j] = chosen;
                _bound[j] = OrderBound(_ordered[j], chosen);
            }
            return _bound[j];
        }

        private long OrderBound(Candidate candidate, Evaluation chosen)
        {
            long spend = 0, room = 0;
            var quantity = 0;
            for (var i = 0; i < candidate.InScope.Length; i++)
            {
                if (candidate.InScope[i])
                {
                    spend += chosen.OrderBasis[i];
                    room += chosen.Goods[i] - _context.Deposit[i];
                    quantity += _context.Quantities[i];
                }
            }
            if (!Thresholds.Check(candidate.Promotion, spend, quantity).IsReached)
            {
                return 0;
            }
            var grant = OrderRewards.Grant(candidate.Promotion, spend, quantity);
            return Math.Min(grant.Amount, room) + (grant.FreeShipping ? chosen.ShippingFee - chosen.ShippingDiscount : 0);
        }

        private Evaluation? Price(bool checkBudgets)
        {
            // The first descent (the greedy combination) always finishes, so a bounded search is never worse than greedy.
            if (Evaluated >= MaxEvaluations && _descended)
            {
                Stopped = true;
                return null;
            }
            Evaluated++;
            // One evaluator for the whole search: consecutive combinations differ by a promotion or a few, and it
            // re-prices only from the first promotion (in application order) that differs from the last one priced.
            return _evaluator.Evaluate(_chosen.Select(i => _ordered[i]).ToArray(), checkBudgets);
        }

        private void Record(Evaluation chosen)
        {
            if (_chosen.Count == 0)
            {
                return; // The empty combination is in Best from the start.
            }
            var budgeted = _chosen.Any(j => _ordered[j].Promotion is { BudgetRemaining: not null } or { SharedBudget: not null });
            var evaluation = budgeted ? Price(checkBudgets: true) : chosen;
            if (evaluation?.Valid != true)
            {
                return;
            }
            var found = new Found(_chosen.Select(i => _ordered[i]).ToArray(), evaluation);
            var at = Best.FindIndex(b => Compare(found, b) < 0);
            Best.Insert(at < 0 ? Best.Count : at, found);
            if (Best.Count > Kept)
            {
                Best.RemoveAt(Kept);
            }
        }
    }
}
