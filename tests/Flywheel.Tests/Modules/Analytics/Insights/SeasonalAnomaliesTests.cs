using Flywheel.Modules.Analytics.Insights;

namespace Flywheel.Tests.Modules.Analytics.Insights;

/// <summary>
/// The seasonal detector on a synthetic daily series with a weekly rhythm, worked out by hand. The series starts on
/// Monday 7 September 2026: Monday–Thursday 100, Friday 120, Saturday 160, Sunday 150, plus 4 in odd weeks (week 0 is
/// 7–13 September), so that the baseline has some spread.
/// </summary>
public sealed class SeasonalAnomaliesTests
{
    private static readonly DateOnly Start = new(2026, 9, 7);
    private static readonly DateOnly End = new(2026, 11, 22);

    private static double Normal(DateOnly day)
    {
        double[] byWeekday = [150, 100, 100, 100, 100, 120, 160]; // Sunday first, as DayOfWeek counts
        var week = (day.DayNumber - Start.DayNumber) / 7;
        return byWeekday[(int)day.DayOfWeek] + (week % 2 == 1 ? 4 : 0);
    }

    private static List<DailyValue> Series(Func<DateOnly, double> value)
    {
        var list = new List<DailyValue>();
        for (var d = Start; d <= End; d = d.AddDays(1))
        {
            list.Add(new DailyValue(d, value(d)));
        }
        return list;
    }

    /// <summary>双11 (Wednesday 11 November 2026) and the days just around it sell five times as much.</summary>
    private static double WithDouble11(DateOnly day) =>
        day >= new DateOnly(2026, 11, 9) && day <= new DateOnly(2026, 11, 13) ? 5 * Normal(day) : Normal(day);

    [Fact]
    public void WeeklyRhythm_WithADouble11Peak_RaisesNoAlarm()
    {
        var checks = SeasonalAnomalies.Check(Series(WithDouble11), new DateOnly(2026, 11, 2), End);

        Assert.DoesNotContain(checks, c => c.Status == DayStatus.Anomaly);
        // The peak is outside its baseline (a Wednesday of 100 or 104 against 500 or 520) but inside the festival's window:
        // seasonality, not an alarm.
        var peak = checks.Single(c => c.Date == new DateOnly(2026, 11, 11));
        Assert.Equal(DayStatus.Festival, peak.Status);
        Assert.Equal("double_11", peak.Festival);
        // Saturdays sell 60 % more than weekdays, yet each is normal against the Saturdays before it.
        Assert.All(checks.Where(c => c.Date.DayOfWeek == DayOfWeek.Saturday && c.Festival is null), c => Assert.Equal(DayStatus.Normal, c.Status));
        // The Wednesday after the season (18 Nov) leaves the Wednesdays in 双11's window (20 Oct – 15 Nov: 21 Oct, 28 Oct,
        // 4 Nov, 11 Nov) out of its baseline: 14 Oct 104, 7 Oct 100, 30 Sep 104, 23 Sep 100; expected 102, not inflated.
        var after = checks.Single(c => c.Date == new DateOnly(2026, 11, 18));
        Assert.Equal(4, after.BaselineDays);
        Assert.Equal(102, after.Expected);
        Assert.Equal(DayStatus.Normal, after.Status);
    }

    [Fact]
    public void ARealDrop_OnAnOrdinaryDay_IsFlagged_WithItsScore()
    {
        // Thursday 19 November falls to 60.
        var drop = new DateOnly(2026, 11, 19);
        var checks = SeasonalAnomalies.Check(Series(d => d == drop ? 60 : WithDouble11(d)), new DateOnly(2026, 11, 2), End);

        var alarm = Assert.Single(checks, c => c.Status == DayStatus.Anomaly);
        Assert.Equal(drop, alarm.Date);
        // Baseline: the Thursdays 15 Oct (week 5) 104, 8 Oct (4) 100, 1 Oct (3) 104, 24 Sep (2) 100; 22 Oct, 29 Oct,
        // 5 Nov and 12 Nov are in 双11's window (20 Oct – 15 Nov) and left out: 4 days.
        // Sorted 100 100 104 104: median 102. |deviations| 2 2 2 2: MAD 2, scale 1.4826 × 2 = 2.9652.
        // Score (60 − 102) / 2.9652 = −14.1643; change −42 / 102 = −0.41176.
        Assert.Equal(4, alarm.BaselineDays);
        Assert.Equal(102, alarm.Expected);
        Assert.Equal(-14.1643, alarm.Score!.Value, 0.0001);
        Assert.Equal(-0.41176, alarm.RelativeChange!.Value, 0.00001);
    }

