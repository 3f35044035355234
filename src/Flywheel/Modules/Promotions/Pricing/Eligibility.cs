namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>The checks of a promotion that need only the cart's facts, not the other promotions.</summary>
internal static class Eligibility
{
    public static (RejectionReason Reason, string Explanation)? Check(Promotion promotion, Cart cart)
    {
        if (promotion.StartsAt is { } start && cart.Now < start)
        {
            return (RejectionReason.NotStarted, $"Starts at {start:O}.");
        }
        if (promotion.EndsAt is { } end && cart.Now >= end)
        {
            return (RejectionReason.Expired, $"Ended at {end:O}.");
        }
        var audience = promotion.Audience;
        var customer = cart.Customer;
        if (audience.Channels.Count > 0 && !audience.Channels.Contains(cart.Channel, StringComparer.Ordinal))
        {
            return (RejectionReason.ChannelNotMatched, $"Only on channels {string.Join(", ", audience.Channels)}; this cart is on '{cart.Channel}'.");
        }
        if (audience.Segments.Count > 0 && !audience.Segments.Any(s => customer.Segments.Contains(s, StringComparer.Ordinal)))
        {
            return (RejectionReason.SegmentNotMatched, $"Only for segments {string.Join(", ", audience.Segments)}.");
        }
        if (audience.Tiers.Count > 0 && !audience.Tiers.Contains(customer.Tier, StringComparer.Ordinal))
        {
            return (RejectionReason.TierNotMatched, $"Only for member tiers {string.Join(", ", audience.Tiers)}; the customer is '{customer.Tier}'.");
        }
        if (audience.Lifecycles.Count > 0 && !audience.Lifecycles.Contains(customer.Lifecycle, StringComparer.Ordinal))
        {
            return (RejectionReason.LifecycleNotMatched, $"Only for lifecycle stages {string.Join(", ", audience.Lifecycles)}; the customer is '{customer.Lifecycle}'.");
        }
        if (audience.FirstOrderOnly && !customer.IsFirstOrder)
        {
            return (RejectionReason.NotFirstOrder, "Only for a customer's first order.");
        }
        if (promotion.LimitReached)
        {
            return (RejectionReason.LimitReached, "Its usage limit has been reached.");
        }
        if (promotion.BudgetRemaining is <= 0)
        {
            return (RejectionReason.BudgetInsufficient, "Its budget is spent.");
        }
        if (promotion.SharedBudget is { Remaining: <= 0 } shared)
        {
            return (RejectionReason.CampaignBudgetInsufficient, $"The budget of campaign '{shared.Name}' is spent.");
        }
        return null;
    }
}
