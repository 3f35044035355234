using Flywheel.Modules.Analytics.Insights;
using Flywheel.Modules.Analytics.Reports;

namespace Flywheel.Tests.Modules.Analytics.Reports;

/// <summary>The problems a report finds and the rule behind each suggestion.</summary>
public sealed class ReportAnalysisTests
{
    private static readonly ReportText English = ReportText.For("en");

    [Fact]
    public void MetricsBelowTarget_OrDown10Percent_AndDaysBelowBaseline_AreProblems()
    {
        MetricLine[] metrics =
        [
            // GMV 800 against a target of 1000 (−20 %) and 1000 before (−20 %): two problems.
            ReportMaker.Line("gmv", 800m, 1000m, 1000m),
            // UV 95 from 100 is −5 %: not a decline; no target.
            ReportMaker.Line("uv", 95m, 100m, null),
            // New customers met their target of 10 exactly.
            ReportMaker.Line("new_customers", 10m, 10m, 10m),
        ];
        InsightsViews.AlarmView[] alarms =
        [
            new("paid_orders", new DateOnly(2026, 11, 18), 0m, 1m, null, -1, "down", "high"),
            // A day above its baseline is no problem.
            new("uv", new DateOnly(2026, 11, 19), 50m, 10m, 9, 4, "up", "high"),
        ];

        var problems = ReportAnalysis.Problems(metrics, alarms);

        Assert.Equal(["below_target:gmv", "decline:gmv", "anomaly:paid_orders:2026-11-18"], problems.Select(p => p.Id));
        Assert.Equal(-0.2m, problems[0].Change);
        Assert.Equal(-0.2m, problems[1].Change);
        Assert.True(metrics[2].TargetMet);
        Assert.Null(metrics[1].TargetMet);
    }

    [Fact]
    public void AFallAtPayment_ConcentratedInOneChannel_GetsThoseRules_TiedToGmvsProblems()
    {
        var problems = ReportAnalysis.Problems([ReportMaker.Line("gmv", 800m, 1000m, 1000m)], []);
        var change = Explain(
            new InsightsViews.StepView("metric", "gmv", null, -200m, 1, null),
            new InsightsViews.StepView("factor", "payment_rate", null, -200m, 1, null),
            new InsightsViews.StepView("dimension", "channel", "feed_ads", -150m, 0.75, null));

        var suggestions = ReportAnalysis.Suggestions(problems, change, English);

        Assert.Equal(["payment_rate", "concentration", "gmv_target"], suggestions.Select(s => s.Rule));
        Assert.Equal(["below_target:gmv", "decline:gmv"], suggestions[0].Problems);
        Assert.Contains("Channel = feed_ads (75", suggestions[1].Text, StringComparison.Ordinal);
        Assert.Equal(["below_target:gmv"], suggestions[2].Problems);
    }

    [Fact]
    public void AFallSpreadOverChannels_GetsNoConcentrationRule()
    {
        var change = Explain(
            new InsightsViews.StepView("metric", "gmv", null, -200m, 1, null),
            new InsightsViews.StepView("factor", "uv", null, -200m, 1, null),
            new InsightsViews.StepView("dimension", "channel", "feed_ads", -80m, 0.4, null));

        var suggestions = ReportAnalysis.Suggestions([], change, English);

        // No metric problem, but the fall in GMV carried by traffic still gets the traffic rule, tied to the fall itself.
        var only = Assert.Single(suggestions);
        Assert.Equal("traffic", only.Rule);
        Assert.Equal(["gmv_fall"], only.Problems);
    }

    [Fact]
    public void NoProblems_NoSuggestions()
    {
        var change = Explain(new InsightsViews.StepView("metric", "gmv", null, 100m, 1, null));

        Assert.Empty(ReportAnalysis.Suggestions(ReportAnalysis.Problems([ReportMaker.Line("gmv", 1100m, 1000m, 1000m)], []), change, English));
    }

    private static InsightsViews.ExplainView Explain(params InsightsViews.StepView[] path) => new(
        "gmv", new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 22), new DateOnly(2026, 11, 9), new DateOnly(2026, 11, 15), "Asia/Shanghai", "CNY",
        1000m + path[0].Contribution, 1000m, path[0].Contribution, (double)(path[0].Contribution / 1000m), null, null, [], path);
}
