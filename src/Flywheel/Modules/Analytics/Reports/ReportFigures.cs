using Flywheel.Modules.Analytics.Insights;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// Everything a report says, as data: what the webhook sends, what the API shows and what the HTML is written from.
/// Money in major units of <see cref="Currency"/>; rates as fractions; changes as ratios (0.25 = +25 %).
/// </summary>
public sealed record ReportFigures(
    string RunId, string SubscriptionId, string Name, string Cadence, string Locale,
    DateOnly From, DateOnly To, DateOnly PreviousFrom, DateOnly PreviousTo, string TimeZone, string Currency, DateTimeOffset MadeAt,
    string? Background, string? Goals,
    IReadOnlyList<MetricLine> Metrics,
    InsightsViews.ExplainView? GmvChange,
    IReadOnlyList<TopMover> TopMovers,
    IReadOnlyList<Problem> Problems,
    IReadOnlyList<Suggestion> Suggestions,
    IReadOnlyList<ReportDay> Daily);

/// <summary>A core metric against the previous period and its target (met when current ≥ target; null without a target or a value).</summary>
public sealed record MetricLine(string Metric, decimal? Current, decimal? Previous, decimal? Change, decimal? Target, bool? TargetMet);

/// <summary>A dimension value whose GMV moved most between the periods.</summary>
public sealed record TopMover(string Dimension, string Value, decimal Previous, decimal Current, decimal Change, double? ShareOfChange);

/// <summary>
/// A problem the report found: <c>below_target</c>, <c>decline</c> (down 10 % or more on the previous period) or
/// <c>anomaly</c> (a day below its seasonal baseline); <see cref="Id"/> is what suggestions refer to.
/// </summary>
public sealed record Problem(string Id, string Kind, string Metric, DateOnly? Date, decimal? Value, decimal? Reference, decimal? Change);

/// <summary>A suggestion, the rule that produced it and the problems it answers.</summary>
public sealed record Suggestion(string Rule, IReadOnlyList<string> Problems, string Text);

public sealed record ReportDay(DateOnly Date, decimal Gmv, long PaidOrders, long Uv, long NewCustomers);
