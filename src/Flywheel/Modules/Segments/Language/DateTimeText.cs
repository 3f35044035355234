using System.Globalization;
using System.Text.RegularExpressions;

namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// Date-times as both forms write them: ISO 8601 with an offset that is never left out, so that a value means the same
/// instant whatever the time zone of the server that reads it.
/// </summary>
internal static partial class DateTimeText
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static bool TryParse(string text, out DateTimeOffset instant)
    {
        instant = default;
        return WithOffset().IsMatch(text)
            && DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    [GeneratedRegex(@"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex WithOffset();
}
