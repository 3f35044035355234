using Flywheel.Modules.Promotions.Pricing;

namespace Flywheel.Modules.Promotions.Simulation;

/// <summary>
/// A past paid order as a cart to price again (its lines at list price, its time, its buyer's facts), the segments its
/// buyer is in (for the breakdown) and what its goods cost the shop (null when a line's cost is unknown).
/// </summary>
public sealed record HistoricalCart(string OrderId, Cart Cart, IReadOnlyList<string> Segments, long? GoodsCost);

/// <summary>The draft's finite limits, used up across the orders in the order they were paid, as checkout would.</summary>
public sealed record DraftLimits(long? Budget, int? PerCustomerLimit, int? TotalLimit);
