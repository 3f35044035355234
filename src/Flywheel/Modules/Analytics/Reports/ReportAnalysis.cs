using Flywheel.Modules.Analytics.Insights;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// The problems a report finds and the suggestions it makes, by fixed rules (docs/reports.md lists them). Pure: figures
/// in, problems and suggestions out, so every rule is tested on its own.
/// </summary>
public static class ReportAnalysis
{
    /// <summary>A metric down by this much or more on the previous period is a problem.</summary>
    public const decimal DeclineThreshold = -0.10m;

    /// <summary>A fall at least this concentrated in one dimension value gets a suggestion about that value.</summary>
    public const double ConcentrationThreshold = 0.5;

    public static IReadOnlyList<Problem> Problems(IReadOnlyList<MetricLine> metrics, IReadOnlyList<InsightsViews.AlarmView> alarms)
    {
        var problems = new List<Problem>();
        foreach (var m in metrics)
        {
            if (m.TargetMet == false)
            {
                problems.Add(new Problem($"below_target:{m.Metric}", "below_target", m.Metric, null, m.Current, m.Target,
                    m.Current is { } c && m.Target is { } t && t != 0 ? Math.Round((c - t) / t, 4, MidpointRounding.AwayFromZero) : null));
            }
            if (m.Change <= DeclineThreshold)
            {
                problems.Add(new Problem($"decline:{m.Metric}", "decline", m.Metric, null, m.Current, m.Previous, m.Change));
            }
        }
        foreach (var a in alarms.Where(a => a.Direction == "down").OrderBy(a => a.Date).ThenBy(a => a.Metric, StringComparer.Ordinal))
        {
            problems.Add(new Problem($"anomaly:{a.Metric}:{a.Date:yyyy-MM-dd}", "anomaly", a.Metric, a.Date, a.Value, a.Expected,
                a.RelativeChange is { } r ? Math.Round((decimal)r, 4, MidpointRounding.AwayFromZero) : null));
        }
        return problems;
    }

    /// <summary>
    /// One suggestion per rule that fires, tied to the problems that made it fire. Rules on a metric fire on its
    /// below-target or decline problems; the factor rules fire when GMV fell and that factor carried the largest part of
    /// the fall; the concentration rule when one dimension value carried at least half of it.
    /// </summary>
    public static IReadOnlyList<Suggestion> Suggestions(IReadOnlyList<Problem> problems, InsightsViews.ExplainView? gmvChange, ReportText text)
    {
        var suggestions = new List<Suggestion>();
        var gmvProblems = problems.Where(p => p.Metric == "gmv" && p.Kind != "anomaly").Select(p => p.Id).ToList();
        var fell = gmvChange is { Change: < 0 };
        var topFactor = fell ? gmvChange!.Path.FirstOrDefault(s => s.Kind == "factor")?.Name : null;

        void OnMetric(string rule, string metric, string? factor)
        {
            var ids = problems.Where(p => p.Metric == metric && p.Kind != "anomaly").Select(p => p.Id).ToList();
            if (factor is not null && topFactor == factor)
            {
                // The factor that carried GMV's fall answers GMV's problems too (or names the fall when GMV had none).
                ids.AddRange(gmvProblems.Count > 0 ? gmvProblems : ["gmv_fall"]);
            }
            if (ids.Count > 0)
            {
                suggestions.Add(new Suggestion(rule, ids.Distinct(StringComparer.Ordinal).ToList(), text.Rule(rule, null)));
            }
        }

        OnMetric("traffic", "uv", "uv");
        OnMetric("order_rate", "conversion_rate", "order_rate");
        if (topFactor == "payment_rate")
        {
            suggestions.Add(new Suggestion("payment_rate", gmvProblems.Count > 0 ? gmvProblems : ["gmv_fall"], text.Rule("payment_rate", null)));
        }
        OnMetric("basket_size", "aov", "aov");
        OnMetric("acquisition", "new_customers", null);
        OnMetric("retention", "repurchase_rate", null);
        OnMetric("paying_customers", "paying_customers", null);
        if (fell && gmvChange!.Path.FirstOrDefault(s => s.Kind == "dimension") is { ShareOfChange: >= ConcentrationThreshold } step)
        {
            suggestions.Add(new Suggestion("concentration", gmvProblems.Count > 0 ? gmvProblems : ["gmv_fall"],
                text.Rule("concentration", $"{text.Dimension(step.Name)} = {step.Value} ({step.ShareOfChange:P0})")));
        }
        var gmvTarget = problems.Where(p => p.Kind == "below_target" && p.Metric == "gmv").Select(p => p.Id).ToList();
        if (gmvTarget.Count > 0)
        {
            suggestions.Add(new Suggestion("gmv_target", gmvTarget, text.Rule("gmv_target", null)));
        }
        foreach (var anomaly in problems.Where(p => p.Kind == "anomaly"))
        {
            suggestions.Add(new Suggestion("anomaly_day", [anomaly.Id], text.Rule("anomaly_day", $"{anomaly.Date:yyyy-MM-dd} ({text.Metric(anomaly.Metric)})")));
        }
        return suggestions;
    }
}
