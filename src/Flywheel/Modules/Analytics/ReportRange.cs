namespace Flywheel.Modules.Analytics;

/// <summary>The local dates a report covers when the caller gives only part of the range.</summary>
public static class ReportRange
{
    /// <summary>
    /// Without dates, the <paramref name="days"/> local days ending yesterday (whole days only, so that comparisons are
    /// like for like); <paramref name="to"/> alone means the days ending then; <paramref name="from"/> alone runs to
    /// yesterday, or is just that day when it is today or later.
    /// </summary>
    public static (DateOnly From, DateOnly To) Resolve(DateOnly? from, DateOnly? to, DateOnly today, int days)
    {
        var yesterday = today.AddDays(-1);
        var end = to ?? (from > yesterday ? from.Value : yesterday);
        return (from ?? end.AddDays(-(days - 1)), end);
    }
}
