namespace Flywheel.Modules.Analytics.Insights;

/// <summary>A metric's value on one local day; null when it is undefined that day (a rate without a denominator).</summary>
public sealed record DailyValue(DateOnly Date, double? Value);

/// <summary>What the detector concluded about one day.</summary>
public enum DayStatus
{
    /// <summary>Within what the same weekdays of the previous weeks make normal.</summary>
    Normal,
    /// <summary>Outside it, on an ordinary day: an alarm.</summary>
    Anomaly,
    /// <summary>Outside it, but inside a festival's window: expected seasonality, not an alarm.</summary>
    Festival,
    /// <summary>Fewer than <see cref="SeasonalAnomalies.MinBaselineDays"/> usable same-weekday days before it, or all of them zero.</summary>
    InsufficientHistory,
    /// <summary>The metric has no value that day.</summary>
    NoValue,
}

/// <summary>
/// One day checked against its baseline. <see cref="Expected"/> is the median of the same weekday over the previous
/// weeks, <see cref="Scale"/> the robust spread of those days, <see cref="Score"/> the robust z-score
/// (value − expected) / scale and <see cref="RelativeChange"/> (value − expected) / expected.
/// </summary>
public sealed record DayCheck(
    DateOnly Date, double? Value, double? Expected, double? Scale, double? Score, double? RelativeChange, int BaselineDays,
    DayStatus Status, string? Festival);

/// <summary>
/// Seasonal robust z-scores (the modified z-score of Iglewicz and Hoaglin, "How to Detect and Handle Outliers", 1993,
/// applied to a same-weekday baseline). A day is compared with the same weekday of the <see cref="BaselineWeeks"/> weeks
/// before it — which takes out the weekly rhythm (weekends against weekdays) — leaving out days inside a festival window,
/// so that last week's 双11 peak does not make this week look weak. Median and MAD rather than mean and standard
/// deviation, so that one earlier outlier cannot hide the next.
/// <list type="bullet">
/// <item>expected = median of the baseline days; MAD = median |b − expected|; scale = 1.4826 × MAD (the factor makes
/// the MAD estimate the standard deviation of normal data). When MAD is 0 (more than half the days equal), scale =
/// 1.2533 × mean |b − expected| (Iglewicz and Hoaglin's fallback); when that is 0 too, any difference scores infinite.</item>
/// <item>score = (value − expected) / scale; a day is outside its baseline when |score| ≥ <see cref="Threshold"/> (3.5,
/// their recommendation) and the value differs from expected by at least <see cref="MinRelativeChange"/> of it, so that
/// a steady series' tiny wobble is not an alarm.</item>
/// </list>
/// </summary>
public static class SeasonalAnomalies
{
    public const int BaselineWeeks = 8;
    public const int MinBaselineDays = 4;
    public const double Threshold = 3.5;
    public const double MinRelativeChange = 0.2;
    private const double MadToSigma = 1.4826;
    private const double MeanAdToSigma = 1.2533;

    /// <summary>Days of history a check of [from, to] needs before <c>from</c>.</summary>
    public static int HistoryDays => BaselineWeeks * 7;

    /// <summary>Checks each day of [<paramref name="from"/>, <paramref name="to"/>] against the series' earlier values.</summary>
    public static IReadOnlyList<DayCheck> Check(IReadOnlyList<DailyValue> series, DateOnly from, DateOnly to)
    {
        var byDate = series.ToDictionary(v => v.Date, v => v.Value);
        var checks = new List<DayCheck>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            checks.Add(CheckDay(byDate, day));
        }
        return checks;
    }

    private static DayCheck CheckDay(IReadOnlyDictionary<DateOnly, double?> byDate, DateOnly day)
    {
        var festival = FestivalCalendar.On(day)?.Name;
        var value = byDate.GetValueOrDefault(day);
        var baseline = new List<double>();
        for (var week = 1; week <= BaselineWeeks; week++)
        {
            var earlier = day.AddDays(-7 * week);
            if (FestivalCalendar.On(earlier) is null && byDate.GetValueOrDefault(earlier) is { } v)
            {
                baseline.Add(v);
            }
        }
        if (value is null)
        {
            return new DayCheck(day, null, null, null, null, null, baseline.Count, DayStatus.NoValue, festival);
        }
        // A baseline of nothing but zeros (a shop not yet trading, a metric not yet tracked) says nothing about what is
        // normal: its first sales are not an alarm.
        if (baseline.Count < MinBaselineDays || baseline.All(b => b == 0))
        {
            return new DayCheck(day, value, null, null, null, null, baseline.Count, DayStatus.InsufficientHistory, festival);
        }
        var expected = Median(baseline);
        var deviations = baseline.Select(b => Math.Abs(b - expected)).ToList();
        var scale = MadToSigma * Median(deviations);
        if (scale == 0)
        {
            scale = MeanAdToSigma * deviations.Average();
        }
        var difference = value.Value - expected;
        var score = difference == 0 ? 0 : scale == 0 ? Math.CopySign(double.PositiveInfinity, difference) : difference / scale;
        double? relative = expected == 0 ? null : difference / expected;
        var outside = Math.Abs(score) >= Threshold && Math.Abs(difference) >= MinRelativeChange * Math.Abs(expected);
        var status = !outside ? DayStatus.Normal : festival is null ? DayStatus.Anomaly : DayStatus.Festival;
        return new DayCheck(day, value, expected, scale, score, relative, baseline.Count, status, festival);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
