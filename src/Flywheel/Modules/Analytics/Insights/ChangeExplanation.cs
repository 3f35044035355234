namespace Flywheel.Modules.Analytics.Insights;

/// <summary>The metrics whose change between two periods can be explained.</summary>
public enum ExplainedMetric
{
    /// <summary>GMV = UV × order rate × payment rate × AOV; units are minor units of the currency.</summary>
    Gmv,
    /// <summary>Paid orders = UV × order rate × payment rate; units are hundredths of an order.</summary>
    PaidOrders,
}

/// <summary>A paid order as the drill-down sees it: the dimension values it belongs to and what it paid.</summary>
public sealed record OrderFact(string Channel, string Category, string CustomerType, long TotalMinor);

/// <summary>What one period adds up to: visitors, placed orders and the paid orders with their dimensions.</summary>
public sealed record PeriodFacts(long Uv, long PlacedOrders, IReadOnlyList<OrderFact> PaidOrders)
{
    public long GmvMinor => PaidOrders.Sum(o => o.TotalMinor);
}

/// <summary>A factor's values in both periods and its share of the metric's change, in the metric's units.</summary>
public sealed record FactorContribution(string Factor, double Previous, double Current, double? RelativeChange, long ContributionUnits);

/// <summary>
/// One value of a dimension: the metric in both periods and its difference (its contribution: the values' differences
/// add up to the metric's change). For GMV the difference is split further into the effect of the number of orders and
/// that of the value's AOV (null when the value has no orders in one of the periods).
/// </summary>
public sealed record ValueContribution(
    string Value, long PreviousUnits, long CurrentUnits, long ChangeUnits, double? ShareOfChange,
    long PreviousOrders, long CurrentOrders, long? OrdersEffectUnits, long? AovEffectUnits);

public sealed record DimensionBreakdown(string Dimension, IReadOnlyList<ValueContribution> Values);

/// <summary>
/// One step of the drill-down: <c>metric</c> (the change itself), <c>factor</c> (the factor that moved most in the
/// change's direction), <c>dimension</c> (the dimension value the change is most concentrated in) and <c>within</c>
/// (inside that value, the value of another dimension that carries most of it).
/// </summary>
public sealed record DrillStep(string Kind, string Name, string? Value, long ContributionUnits, double? ShareOfChange, string? Within);

public sealed record Explanation(
    ExplainedMetric Metric, long PreviousUnits, long CurrentUnits, long ChangeUnits, double? RelativeChange,
    IReadOnlyList<FactorContribution>? Factors, string? FactorsUnavailable, IReadOnlyList<DimensionBreakdown> Dimensions,
    IReadOnlyList<DrillStep> Path);

/// <summary>
/// Explains the change of GMV or paid orders between two periods: into factors (the metric as a product, split exactly
/// by <see cref="LogDecomposition"/>) and into the values of each dimension (channel, customer type, category), ranked
/// by how much of the change each carries, then follows the biggest piece down as a drill path.
/// </summary>
public static class ChangeExplanation
{
    public const string Channel = "channel";
    public const string CustomerType = "customer_type";
    public const string Category = "category";
    public static readonly IReadOnlyList<string> Dimensions = [Channel, CustomerType, Category];

    /// <summary>Units per order for <see cref="ExplainedMetric.PaidOrders"/>: factor shares are fractions of an order.</summary>
    public const long OrderUnits = 100;

    public static Explanation Explain(ExplainedMetric metric, PeriodFacts previous, PeriodFacts current)
    {
        var previousUnits = Units(metric, previous.PaidOrders);
        var currentUnits = Units(metric, current.PaidOrders);
        var change = currentUnits - previousUnits;
        var (factors, unavailable) = Factors(metric, previous, current, previousUnits, currentUnits);
        var dimensions = Dimensions.Select(d => Breakdown(metric, d, previous.PaidOrders, current.PaidOrders, change)).ToList();
        return new Explanation(
            metric, previousUnits, currentUnits, change, previousUnits == 0 ? null : (double)change / previousUnits,
            factors, unavailable, dimensions, Path(metric, previous, current, change, factors, dimensions));
    }

    private static long Units(ExplainedMetric metric, IEnumerable<OrderFact> orders) =>
        metric == ExplainedMetric.Gmv ? orders.Sum(o => o.TotalMinor) : orders.LongCount() * OrderUnits;

    private static (IReadOnlyList<FactorContribution>?, string?) Factors(
        ExplainedMetric metric, PeriodFacts previous, PeriodFacts current, long previousUnits, long currentUnits)
    {
        // UV × (placed / UV) × (paid / placed) [× GMV / paid] is the metric itself, so the factors multiply back to it.
        var pairs = new List<(string Name, double Previous, double Current)>
        {
            ("uv", previous.Uv, current.Uv),
            ("order_rate", Ratio(previous.PlacedOrders, previous.Uv), Ratio(current.PlacedOrders, current.Uv)),
            ("payment_rate", Ratio(previous.PaidOrders.Count, previous.PlacedOrders), Ratio(current.PaidOrders.Count, current.PlacedOrders)),
        };
        if (metric == ExplainedMetric.Gmv)
        {
            pairs.Add(("aov", Ratio(previous.GmvMinor, previous.PaidOrders.Count), Ratio(current.GmvMinor, current.PaidOrders.Count)));
        }
        var split = LogDecomposition.Split(pairs.Select(p => (p.Previous, p.Current)).ToList(), previousUnits, currentUnits);
        if (split is null)
        {
            return (null, "A factor (visitors, placed orders, paid orders or their value) is zero in one of the periods, so the change cannot be split into factors; the breakdown by dimension still holds.");
        }
        return (pairs.Select((p, i) => new FactorContribution(
            p.Name, p.Previous, p.Current, p.Previous == 0 ? null : (p.Current - p.Previous) / p.Previous, split[i])).ToList(), null);
    }

