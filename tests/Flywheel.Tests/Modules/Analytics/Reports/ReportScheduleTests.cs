using Flywheel.Modules.Analytics.Reports;

namespace Flywheel.Tests.Modules.Analytics.Reports;

/// <summary>Due times and periods of reports in Asia/Shanghai (UTC+8, no daylight saving).</summary>
public sealed class ReportScheduleTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void AWeeklyReport_IsDueMonday0900Local_AndCoversThePreviousMondayToSunday()
    {
        // Wednesday 18 Nov 2026 08:00 UTC = 16:00 local. The next Monday is 23 Nov; 09:00 local = 01:00 UTC.
        var due = ReportSchedule.NextDue(ReportCadences.Weekly, new TimeOnly(9, 0), Shanghai, new DateTimeOffset(2026, 11, 18, 8, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero), due);
        // Due on Monday 23 Nov (local): the week before, Monday 16 to Sunday 22 November.
        Assert.Equal((new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 22)), ReportSchedule.PeriodBefore(ReportCadences.Weekly, new DateOnly(2026, 11, 23)));
        // Made on a Sunday instead (a run now), it still covers the last whole week: 9–15 November.
        Assert.Equal((new DateOnly(2026, 11, 9), new DateOnly(2026, 11, 15)), ReportSchedule.PeriodBefore(ReportCadences.Weekly, new DateOnly(2026, 11, 22)));
    }

    [Fact]
    public void AtItsDueTime_TheNextIsAWeekLater()
    {
        var due = new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

        Assert.Equal(due.AddDays(7), ReportSchedule.NextDue(ReportCadences.Weekly, new TimeOnly(9, 0), Shanghai, due));
    }

    [Fact]
    public void MonthlyAndQuarterlyReports_AreDueOnTheFirst_AndCoverTheWholePreviousMonthOrQuarter()
    {
        var after = new DateTimeOffset(2026, 11, 18, 8, 0, 0, TimeSpan.Zero);

        // 1 Dec 08:30 local = 00:30 UTC the same day; likewise 1 Jan 2027.
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 30, 0, TimeSpan.Zero), ReportSchedule.NextDue(ReportCadences.Monthly, new TimeOnly(8, 30), Shanghai, after));
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 30, 0, TimeSpan.Zero), ReportSchedule.NextDue(ReportCadences.Quarterly, new TimeOnly(8, 30), Shanghai, after));
        // A send time before 08:00 local falls on the UTC day before: 1 Dec 07:00 local = 30 Nov 23:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), ReportSchedule.NextDue(ReportCadences.Monthly, new TimeOnly(7, 0), Shanghai, after));
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)), ReportSchedule.PeriodBefore(ReportCadences.Monthly, new DateOnly(2026, 12, 1)));
        Assert.Equal((new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)), ReportSchedule.PeriodBefore(ReportCadences.Monthly, new DateOnly(2026, 3, 1)));
        Assert.Equal((new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31)), ReportSchedule.PeriodBefore(ReportCadences.Quarterly, new DateOnly(2027, 1, 1)));
        Assert.Equal((new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30)), ReportSchedule.PeriodBefore(ReportCadences.Quarterly, new DateOnly(2026, 11, 18)));
    }
}
