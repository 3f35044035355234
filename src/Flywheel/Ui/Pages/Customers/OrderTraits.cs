using Flywheel.Modules.Orders.Orders;

namespace Flywheel.Ui.Pages.Customers;

/// <summary>
/// What a customer's orders say about them, as the customer page shows it. Follows the SPEC §5 sales definitions:
/// an order counts once paid (before refunds); cancelled unpaid orders count for nothing; refunds are shown apart.
/// </summary>
public sealed record OrderTraits(
    int PaidOrders, decimal Gmv, decimal Refunded, decimal NetSpend, decimal? AverageOrderValue,
    DateTimeOffset? FirstPaidAt, DateTimeOffset? LastPaidAt, int? DaysSinceLastOrder, string? TopCategory)
{
    public static OrderTraits From(IReadOnlyCollection<OrderView> orders, DateTimeOffset now)
    {
        var paid = orders.Where(o => o.PaidAt is not null).ToList();
        var gmv = paid.Sum(o => o.Total);
        var refunded = paid.Sum(o => o.Refunded);
        var last = paid.Max(o => o.PaidAt);
        var topCategory = paid.SelectMany(o => o.Lines)
            .Where(l => l.Category is not null)
            .GroupBy(l => l.Category!)
            .Select(g => (Category: g.Key, Amount: g.Sum(l => l.Amount)))
            .OrderByDescending(c => c.Amount).ThenBy(c => c.Category, StringComparer.Ordinal)
            .Select(c => c.Category).FirstOrDefault();
        return new OrderTraits(
            paid.Count, gmv, refunded, gmv - refunded, paid.Count == 0 ? null : gmv / paid.Count,
            paid.Min(o => o.PaidAt), last, last is { } l ? (int)(now - l).TotalDays : null, topCategory);
    }
}
