namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>The paths of one customer for one period, and the orders no touch led to.</summary>
public sealed record CustomerPaths(IReadOnlyList<ConversionPath> Paths, IReadOnlyList<CustomerOrder> OrdersWithoutTouches);

/// <summary>
/// Builds conversion paths from one customer's touches and orders over a period [from, to):
/// <list type="bullet">
/// <item>each order paid in the period gets a path of the touches in (order − lookback, order], oldest first (touches
/// at the same instant keep their given order), with one conversion of the order's value;</item>
/// <item>an order with no touch in its window is returned apart: no channel can be credited with it;</item>
/// <item>a customer with touches in the period but no order in it gets one path of those touches with one null.</item>
/// </list>
/// Touches after the customer's last order in the period do not make a null path of their own: the customer
/// converted in the period, and such a tail would count them as a non-converting visitor too.
/// </summary>
public static class PathBuilder
{
    public static CustomerPaths Build(
        IReadOnlyList<CustomerTouch> touches,
        IReadOnlyList<CustomerOrder> orders,
        DateTimeOffset from,
        DateTimeOffset to,
        PathWindow? window = null)
    {
        ArgumentNullException.ThrowIfNull(touches);
        ArgumentNullException.ThrowIfNull(orders);
        if (to <= from)
        {
            throw new ArgumentException("The period must end after it starts.", nameof(to));
        }
        window ??= new PathWindow();
        // OrderBy is stable: touches at the same instant stay in the order they were given.
        var timeline = touches.OrderBy(t => t.At).ToList();
        var allOrders = orders.OrderBy(o => o.At).ToList();
        var paths = new List<ConversionPath>();
        var withoutTouches = new List<CustomerOrder>();
        foreach (var order in allOrders.Where(o => o.At >= from && o.At < to))
        {
            var start = order.At - window.Lookback;
            var previous = allOrders.LastOrDefault(o => o.At < order.At);
            var onPath = timeline
                .Where(t => t.At > start && t.At <= order.At)
                .Where(t => !window.ResetAfterConversion || previous is null || t.At > previous.At)
                .ToList();
            if (onPath.Count == 0)
            {
                withoutTouches.Add(order);
                continue;
            }
            paths.Add(new ConversionPath(ToTouches(onPath), conversions: 1, order.Value, nulls: 0, convertedAt: order.At));
        }
        if (paths.Count == 0 && withoutTouches.Count == 0)
        {
            var inPeriod = timeline.Where(t => t.At >= from && t.At < to).ToList();
            if (inPeriod.Count > 0)
            {
                paths.Add(new ConversionPath(ToTouches(inPeriod), conversions: 0, value: 0m, nulls: 1));
            }
        }
        return new CustomerPaths(paths, withoutTouches);
    }

    private static List<Touch> ToTouches(List<CustomerTouch> touches) =>
        [.. touches.Select(t => new Touch(t.Channel, t.At, t.IsDirect))];
}