    private static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;

    /// <summary>The values of <paramref name="dimension"/>, the biggest contributors in the change's direction first.</summary>
    public static DimensionBreakdown Breakdown(
        ExplainedMetric metric, string dimension, IReadOnlyList<OrderFact> previous, IReadOnlyList<OrderFact> current, long totalChange)
    {
        var before = previous.GroupBy(o => ValueOf(o, dimension)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var after = current.GroupBy(o => ValueOf(o, dimension)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var direction = Math.Sign(totalChange);
        var values = before.Keys.Union(after.Keys).Select(value =>
        {
            var p = before.GetValueOrDefault(value) ?? [];
            var c = after.GetValueOrDefault(value) ?? [];
            var pu = Units(metric, p);
            var cu = Units(metric, c);
            long? ordersEffect = null, aovEffect = null;
            if (metric == ExplainedMetric.Gmv && LogDecomposition.Split(
                    [(p.Count, c.Count), ((double)pu / Math.Max(1, p.Count), (double)cu / Math.Max(1, c.Count))], pu, cu) is { } split)
            {
                ordersEffect = split[0];
                aovEffect = split[1];
            }
            return new ValueContribution(value, pu, cu, cu - pu, totalChange == 0 ? null : (double)(cu - pu) / totalChange,
                p.Count, c.Count, ordersEffect, aovEffect);
        })
        .OrderByDescending(v => direction == 0 ? Math.Abs(v.ChangeUnits) : direction * v.ChangeUnits)
        .ThenBy(v => v.Value, StringComparer.Ordinal)
        .ToList();
        return new DimensionBreakdown(dimension, values);
    }

    private static ValueContribution? Leading(DimensionBreakdown breakdown) => breakdown.Values.Count > 0 ? breakdown.Values[0] : null;

    public static string ValueOf(OrderFact order, string dimension) => dimension switch
    {
        Channel => order.Channel,
        CustomerType => order.CustomerType,
        Category => order.Category,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Not a dimension of the drill-down."),
    };

    private static List<DrillStep> Path(
        ExplainedMetric metric, PeriodFacts previous, PeriodFacts current, long change,
        IReadOnlyList<FactorContribution>? factors, IReadOnlyList<DimensionBreakdown> dimensions)
    {
        var name = metric == ExplainedMetric.Gmv ? "gmv" : "paid_orders";
        var path = new List<DrillStep> { new("metric", name, null, change, change == 0 ? null : 1, null) };
        var direction = Math.Sign(change);
        if (direction == 0)
        {
            return path;
        }
        double Share(long units) => (double)units / change;
        if (factors?.MaxBy(f => direction * f.ContributionUnits) is { } factor && direction * factor.ContributionUnits > 0)
        {
            path.Add(new DrillStep("factor", factor.Factor, null, factor.ContributionUnits, Share(factor.ContributionUnits), null));
        }
        // The dimension whose leading value carries the largest share of the change: where the change is concentrated.
        var top = dimensions.Select(d => (d.Dimension, Value: d.Values.Count > 0 ? d.Values[0] : null))
            .Where(t => t.Value is not null && direction * t.Value.ChangeUnits > 0)
            .OrderByDescending(t => direction * t.Value!.ChangeUnits).FirstOrDefault();
        if (top.Value is null)
        {
            return path;
        }
        path.Add(new DrillStep("dimension", top.Dimension, top.Value.Value, top.Value.ChangeUnits, Share(top.Value.ChangeUnits), null));
        // Inside that value, the other dimension whose leading value carries most of the change.
        var within = $"{top.Dimension}={top.Value.Value}";
        bool Inside(OrderFact o) => ValueOf(o, top.Dimension) == top.Value.Value;
        var inner = Dimensions.Where(d => d != top.Dimension)
            .Select(d => (Dimension: d, Value: Leading(Breakdown(metric, d, previous.PaidOrders.Where(Inside).ToList(),
                current.PaidOrders.Where(Inside).ToList(), change))))
            .Where(t => t.Value is not null && direction * t.Value.ChangeUnits > 0)
            .OrderByDescending(t => direction * t.Value!.ChangeUnits).FirstOrDefault();
        if (inner.Value is not null)
        {
            path.Add(new DrillStep("within", inner.Dimension, inner.Value.Value, inner.Value.ChangeUnits, Share(inner.Value.ChangeUnits), within));
        }
        return path;
    }
}
