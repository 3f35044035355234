using Flywheel.Platform;

namespace Flywheel.Modules.Analytics.Insights;

/// <summary>How insights are shown in the API and the console: money in major units, rates and scores rounded.</summary>
public static class InsightsViews
{
    public sealed record AnomaliesView(
        DateOnly From, DateOnly To, string TimeZone, string Currency, DateTimeOffset AsOf, MethodView Method,
        IReadOnlyList<AlarmView> Anomalies, IReadOnlyList<MetricView> Metrics);

    public sealed record MethodView(string Name, int BaselineWeeks, int MinBaselineDays, double Threshold, double MinRelativeChange);

    public sealed record AlarmView(string Metric, DateOnly Date, decimal? Value, decimal? Expected, double? Score, double? RelativeChange, string Direction, string Severity);

    public sealed record MetricView(string Metric, IReadOnlyList<DayView> Days);

    public sealed record DayView(
        DateOnly Date, decimal? Value, decimal? Expected, double? Score, double? RelativeChange, int BaselineDays, string Status, string? Festival);

    public sealed record ExplainView(
        string Metric, DateOnly From, DateOnly To, DateOnly CompareFrom, DateOnly CompareTo, string TimeZone, string Currency,
        decimal Current, decimal Previous, decimal Change, double? RelativeChange,
        IReadOnlyList<FactorView>? Factors, string? FactorsUnavailable, IReadOnlyList<DimensionView> Dimensions, IReadOnlyList<StepView> Path);

    public sealed record FactorView(string Factor, decimal Previous, decimal Current, double? RelativeChange, decimal Contribution);

    public sealed record DimensionView(string Dimension, IReadOnlyList<ValueView> Values);

    public sealed record ValueView(
        string Value, decimal Previous, decimal Current, decimal Change, double? ShareOfChange, long PreviousOrders, long CurrentOrders,
        decimal? OrdersEffect, decimal? AovEffect);

    public sealed record StepView(string Kind, string Name, string? Value, decimal Contribution, double? ShareOfChange, string? Within);

    public static AnomaliesView View(AnomalyReport r) => new(
        r.From, r.To, r.TimeZone, r.Currency, r.AsOf,
        new MethodView("same-weekday robust z-score (median / MAD) with a festival calendar", SeasonalAnomalies.BaselineWeeks,
            SeasonalAnomalies.MinBaselineDays, SeasonalAnomalies.Threshold, SeasonalAnomalies.MinRelativeChange),
        r.Alarms.Select(a => new AlarmView(a.Metric, a.Day.Date, Value(a.Metric, a.Day.Value, r.Currency), Value(a.Metric, a.Day.Expected, r.Currency),
            Score(a.Day.Score), Round(a.Day.RelativeChange), a.Day.Value >= a.Day.Expected ? "up" : "down",
            a.Day.Score is { } s && Math.Abs(s) >= 2 * SeasonalAnomalies.Threshold ? "high" : "medium")).ToList(),
        r.Metrics.Select(m => new MetricView(m.Metric, m.Days.Select(d => new DayView(
            d.Date, Value(m.Metric, d.Value, r.Currency), Value(m.Metric, d.Expected, r.Currency), Score(d.Score), Round(d.RelativeChange),
            d.BaselineDays, Status(d.Status), d.Festival)).ToList())).ToList());

    /// <summary>A metric's value as shown: money metrics in major units (2 decimals past the currency's), rates to 4 decimals.</summary>
    public static decimal? Value(string metric, double? value, string currency) => value is not { } v ? null : metric switch
    {
        "gmv" or "aov" => Math.Round((decimal)v / Pow10(Money.MinorDigits(currency)), Money.MinorDigits(currency), MidpointRounding.AwayFromZero),
        "conversion_rate" => Math.Round((decimal)v, 4, MidpointRounding.AwayFromZero),
        _ => Math.Round((decimal)v, 2, MidpointRounding.AwayFromZero),
    };

    public static string Status(DayStatus status) => status switch
    {
        DayStatus.Normal => "normal",
        DayStatus.Anomaly => "anomaly",
        DayStatus.Festival => "festival",
        DayStatus.InsufficientHistory => "insufficient_history",
        _ => "no_value",
    };

    /// <summary>Scores to 2 decimals; null when infinite (a baseline with no spread at all, and a different value).</summary>
    public static double? Score(double? score) => score is { } s && double.IsFinite(s) ? Math.Round(s, 2, MidpointRounding.AwayFromZero) : null;

    public static double? Round(double? ratio) => ratio is { } r ? Math.Round(r, 4, MidpointRounding.AwayFromZero) : null;

    public static ExplainView View(ExplainedChange c)
    {
        var e = c.Explanation;
        decimal Units(long units) => e.Metric == ExplainedMetric.Gmv
            ? Money.ToMajor(units, c.Currency)
            : (decimal)units / ChangeExplanation.OrderUnits;
        decimal? Maybe(long? units) => units is { } u ? Units(u) : null;
        return new ExplainView(
            MetricName(e.Metric), c.From, c.To, c.CompareFrom, c.CompareTo, c.TimeZone, c.Currency,
            Units(e.CurrentUnits), Units(e.PreviousUnits), Units(e.ChangeUnits), Round(e.RelativeChange),
            e.Factors?.Select(f => new FactorView(f.Factor, FactorValue(f.Factor, f.Previous, c.Currency), FactorValue(f.Factor, f.Current, c.Currency),
                Round(f.RelativeChange), Units(f.ContributionUnits))).ToList(),
            e.FactorsUnavailable,
            e.Dimensions.Select(d => new DimensionView(d.Dimension, d.Values.Select(v => new ValueView(
                v.Value, Units(v.PreviousUnits), Units(v.CurrentUnits), Units(v.ChangeUnits), Round(v.ShareOfChange), v.PreviousOrders, v.CurrentOrders,
                Maybe(v.OrdersEffectUnits), Maybe(v.AovEffectUnits))).ToList())).ToList(),
            e.Path.Select(s => new StepView(s.Kind, s.Name, s.Value, Units(s.ContributionUnits), Round(s.ShareOfChange), s.Within)).ToList());
    }

    public static string MetricName(ExplainedMetric metric) => metric == ExplainedMetric.Gmv ? "gmv" : "paid_orders";

    private static decimal FactorValue(string factor, double value, string currency) => factor switch
    {
        "aov" => Math.Round((decimal)value / Pow10(Money.MinorDigits(currency)), Money.MinorDigits(currency), MidpointRounding.AwayFromZero),
        "uv" => (decimal)value,
        _ => Math.Round((decimal)value, 4, MidpointRounding.AwayFromZero),
    };

    private static decimal Pow10(int digits) => digits switch { 0 => 1m, 1 => 10m, 2 => 100m, 3 => 1000m, _ => (decimal)Math.Pow(10, digits) };
}