    [Fact]
    public void ASmallWobble_OnASteadySeries_IsNotAnAlarm()
    {
        // Every Tuesday 100 for eight weeks, then 110: the baseline has no spread at all, so the score is infinite, but a
        // 10 % change is under the 20 % a change must reach to be an alarm.
        var day = new DateOnly(2026, 11, 17);
        var series = Enumerable.Range(0, 9).Select(w => new DailyValue(day.AddDays(-7 * w), w == 0 ? 110 : 100)).ToList();

        var check = Assert.Single(SeasonalAnomalies.Check(series, day, day));

        Assert.Equal(double.PositiveInfinity, check.Score);
        Assert.Equal(DayStatus.Normal, check.Status);
    }

    [Fact]
    public void TooLittleHistory_IsSaid_NotGuessed()
    {
        // Three earlier Tuesdays, 13 Oct, 6 Oct and 29 Sep, none in a festival window: one fewer than a baseline needs.
        var day = new DateOnly(2026, 10, 20);
        var series = Enumerable.Range(0, 4).Select(w => new DailyValue(day.AddDays(-7 * w), 100)).ToList();

        var check = Assert.Single(SeasonalAnomalies.Check(series, day, day));

        Assert.Equal(3, check.BaselineDays);
        Assert.Equal(DayStatus.InsufficientHistory, check.Status);
    }

    [Fact]
    public void FirstSales_AfterWeeksOfNothing_AreNotAnAlarm()
    {
        // Eight Tuesdays of 0, then 50: a baseline of zeros says nothing about what is normal.
        var day = new DateOnly(2026, 10, 20);
        var series = Enumerable.Range(0, 9).Select(w => new DailyValue(day.AddDays(-7 * w), w == 0 ? 50 : 0)).ToList();

        Assert.Equal(DayStatus.InsufficientHistory, Assert.Single(SeasonalAnomalies.Check(series, day, day)).Status);
    }

    [Fact]
    public void ChineseNewYear_ComesFromThePublishedTable()
    {
        // 2026: 17 February (Hong Kong Observatory). The window runs from ten days before to seven after.
        Assert.Equal("chinese_new_year", FestivalCalendar.On(new DateOnly(2026, 2, 17))?.Name);
        Assert.Equal("chinese_new_year", FestivalCalendar.On(new DateOnly(2026, 2, 7))?.Name);
        Assert.Null(FestivalCalendar.On(new DateOnly(2026, 2, 6)));
        Assert.Equal("chinese_new_year", FestivalCalendar.On(new DateOnly(2026, 2, 24))?.Name);
        Assert.Null(FestivalCalendar.On(new DateOnly(2026, 2, 25)));
        // 2028's falls on 26 January: ten days before is 16 January.
        Assert.Equal("chinese_new_year", FestivalCalendar.On(new DateOnly(2028, 1, 16))?.Name);
        // 618's season runs from 20 May to 22 June; 双11's from 20 October to 15 November.
        Assert.Null(FestivalCalendar.On(new DateOnly(2027, 5, 19)));
        Assert.Equal("618", FestivalCalendar.On(new DateOnly(2027, 5, 20))?.Name);
        Assert.Equal("618", FestivalCalendar.On(new DateOnly(2027, 6, 22))?.Name);
        Assert.Null(FestivalCalendar.On(new DateOnly(2027, 6, 23)));
        Assert.Equal("double_11", FestivalCalendar.On(new DateOnly(2027, 10, 20))?.Name);
        Assert.Null(FestivalCalendar.On(new DateOnly(2027, 11, 16)));
        // A year outside the table has no Chinese New Year window rather than a guessed one.
        Assert.Null(FestivalCalendar.On(new DateOnly(2035, 2, 8)));
    }
}
