using Flywheel.Platform;

namespace Flywheel.Modules.Analytics.Dashboard;

/// <summary>
/// How a metric's value reads: a count, money in the workspace currency, a share (0.25 = 25 %), seconds, or a ratio of
/// two amounts of money (ROAS 3.5 = 3.5 yuan back per yuan spent).
/// </summary>
public enum MetricUnit
{
    Count,
    Money,
    Rate,
    Seconds,
    Ratio,
}

/// <summary>One metric of the dashboard: its key in the API, its group, its unit and how it comes out of a <see cref="Tally"/>.</summary>
public sealed record DashboardMetric(string Key, string Group, MetricUnit Unit, Func<Tally, string, decimal?> Value);

/// <summary>
/// Every metric of the KPI dashboard, defined once (SPEC §5; docs/metrics.md, "KPI dashboard"). Each is computed from a
/// <see cref="Tally"/>, so the same definition serves a bucket of the series, the whole period and the period compared
/// with. A metric is null when its inputs are unknown (cut away, or counted only over a whole period) or its
/// denominator is 0. Rates are rounded to 4 decimals, money to the currency's minor unit, seconds to 1 decimal.
/// </summary>
public static class DashboardMetrics
{
    public const string Traffic = "traffic";
    public const string Conversion = "conversion";
    public const string Customers = "customers";
    public const string Sales = "sales";
    public const string Marketing = "marketing";

    public static readonly IReadOnlyList<int> RepurchaseWindows = [7, 30, 90];

