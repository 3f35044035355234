namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// Prices a cart: (cart, promotions) → priced lines, shipping, gifts, payable, and why every promotion applied or not.
/// Pure and deterministic: no clock (the cart carries <see cref="Cart.Now"/>), no I/O, and the order in which
/// promotions are passed does not matter (they are ranked by id first). The policy is written down in docs/promotions.md.
/// </summary>
public static class CartPricer
{
    /// <exception cref="ArgumentException">The cart is invalid (see <see cref="CartValidation"/>) or two promotions share an id.</exception>
    public static PriceQuote Price(Cart cart, IEnumerable<Promotion> promotions)
    {
        var cartErrors = CartValidation.Validate(cart);
        if (cartErrors.Count > 0)
        {
            throw new ArgumentException("Invalid cart: " + string.Join("; ", cartErrors), nameof(cart));
        }
        var all = promotions.Concat(cart.Coupons).OrderBy(p => p.Id, StringComparer.Ordinal).ToArray();
        for (var i = 1; i < all.Length; i++)
        {
            if (all[i].Id == all[i - 1].Id)
            {
                throw new ArgumentException($"Two promotions have the id '{all[i].Id}'.", nameof(promotions));
            }
        }

        var context = new PricingContext(cart);
        var outcomes = new Dictionary<string, PromotionOutcome>(StringComparer.Ordinal);
        var candidates = new List<Candidate>();
        var inReach = new List<Candidate>();
        var alone = new CombinationEvaluator(context);
        foreach (var promotion in all)
        {
            var (candidate, rejection) = Screen(promotion, context, alone);
            if (candidate is not null && rejection is null)
            {
                candidates.Add(candidate);
                inReach.Add(candidate);
                continue;
            }
            if (candidate is not null)
            {
                inReach.Add(candidate);
            }
            outcomes[promotion.Id] = rejection!;
        }

        var rank = 0;
        foreach (var candidate in CombinationEvaluator.ApplicationOrder(inReach))
        {
            candidate.Rank = rank++;
        }
        var search = CombinationSearch.Run(context, candidates, CombinationEvaluator.Evaluate(context, []));
        var chosen = search.Best[0];
        var withChosen = new CombinationEvaluator(context);
        foreach (var candidate in candidates.Where(c => !chosen.Combination.Contains(c)))
        {
            outcomes[candidate.Id] = Explanations.NotChosen(candidate, chosen, context, withChosen, search.Complete);
        }

        var applied = chosen.Evaluation.Applied;
        var appliedOutcomes = applied.Select(a => Explanations.Applied(a, context)).ToList();
        var rest = outcomes.Values.OrderBy(o => o.PromotionId, StringComparer.Ordinal);
        return new PriceQuote
        {
            Currency = cart.Currency,
            Lines = QuoteLines.Build(context, chosen.Evaluation),
            Shipping = new ShippingQuote(
                chosen.Evaluation.PriorityUpgrade ? context.PriorityOption!.Code : context.Shipping?.Code,
                chosen.Evaluation.ShippingFee,
                chosen.Evaluation.ShippingDiscount) { PriorityUpgrade = chosen.Evaluation.PriorityUpgrade },
            Gifts = applied.SelectMany(a => a.Gifts.Select(g => new AwardedGift(a.Candidate.Id, g))).ToArray(),
            Promotions = [.. appliedOutcomes, .. rest],
            NearMisses = NearMisses.Find(context, inReach, chosen).ToArray(),
            Chosen = Summary(chosen),
            RunnerUps = search.Best.Skip(1).Select(Summary).ToArray(),
            SearchComplete = search.Complete,
            CombinationsEvaluated = search.Evaluated,
        };
    }

    /// <summary>
    /// The checks that need no other promotion. Returns the candidate when its lines are in the cart (even if it is
    /// then rejected for its threshold, so that a near-miss hint can be given), and the rejection if there is one.
    /// <paramref name="evaluator"/> prices each promotion alone; one serves them all.
    /// </summary>
    private static (Candidate? Candidate, PromotionOutcome? Rejection) Screen(Promotion promotion, PricingContext context, CombinationEvaluator evaluator)
    {
        var errors = PromotionValidation.Validate(promotion);
        if (errors.Count > 0)
        {
            return (null, Explanations.Rejected(promotion, RejectionReason.InvalidDefinition, "Invalid definition: " + string.Join("; ", errors)));
        }
        if (Eligibility.Check(promotion, context.Cart) is { } failed)
        {
            return (null, Explanations.Rejected(promotion, failed.Reason, failed.Explanation));
        }
        var scope = context.ScopeOf(promotion);
        if (!scope.Contains(true))
        {
            return (null, Explanations.Rejected(promotion, RejectionReason.NoEligibleItems, "No line of the cart is in its scope."));
        }
        var candidate = new Candidate(promotion, scope);
        // Alone, on the undiscounted cart, with its budget set aside: the most it can ever take (see CombinationSearch).
        var alone = evaluator.Evaluate([candidate], checkBudgets: false);
        if (!alone.Valid)
        {
            return (candidate, Explanations.FromFailure(promotion, alone, context, afterOthers: false));
        }
        candidate.Standalone = alone.Applied[0].Money;
        candidate.StandaloneGiftValue = alone.GiftValue;
        candidate.StandaloneLines = alone.Applied[0].Lines;
        return (candidate, null);
    }

    private static CombinationSummary Summary(Found found) =>
        new(found.SortedIds, found.Evaluation.Payable, found.Evaluation.GiftValue);
}
