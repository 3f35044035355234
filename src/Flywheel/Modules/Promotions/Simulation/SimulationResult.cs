namespace Flywheel.Modules.Promotions.Simulation;

/// <summary>What the draft would have done to the orders of one group of buyers (a segment, first orders, ...).</summary>
public sealed record GroupBenefit(string Group, int Orders, int OrdersTouched, int CustomersTouched, long Cost);

/// <summary>One order the draft touched: what the customer paid before and would have paid with it (minor units).</summary>
public sealed record TouchedOrder(
    string OrderId, string CustomerId, DateTimeOffset PricedAt, long PayableBefore, long PayableAfter, long DraftAmount, long Cost);

/// <summary>
/// A draft promotion priced over past orders, every amount in minor units. "Before" is each cart priced with the
/// promotions it was compared with; "after" the same with the draft added. <see cref="Cost"/> is what the shop gives up:
/// the fall in what customers pay plus the rise in gift value; it differs from <see cref="DraftAmount"/> when the
/// draft displaces or is displaced by another promotion.
/// </summary>
public sealed record SimulationResult
{
    public required int OrdersPriced { get; init; }
    public required int OrdersTouched { get; init; }
    public required int CustomersTouched { get; init; }
    public required long DraftAmount { get; init; }
    public required long Cost { get; init; }
    public required long PayableBefore { get; init; }
    public required long PayableAfter { get; init; }

    /// <summary>Orders whose every line has a cost: the margin figures are over these only.</summary>
    public required int OrdersWithCost { get; init; }
    public required long GoodsCost { get; init; }
    public required long GoodsRevenueBefore { get; init; }
    public required long GoodsRevenueAfter { get; init; }

    public long GrossProfitBefore => GoodsRevenueBefore - GoodsCost;
    public long GrossProfitAfter => GoodsRevenueAfter - GoodsCost;

    /// <summary>Orders where the draft would have applied but its budget had too little left, or a limit was reached.</summary>
    public required int RefusedForBudget { get; init; }
    public required int RefusedForLimit { get; init; }
    public required long BudgetSpent { get; init; }

    /// <summary>Why the draft did not apply to the other orders: reason → orders.</summary>
    public required IReadOnlyDictionary<string, int> NotAppliedBecause { get; init; }

    /// <summary>Segments by cost, largest first.</summary>
    public required IReadOnlyList<GroupBenefit> Segments { get; init; }

    /// <summary>First orders against repeat orders.</summary>
    public required IReadOnlyList<GroupBenefit> Buyers { get; init; }

    /// <summary>The touched orders with the largest cost, largest first.</summary>
    public required IReadOnlyList<TouchedOrder> LargestCosts { get; init; }
}
