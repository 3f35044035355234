using System.Globalization;

namespace Flywheel.Platform;

/// <summary>
/// Reads dates and date-times from requests and files. A date-time without an offset is read in the workspace time
/// zone, the zone every day boundary in Flywheel uses (SPEC §5).
/// </summary>
public static class Instants
{
    public static TimeZoneInfo Zone(string timeZoneId) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : TimeZoneInfo.Utc;

    public static bool TryParse(string text, TimeZoneInfo zone, out DateTimeOffset value)
    {
        value = default;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var local))
        {
            return false;
        }
        if (local.Kind == DateTimeKind.Unspecified)
        {
            value = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
            return true;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            return false;
        }
        value = withOffset.ToUniversalTime();
        return true;
    }

    /// <summary>ISO 8601 (or any invariant-culture date-time); one without an offset is read as UTC.</summary>
    public static bool TryParseUtc(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary>Millisecond precision, the precision of stored events.</summary>
    public static DateTime ToMilliseconds(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    /// <summary>Millisecond precision, the precision of stored events, so that replays compare equal.</summary>
    public static DateTimeOffset ToMilliseconds(DateTimeOffset t) =>
        new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    public static bool TryParseDate(string text, out DateOnly value) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
}
