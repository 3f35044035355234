using System.Text.Json;
using Flywheel.Modules.Analytics.Insights;
using Flywheel.Modules.Analytics.Overview;
using Flywheel.Platform;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>A report made: its figures, its charts and its HTML page.</summary>
public sealed record MadeReport(ReportFigures Figures, IReadOnlyList<(string Name, byte[] Png)> Charts, string Html);

/// <summary>
/// Makes a subscription's report for a period: the core metrics from <see cref="OverviewQuery"/> for the period and the
/// previous one of the same cadence (the previous week, month or quarter), the anomalies of the period's days and the
/// explanation of GMV's change from <see cref="InsightsQuery"/>, then the problems and suggestions of
/// <see cref="ReportAnalysis"/>, the charts and the page.
/// </summary>
public sealed class ReportMaker(OverviewQuery overview, InsightsQuery insights, TimeProvider clock)
{
    /// <summary>How many of the biggest dimension-value moves the report lists.</summary>
    public const int TopMoverCount = 6;

    public static readonly IReadOnlyList<string> Metrics =
        ["gmv", "paid_orders", "aov", "uv", "new_customers", "paying_customers", "conversion_rate", "repurchase_rate"];

    public async Task<MadeReport> MakeAsync(ReportSubscription s, string runId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (previousFrom, previousTo) = ReportSchedule.Previous(s.Cadence, from);
        var current = await overview.GetAsync(s.WorkspaceId, from, to, OverviewQuery.DefaultRepurchaseWindowDays, ct);
        var previous = await overview.GetAsync(s.WorkspaceId, previousFrom, previousTo, OverviewQuery.DefaultRepurchaseWindowDays, ct);
        var targets = ReportTargets.Parse(s.Targets);
        var metrics = Metrics.Select(m => Line(m, Value(current, m), Value(previous, m), targets.TryGetValue(m, out var t) ? t : null)).ToList();

        IReadOnlyList<InsightsViews.AlarmView> alarms = [];
        if (to.DayNumber - from.DayNumber + 1 <= InsightsQuery.MaxAnomalyDays)
        {
            alarms = InsightsViews.View(await insights.AnomaliesAsync(s.WorkspaceId, from, to, ct)).Anomalies;
        }
        var gmvChange = InsightsViews.View(await insights.ExplainAsync(s.WorkspaceId, ExplainedMetric.Gmv, from, to, previousFrom, previousTo, ct));
        var movers = gmvChange.Dimensions
            .SelectMany(d => d.Values.Where(v => v.Change != 0).Select(v => new TopMover(d.Dimension, v.Value, v.Previous, v.Current, v.Change, v.ShareOfChange)))
            .OrderByDescending(m => Math.Abs(m.Change)).ThenBy(m => m.Dimension, StringComparer.Ordinal).ThenBy(m => m.Value, StringComparer.Ordinal)
            .Take(TopMoverCount).ToList();
        var text = ReportText.For(s.Locale);
        var problems = ReportAnalysis.Problems(metrics, alarms);
        var suggestions = ReportAnalysis.Suggestions(problems, gmvChange, text);
        var daily = current.Daily.Select(d => new ReportDay(d.Date, Money.ToMajor(d.GmvMinor, current.Currency), d.PaidOrders, d.Uv, d.NewCustomers)).ToList();
        var figures = new ReportFigures(
            runId, s.Id, s.Name, s.Cadence, s.Locale, from, to, previousFrom, previousTo, current.TimeZone, current.Currency, clock.GetUtcNow(),
            s.Background, s.Goals, metrics, gmvChange, movers, problems, suggestions, daily);
        var charts = ReportCharts.Draw(daily, current.Currency);
        return new MadeReport(figures, charts, ReportHtml.Write(figures, charts));
    }

    public static string Serialize(ReportFigures figures) => JsonSerializer.Serialize(figures, ApiJson.Options);

    /// <summary>A core metric of an overview's range, as the report shows it (money in major units).</summary>
    public static decimal? Value(OverviewResult o, string metric) => metric switch
    {
        "gmv" => Money.ToMajor(o.GmvMinor.Current, o.Currency),
        "paid_orders" => o.PaidOrders.Current,
        "aov" => o.AovMinor.Current is { } aov ? Money.ToMajor(aov, o.Currency) : null,
        "uv" => o.Uv.Current,
        "new_customers" => o.NewCustomers.Current,
        "paying_customers" => o.PayingCustomers.Current,
        "conversion_rate" => o.Uv.Current == 0 ? null : Math.Round((decimal)o.PaidOrders.Current / o.Uv.Current, 4, MidpointRounding.AwayFromZero),
        "repurchase_rate" => o.Repurchase.Rate,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a report metric."),
    };

    public static MetricLine Line(string metric, decimal? current, decimal? previous, decimal? target) => new(
        metric, current, previous,
        current is { } c && previous is { } p && p != 0 ? Math.Round((c - p) / p, 4, MidpointRounding.AwayFromZero) : null,
        target,
        // Unknown (a rate nobody is eligible for yet) is neither met nor missed.
        target is { } t && current is { } v ? v >= t : null);
}
