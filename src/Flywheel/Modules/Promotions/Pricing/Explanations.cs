namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>Why each promotion applied or did not, as data (<see cref="RejectionReason"/>) and as a sentence.</summary>
internal static class Explanations
{
    public static PromotionOutcome Rejected(Promotion promotion, RejectionReason reason, string explanation, IReadOnlyList<string>? blockedBy = null) =>
        new(promotion.Id, promotion.Name, Applied: false)
        {
            CouponCode = promotion.CouponCode,
            Reason = reason,
            Explanation = explanation,
            BlockedBy = blockedBy ?? [],
        };

    public static PromotionOutcome Applied(AppliedPromotion applied, PricingContext context)
    {
        var currency = context.Cart.Currency;
        var promotion = applied.Candidate.Promotion;
        var lineIds = Enumerable.Range(0, applied.Lines.Length).Where(i => applied.Lines[i] > 0).Select(i => context.Lines[i].Id).ToArray();
        var parts = new List<string>();
        var onLines = applied.Lines.Sum();
        if (onLines > 0)
        {
            parts.Add($"{currency.Display(onLines)} off {lineIds.Length} {(lineIds.Length == 1 ? "line" : "lines")}");
        }
        if (applied.Shipping > 0)
        {
            parts.Add($"{currency.Display(applied.Shipping)} off shipping");
        }
        if (applied.Gifts.Count > 0)
        {
            parts.Add("gifts " + string.Join(", ", applied.Gifts.Select(g => $"{g.Quantity} × {g.Sku}")));
        }
        if (applied.PriorityUpgrade)
        {
            parts.Add("priority shipping");
        }
        return new PromotionOutcome(promotion.Id, promotion.Name, Applied: true)
        {
            CouponCode = promotion.CouponCode,
            Amount = applied.Money,
            ShippingAmount = applied.Shipping,
            LineIds = lineIds,
            Gifts = applied.Gifts,
            Explanation = "Applied: " + string.Join("; ", parts) + ".",
        };
    }

    /// <summary>A promotion that failed when priced, alone or together with the chosen ones.</summary>
    public static PromotionOutcome FromFailure(Promotion promotion, Evaluation evaluation, PricingContext context, bool afterOthers)
    {
        var currency = context.Cart.Currency;
        var after = afterOthers ? " after the discounts applied before it" : "";
        var text = evaluation.FailReason switch
        {
            RejectionReason.ThresholdNotReached => $"Needs {currency.Display(evaluation.FailShortfall.Amount)} more spend{after}.",
            RejectionReason.QuantityNotReached => $"Needs {evaluation.FailShortfall.Quantity} more {(evaluation.FailShortfall.Quantity == 1 ? "unit" : "units")}.",
            RejectionReason.BudgetInsufficient => $"Its remaining budget of {currency.Display(promotion.BudgetRemaining ?? 0)} does not cover its discount.",
            RejectionReason.CampaignBudgetInsufficient when promotion.SharedBudget is { } shared =>
                $"The {currency.Display(shared.Remaining)} left of campaign budget '{shared.Name}' does not cover its discount with the others drawing on it.",
            _ => "It would take nothing off this cart.",
        };
        return Rejected(promotion, evaluation.FailReason, text);
    }

    /// <summary>
    /// A candidate left out of the chosen combination: the first of these that holds is the reason.
    /// <paramref name="evaluator"/> prices the chosen combination with the candidate added; one evaluator serves every
    /// candidate, so each is priced from its own place in the application order on.
    /// </summary>
    public static PromotionOutcome NotChosen(Candidate candidate, Found chosen, PricingContext context, CombinationEvaluator evaluator, bool searchComplete)
    {
        var promotion = candidate.Promotion;
        var currency = context.Cart.Currency;
        var blocking = chosen.Combination.Where(c => !Stacking.Compatible(candidate, c)).ToArray();
        var sameGroup = blocking.Where(c => Stacking.SameGroup(promotion, c.Promotion)).Select(c => c.Id).ToArray();
        if (sameGroup.Length > 0)
        {
            return Rejected(promotion, RejectionReason.ExclusiveGroup,
                $"Exclusive with {string.Join(", ", sameGroup)} (group '{promotion.ExclusivityGroup}'), which gave the customer more.", sameGroup);
        }
        var conflicting = blocking.Select(c => c.Id).ToArray();
        if (conflicting.Length > 0)
        {
            return Rejected(promotion, RejectionReason.NotCombinable,
                $"Not combinable with {string.Join(", ", conflicting)}, which gave the customer more.", conflicting);
        }
        var with = evaluator.Evaluate([.. chosen.Combination, candidate]);
        if (!with.Valid && with.Failed == candidate)
        {
            return FromFailure(promotion, with, context, afterOthers: true);
        }
        // A shared budget is tipped over by whichever of its promotions is counted last; the one left out is the one
        // that did not fit.
        if (with is { Valid: false, FailReason: RejectionReason.CampaignBudgetInsufficient }
            && promotion.SharedBudget is { } shared && with.Failed!.Promotion.SharedBudget?.Id == shared.Id)
        {
            return FromFailure(promotion, with, context, afterOthers: true);
        }
        if (!with.Valid)
        {
            return Rejected(promotion, RejectionReason.NotBestForCustomer,
                $"With it, {with.Failed!.Id} would no longer apply ({with.FailReason}); the total is lower without it.", [with.Failed.Id]);
        }
        if (with.Payable >= chosen.Evaluation.Payable || searchComplete)
        {
            return Rejected(promotion, RejectionReason.NotBestForCustomer,
                $"With it the total would be {currency.Display(with.Payable)}, not less than {currency.Display(chosen.Evaluation.Payable)}.");
        }
        return Rejected(promotion, RejectionReason.SearchBoundReached,
            $"The search stopped at its bound of {CombinationSearch.MaxEvaluations} combinations before trying it with the chosen promotions.");
    }
}
