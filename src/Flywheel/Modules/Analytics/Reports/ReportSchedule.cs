using Cronos;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>The cadences a report can have.</summary>
public static class ReportCadences
{
    public const string Weekly = "weekly";
    public const string Monthly = "monthly";
    public const string Quarterly = "quarterly";
    public static readonly IReadOnlyList<string> All = [Weekly, Monthly, Quarterly];
}

/// <summary>
/// When reports are due and what they cover, in the workspace time zone. A weekly report is made on Monday, a monthly one
/// on the 1st, a quarterly one on 1 January, April, July and October, each at its send time, and covers the whole
/// previous week (Monday to Sunday), month or quarter, local dates. Due times come from a cron expression evaluated in
/// the zone (Cronos), so a send time that falls in a daylight-saving gap runs when the clock has moved past it.
/// </summary>
public static class ReportSchedule
{
    /// <summary>The cron expression (minute hour day month weekday) of a cadence at a local time.</summary>
    public static CronExpression Cron(string cadence, TimeOnly sendAt)
    {
        var (m, h) = (sendAt.Minute, sendAt.Hour);
        return CronExpression.Parse(cadence switch
        {
            ReportCadences.Weekly => $"{m} {h} * * MON",
            ReportCadences.Monthly => $"{m} {h} 1 * *",
            ReportCadences.Quarterly => $"{m} {h} 1 1,4,7,10 *",
            _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, "Not a report cadence."),
        });
    }

    /// <summary>The first due time strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset NextDue(string cadence, TimeOnly sendAt, TimeZoneInfo zone, DateTimeOffset after) =>
        Cron(cadence, sendAt).GetNextOccurrence(after, zone)
        ?? throw new InvalidOperationException("A report cadence always has a next occurrence.");

    /// <summary>
    /// The last whole period of the cadence before the local date <paramref name="day"/>: for a report due on Monday
    /// 2026-11-23, the week 16–22 November; due on 1 December, November; due on 1 October, July to September.
    /// </summary>
    public static (DateOnly From, DateOnly To) PeriodBefore(string cadence, DateOnly day)
    {
        switch (cadence)
        {
            case ReportCadences.Weekly:
                // Monday of the week holding the day, then the week before it.
                var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
                return (monday.AddDays(-7), monday.AddDays(-1));
            case ReportCadences.Monthly:
                var first = new DateOnly(day.Year, day.Month, 1);
                return (first.AddMonths(-1), first.AddDays(-1));
            case ReportCadences.Quarterly:
                var quarter = new DateOnly(day.Year, (day.Month - 1) / 3 * 3 + 1, 1);
                return (quarter.AddMonths(-3), quarter.AddDays(-1));
            default:
                throw new ArgumentOutOfRangeException(nameof(cadence), cadence, "Not a report cadence.");
        }
    }

    /// <summary>The period before the one given, of the same cadence: the week, month or quarter just before it.</summary>
    public static (DateOnly From, DateOnly To) Previous(string cadence, DateOnly from) => PeriodBefore(cadence, from);
}
