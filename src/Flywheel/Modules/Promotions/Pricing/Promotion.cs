namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// A promotion or a resolved coupon as pricing sees it: what it gives (<see cref="Reward"/>), to which lines
/// (<see cref="Scope"/>), to whom and when (<see cref="Audience"/>, the window), and how it stacks with others.
/// Facts that live elsewhere (budget left, usage limits) are inputs, so pricing stays a pure function.
/// </summary>
public sealed record Promotion
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required PromotionClass Class { get; init; }
    public required Reward Reward { get; init; }

    public PromotionScope Scope { get; init; } = PromotionScope.Everything;
    public Audience Audience { get; init; } = Audience.Everyone;

    /// <summary>Start of the window, inclusive; null for "already running".</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>End of the window, exclusive; null for "no end". A limited-time discount is any promotion with one.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>Spend on the lines in scope needed before the reward applies (the threshold of a percentage 满折).</summary>
    public long? MinimumSpend { get; init; }

    /// <summary>Units in scope needed before the reward applies.</summary>
    public int? MinimumQuantity { get; init; }

    /// <summary>Higher applies earlier within its class and wins ties; see docs/promotions.md.</summary>
    public int Priority { get; init; }

    /// <summary>At most one promotion of a group is applied to a cart (for two item promotions: to a line).</summary>
    public string? ExclusivityGroup { get; init; }

    /// <summary>
    /// The classes this promotion may be applied together with, its own class included when it stacks with its
    /// peers. Two promotions combine only when each lists the other's class. Empty: it stands alone. Two item
    /// promotions that touch no common line never compete (see <see cref="Stacking.Compatible"/>).
    /// </summary>
    public IReadOnlyList<PromotionClass> CombinesWith { get; init; } = [];

    /// <summary>
    /// 跨店满减: the threshold counts the lines of every store in scope together, and the discount is shared among
    /// the stores first, then among each store's lines.
    /// </summary>
    public bool CrossStore { get; init; }

    /// <summary>The code the customer entered when this definition is a coupon; null for an automatic promotion.</summary>
    public string? CouponCode { get; init; }

    /// <summary>Subsidy budget left, in minor units; null when the promotion has no budget.</summary>
    public long? BudgetRemaining { get; init; }

    /// <summary>
    /// A campaign's budget this promotion draws on together with others; null when it draws on none. The promotions
    /// applied to one cart never take more from it, together, than is left.
    /// </summary>
    public SharedBudget? SharedBudget { get; init; }

    /// <summary>True when a usage limit (per customer or in total) has been reached, as counted by the caller.</summary>
    public bool LimitReached { get; init; }
}

/// <summary>A budget several promotions draw on (a campaign's 补贴预算): its id, name and what is left, in minor units.</summary>
public sealed record SharedBudget(string Id, string Name, long Remaining);

public enum PromotionClass
{
    /// <summary>Changes the price of lines, one promotion after another; applied first.</summary>
    Item,

    /// <summary>Takes an amount off the order after item discounts; order promotions share one base (平行满减).</summary>
    Order,

    /// <summary>Takes from the shipping fee; applied last, on the goods amount after every discount.</summary>
    Shipping,
}

/// <summary>
/// Which lines a promotion looks at: a line is in scope when it matches every non-empty list (and any entry of a list).
/// </summary>
public sealed record PromotionScope
{
    public static readonly PromotionScope Everything = new();

    public IReadOnlyList<string> Skus { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<string> Brands { get; init; } = [];
    public IReadOnlyList<string> Stores { get; init; } = [];

    public bool Includes(CartLine line) =>
        Matches(Skus, line.Sku) && Matches(Categories, line.Category) && Matches(Brands, line.Brand) && Matches(Stores, line.Store);

    /// <summary>A promotion of one store (店铺满减, a store coupon) is applied before platform-wide ones.</summary>
    public bool IsSingleStore => Stores.Count == 1;

    private static bool Matches(IReadOnlyList<string> allowed, string value)
    {
        if (allowed.Count == 0)
        {
            return true;
        }
        foreach (var entry in allowed)
        {
            if (string.Equals(entry, value, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>Who may have the promotion: a customer must match every non-empty list (and any entry of a list).</summary>
public sealed record Audience
{
    public static readonly Audience Everyone = new();

    /// <summary>Segments or tags; the customer needs at least one of them.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];
    public IReadOnlyList<string> Tiers { get; init; } = [];
    public IReadOnlyList<string> Lifecycles { get; init; } = [];
    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>新客首单: only for the customer's first order.</summary>
    public bool FirstOrderOnly { get; init; }

    /// <summary>
    /// Whether the customer is among those targeted by segment or tag, tier and lifecycle stage: the facts that belong to
    /// the customer rather than to one cart (channel and first order are checked when a cart is priced). Claiming a coupon
    /// asks this.
    /// </summary>
    public bool Admits(CustomerFacts customer) =>
        (Segments.Count == 0 || Segments.Any(s => customer.Segments.Contains(s, StringComparer.Ordinal)))
        && (Tiers.Count == 0 || Tiers.Contains(customer.Tier, StringComparer.Ordinal))
        && (Lifecycles.Count == 0 || Lifecycles.Contains(customer.Lifecycle, StringComparer.Ordinal));
}