    public static readonly IReadOnlyList<DashboardMetric> All =
    [
        new("pv", Traffic, MetricUnit.Count, (t, _) => t.Traffic?.PageViews),
        new("uv", Traffic, MetricUnit.Count, (t, _) => t.Traffic?.Visitors),
        new("new_visitor_share", Traffic, MetricUnit.Rate, (t, _) => Rate(t.Traffic?.NewVisitors, t.Traffic?.Visitors)),
        new("sessions", Traffic, MetricUnit.Count, (t, _) => t.Traffic?.Sessions),
        new("bounce_rate", Traffic, MetricUnit.Rate, (t, _) => Rate(t.Traffic?.Bounces, t.Traffic?.Sessions)),
        new("avg_visit_seconds", Traffic, MetricUnit.Seconds, (t, _) => t.Traffic is { Sessions: > 0 } f
            ? Math.Round(f.SessionMilliseconds / 1000m / f.Sessions, 1, MidpointRounding.AwayFromZero) : null),

        new("registration_rate", Conversion, MetricUnit.Rate, (t, _) => Rate(t.Traffic?.SignUps, t.Traffic?.NewVisitors)),
        new("view_to_cart_rate", Conversion, MetricUnit.Rate, (t, _) => Rate(t.Traffic?.CartAfterView, t.Traffic?.ProductViewers)),
        new("order_rate", Conversion, MetricUnit.Rate, (t, _) => Rate(t.Traffic?.OrderPlacers, t.Traffic?.Visitors)),
        new("payment_rate", Conversion, MetricUnit.Rate, (t, _) => t.HasSales ? Rate(t.Placed?.Paid, t.Placed?.Placed) : null),

        new("new_customers", Customers, MetricUnit.Count, (t, _) => t.NewCustomers),
        new("active_customers", Customers, MetricUnit.Count, (t, _) => t.Traffic?.ActiveCustomers),
        new("dau", Customers, MetricUnit.Count, (t, _) => t.DailyActive is { } d ? Math.Round(d, 1, MidpointRounding.AwayFromZero) : null),
        new("mau", Customers, MetricUnit.Count, (t, _) => t.MonthlyActive),
        new("stickiness", Customers, MetricUnit.Rate, (t, _) => t.DailyActive is { } d && t.MonthlyActive is > 0 ? Round(d / t.MonthlyActive.Value) : null),
        .. RepurchaseWindows.Select(w => new DashboardMetric($"repurchase_rate_{w}d", Customers, MetricUnit.Rate,
            (t, _) => t.Repurchase is { } r && r.TryGetValue(w, out var cohort) ? cohort.Rate : null)),
        new("period_repeat_rate", Customers, MetricUnit.Rate, (t, _) => t.HasSales ? Rate(t.RepeatCustomers, t.FirstPaid.Count) : null),
        new("dormant_wakeup_rate", Customers, MetricUnit.Rate, (t, _) => Rate(t.WakeUp?.Woken, t.WakeUp?.Dormant)),

        new("gmv", Sales, MetricUnit.Money, (t, c) => t.HasSales ? Money.ToMajor(t.GmvMinor, c) : null),
        new("net_sales", Sales, MetricUnit.Money, (t, c) => t.HasSales && t.RefundedMinor is { } r ? Money.ToMajor(t.GmvMinor - r, c) : null),
        new("orders", Sales, MetricUnit.Count, (t, _) => t.HasSales ? t.PaidOrders : null),
        new("paying_customers", Sales, MetricUnit.Count, (t, _) => t.HasSales ? t.FirstPaid.Count : null),
        new("aov", Sales, MetricUnit.Money, (t, c) => t.HasSales ? PerHead(t.GmvMinor, t.PaidOrders, c) : null),
        new("arpu", Sales, MetricUnit.Money, (t, c) => t.HasSales && t.Traffic is { } f ? PerHead(t.GmvMinor, f.ActiveCustomers, c) : null),
        new("arppu", Sales, MetricUnit.Money, (t, c) => t.HasSales ? PerHead(t.GmvMinor, t.FirstPaid.Count, c) : null),

        new("spend", Marketing, MetricUnit.Money, (t, c) => t.Marketing is { } m ? Money.ToMajor(m.SpendMinor, c) : null),
        new("impressions", Marketing, MetricUnit.Count, (t, _) => t.Marketing?.Impressions),
        new("clicks", Marketing, MetricUnit.Count, (t, _) => t.Marketing?.Clicks),
        new("ctr", Marketing, MetricUnit.Rate, (t, _) => Rate(t.Marketing?.Clicks, t.Marketing?.Impressions)),
        new("cpc", Marketing, MetricUnit.Money, (t, c) => t.Marketing is { } m ? PerHead(m.SpendMinor, m.Clicks, c) : null),
        new("attributed_conversions", Marketing, MetricUnit.Count, (t, _) => t.Marketing?.Conversions),
        new("cvr", Marketing, MetricUnit.Rate, (t, _) => t.Marketing is { Clicks: > 0 } m ? Round(m.Conversions / m.Clicks) : null),
        new("cpa", Marketing, MetricUnit.Money, (t, c) => t.Marketing is { } m ? PerShare(m.SpendMinor, m.Conversions, c) : null),
        new("new_paying_customers", Marketing, MetricUnit.Count, (t, _) => t.Marketing?.NewPayingCustomers),
        new("cac", Marketing, MetricUnit.Money, (t, c) => t.Marketing is { } m ? PerShare(m.SpendMinor, m.NewPayingCustomers, c) : null),
        new("attributed_revenue", Marketing, MetricUnit.Money, (t, _) => t.Marketing?.Revenue),
        new("roas", Marketing, MetricUnit.Ratio, (t, c) => t.Marketing is { SpendMinor: > 0 } m ? Round(m.Revenue / Money.ToMajor(m.SpendMinor, c)) : null),
        new("roi", Marketing, MetricUnit.Rate, (t, c) => t.Marketing is { SpendMinor: > 0, GrossMargin: { } margin } m
            ? Round(((m.Revenue * margin) - Money.ToMajor(m.SpendMinor, c)) / Money.ToMajor(m.SpendMinor, c)) : null),
    ];

    public static IReadOnlyList<string> Groups { get; } = [Traffic, Conversion, Customers, Sales, Marketing];

    /// <summary>(current − compared) / compared, rounded to 4 decimals; null when either is unknown or the compared is 0.</summary>
    public static decimal? Change(decimal? current, decimal? compared) =>
        current is { } c && compared is { } p && p != 0 ? Round((c - p) / p) : null;

    private static decimal? Rate(long? part, long? whole) => part is { } p && whole is > 0 ? Round((decimal)p / whole.Value) : null;

    private static decimal Round(decimal ratio) => Math.Round(ratio, 4, MidpointRounding.AwayFromZero);

    /// <summary>Money per order or per customer, rounded to the currency's minor unit half away from zero.</summary>
    private static decimal? PerHead(long totalMinor, long heads, string currency) =>
        heads > 0 ? Money.ToMajor((long)Math.Round((decimal)totalMinor / heads, MidpointRounding.AwayFromZero), currency) : null;

    /// <summary>Money per conversion or customer credited, which a multi-touch model may make fractional.</summary>
    private static decimal? PerShare(long totalMinor, decimal shares, string currency) =>
        shares > 0 ? Money.ToMajor((long)Math.Round(totalMinor / shares, MidpointRounding.AwayFromZero), currency) : null;
}
