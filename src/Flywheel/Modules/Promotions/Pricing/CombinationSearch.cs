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
/// Bound: no promotion takes more in a combination than it takes alone on the undiscounted cart (bases only shrink
/// as discounts are applied, and every allocation is capped), so a branch whose payable could not fall below the
/// third-best found even if every still-combinable candidate took its standalone amount is skipped. Candidates are
/// tried largest standalone amount first, so the first combination tried is the greedy one and the bound bites early.
/// </para>
/// <para>
/// The search stops after <see cref="MaxEvaluations"/> priced combinations and says so: the result is then the best
/// found, not necessarily the best. The order of the search is fixed, so even then the same input gives the same output.
/// </para>
/// </summary>
internal static class CombinationSearch
{
    public const int MaxEvaluations = 4096;

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
        var conflicts = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            conflicts[i] = [];
            for (var j = i + 1; j < n; j++)
            {
                if (!Stacking.Compatible(ordered[i], ordered[j]))
                {
                    conflicts[i].Add(j);
                }
            }
        }
        var state = new State(context, ordered, conflicts, withoutPromotions.Payable);
        state.Best.Add(new Found([], withoutPromotions));
        state.Visit(0, 0);
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

    private sealed class State(PricingContext context, Candidate[] ordered, List<int>[] conflicts, long grossPayable)
    {
        private readonly int[] _blocked = new int[ordered.Length];
        private readonly List<int> _chosen = [];

        public List<Found> Best { get; } = [];
        public bool Stopped { get; private set; }
        public int Evaluated { get; private set; }

        public void Visit(int next, long chosenStandalone)
        {
            if (Stopped || Hopeless(next, chosenStandalone))
            {
                return;
            }
            if (next == ordered.Length)
            {
                Price();
                return;
            }
            if (_blocked[next] == 0)
            {
                _chosen.Add(next);
                foreach (var j in conflicts[next])
                {
                    _blocked[j]++;
                }
                Visit(next + 1, chosenStandalone + ordered[next].Standalone);
                foreach (var j in conflicts[next])
                {
                    _blocked[j]--;
                }
                _chosen.RemoveAt(_chosen.Count - 1);
            }
            Visit(next + 1, chosenStandalone);
        }

        private bool Hopeless(int next, long chosenStandalone)
        {
            if (Best.Count < Kept)
            {
                return false;
            }
            var optimistic = chosenStandalone;
            for (var j = next; j < ordered.Length; j++)
            {
                if (_blocked[j] == 0)
                {
                    optimistic += ordered[j].Standalone;
                }
            }
            return grossPayable - optimistic > Best[^1].Evaluation.Payable;
        }

        private void Price()
        {
            if (_chosen.Count == 0)
            {
                return; // The empty combination is in Best from the start.
            }
            if (Evaluated == MaxEvaluations)
            {
                Stopped = true;
                return;
            }
            Evaluated++;
            var combination = _chosen.Select(i => ordered[i]).ToArray();
            var evaluation = CombinationEvaluator.Evaluate(context, combination);
            if (!evaluation.Valid)
            {
                return;
            }
            var found = new Found(combination, evaluation);
            var at = Best.FindIndex(b => Compare(found, b) < 0);
            Best.Insert(at < 0 ? Best.Count : at, found);
            if (Best.Count > Kept)
            {
                Best.RemoveAt(Kept);
            }
        }
    }
}
