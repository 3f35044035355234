namespace Flywheel.Platform;

/// <summary>
/// Local days of the workspace time zone as UTC instants (SPEC §5: every day boundary is in the workspace time zone).
/// Boundaries are worked out here, with the zone's own rules, so that stores only ever compare UTC instants: a day is
/// 23 or 25 hours long across a daylight-saving change, and a grouping by UTC date would put a Shanghai order at
/// 07:00 local into the day before.
/// </summary>
public static class LocalDays
{
    /// <summary>
    /// The UTC instant the local day <paramref name="date"/> begins. Where local midnight does not exist (zones that move
    /// their clocks forward at midnight), the day begins at the first local time that does; where it happens twice, at
    /// the first.
    /// </summary>
    public static DateTime StartUtc(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        for (var minutes = 0; zone.IsInvalidTime(local) && minutes < 24 * 60; minutes++)
        {
            local = local.AddMinutes(1);
        }
        if (zone.IsAmbiguousTime(local))
        {
            // The larger offset is the earlier of the two instants (the one before the clocks went back).
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>The n + 1 boundaries of the n local days [<paramref name="from"/>, <paramref name="to"/>], in UTC.</summary>
    public static IReadOnlyList<DateTime> Boundaries(DateOnly from, DateOnly to, TimeZoneInfo zone)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        var result = new DateTime[days + 1];
        for (var i = 0; i <= days; i++)
        {
            result[i] = StartUtc(from.AddDays(i), zone);
        }
        return result;
    }

    /// <summary>The local date of a UTC instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>
    /// The index of the interval [b(i), b(i+1)) of ascending <paramref name="boundaries"/> holding <paramref name="utc"/>,
    /// or -1 outside them all.
    /// </summary>
    public static int IndexOf(IReadOnlyList<DateTime> boundaries, DateTime utc)
    {
        if (boundaries.Count < 2 || utc < boundaries[0] || utc >= boundaries[^1])
        {
            return -1;
        }
        int lo = 0, hi = boundaries.Count - 2;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (boundaries[mid] <= utc)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
