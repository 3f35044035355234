using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform;

namespace Flywheel.Modules.Customers.Traits;

/// <summary>
/// What a customer's paid orders and profile say about them, computed from the stored orders when asked, so always
/// current. Money is in the workspace's currency; orders in another currency are counted in
/// <see cref="OtherCurrencyOrders"/> and left out of the rest, since amounts in two currencies do not add up.
/// Definitions: docs/metrics.md, "Customer traits and lifecycle".
/// </summary>
public sealed record CustomerTraits
{
    public required string Currency { get; init; }
    public int PaidOrders { get; init; }
    /// <summary>Sum of paid orders' totals, refunds not taken off (as GMV).</summary>
    public long TotalSpendMinor { get; init; }
    public long RefundedMinor { get; init; }
    /// <summary>Total spend less refunds.</summary>
    public long NetSpendMinor => TotalSpendMinor - RefundedMinor;
    /// <summary>Total spend over paid orders, rounded half away from zero to the minor unit; null without orders.</summary>
    public long? AverageOrderValueMinor { get; init; }
    /// <summary>Refunds recorded, across orders (a partly refunded order may have several).</summary>
    public int RefundCount { get; init; }
    public DateTimeOffset? FirstOrderAt { get; init; }
    public DateTimeOffset? LastOrderAt { get; init; }
    /// <summary>The paid order before the last, which tells a won-back customer from an active one.</summary>
    public DateTimeOffset? PreviousOrderAt { get; init; }
    /// <summary>Whole days (24 h) since the last paid order; null without orders.</summary>
    public int? DaysSinceLastOrder { get; init; }
    /// <summary>(last − first) / (orders − 1) in days; null with fewer than two orders.</summary>
    public double? AverageDaysBetweenOrders { get; init; }
    /// <summary>Share of paid orders that used a coupon, 0–1; null without orders.</summary>
    public double? CouponUseRate { get; init; }
    /// <summary>Up to three categories by spend, most first (ties by name).</summary>
    public required IReadOnlyList<string> FavouriteCategories { get; init; }
    /// <summary>How many different categories the paid orders' lines were in (lines without one left out).</summary>
    public int CategoriesBought { get; init; }
    /// <summary>Where the customer came from: the registration channel, else the channel of their first paid order.</summary>
    public string? AcquisitionChannel { get; init; }
    public DateTimeOffset? LastSeenAt { get; init; }
    public int OtherCurrencyOrders { get; init; }
    public required LifecycleStatus Lifecycle { get; init; }

    public static CustomerTraits Compute(
        IReadOnlyList<CustomerPaidOrder> paidOrders, string currency, string? registrationChannel, DateTimeOffset? lastSeenAt,
        DateTimeOffset now, LifecycleOptions lifecycle)
    {
        var orders = paidOrders.Where(o => o.Currency == currency && o.PaidAt <= now).OrderBy(o => o.PaidAt).ToList();
        var spend = orders.Sum(o => o.TotalMinor);
        var first = orders.Count > 0 ? orders[0].PaidAt : (DateTimeOffset?)null;
        var last = orders.Count > 0 ? orders[^1].PaidAt : (DateTimeOffset?)null;
        var categories = orders.SelectMany(o => o.SpendByCategoryMinor)
            .GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(g => (Category: g.Key, Spend: g.Sum(kv => kv.Value)))
            .ToList();
        var favourites = categories.OrderByDescending(c => c.Spend).ThenBy(c => c.Category, StringComparer.Ordinal)
            .Take(3).Select(c => c.Category).ToList();
        return new CustomerTraits
        {
            Currency = currency,
            PaidOrders = orders.Count,
            TotalSpendMinor = spend,
            RefundedMinor = orders.Sum(o => o.RefundedMinor),
            AverageOrderValueMinor = orders.Count == 0 ? null : (long)Math.Round((decimal)spend / orders.Count, MidpointRounding.AwayFromZero),
            RefundCount = orders.Sum(o => o.Refunds),
            FirstOrderAt = first,
            LastOrderAt = last,
            PreviousOrderAt = orders.Count > 1 ? orders[^2].PaidAt : null,
            DaysSinceLastOrder = last is { } l ? (int)Math.Floor((now - l).TotalDays) : null,
            AverageDaysBetweenOrders = orders.Count < 2 ? null : (last!.Value - first!.Value).TotalDays / (orders.Count - 1),
            CouponUseRate = orders.Count == 0 ? null : (double)orders.Count(o => !string.IsNullOrEmpty(o.Coupon)) / orders.Count,
            FavouriteCategories = favourites,
            CategoriesBought = categories.Count,
            AcquisitionChannel = registrationChannel ?? orders.FirstOrDefault()?.Channel,
            LastSeenAt = lastSeenAt,
            OtherCurrencyOrders = paidOrders.Count(o => o.Currency != currency && o.PaidAt <= now),
            Lifecycle = Traits.Lifecycle.Of(orders.Select(o => o.PaidAt).ToList(), now, lifecycle),
        };
    }

    /// <summary>A money amount of these traits in major units of their currency.</summary>
    public decimal Major(long minor) => Money.ToMajor(minor, Currency);
}
