using System.Globalization;
using CsvHelper;

namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// Reads conversion paths in the layout of the ChannelAttribution package's example data:
/// <c>path;total_conversions;total_conversion_value;total_null</c>, one header line, touches joined by <c> &gt; </c>.
/// The layout has no timestamps, so such paths cannot be used by the time decay model. A channel named <c>direct</c>
/// (in any letter case) is taken as a direct visit for the last non-direct model.
/// </summary>
public static class ChannelAttributionText
{
    public const string PathColumn = "path";
    public const string ConversionsColumn = "total_conversions";
    public const string ValueColumn = "total_conversion_value";
    public const string NullsColumn = "total_null";

    /// <summary>A file of the wrong kind fails on every line; a hundred are enough to see why.</summary>
    private const int MaxErrorsListed = 100;

    private static readonly string[] Columns = [PathColumn, ConversionsColumn, ValueColumn, NullsColumn];

    /// <summary>Every path of the text, or an <see cref="AttributionInputException"/> listing every bad line.</summary>
    public static IReadOnlyList<ConversionPath> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new AttributionInputException([new InputError(1, null, "the text is empty; its first line must be the header.")]);
        }
        var errors = new List<InputError>();
        var malformedLines = new Dictionary<long, CsvMalformedReason>();
        var options = new CsvReaderOptions
        {
            // Fixed rather than detected: the layout defines it, and detection could pick a comma inside channel names.
            Separator = ';',
            HasHeader = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            OnMalformedRecord = r => malformedLines.TryAdd(r.LineNumber, r.Reason),
        };
        using var reader = CsvReader.Create(new StringReader(text), options, leaveOpen: false);
        reader.ReadHeader();
        var positions = ReadHeader(reader.Headers.ToList(), errors);
        if (positions is null)
        {
            throw new AttributionInputException(errors);
        }
        var paths = new List<ConversionPath>();
        while (reader.Read())
        {
            var line = checked((int)reader.LineNumber);
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.GetString(i);
            }
            if (malformedLines.TryGetValue(reader.LineNumber, out var reason))
            {
                errors.Add(new InputError(line, null, $"the line's quoting is malformed ({reason})."));
                continue;
            }
            if (ReadRow(line, fields, positions, errors) is { } path)
            {
                paths.Add(path);
            }
        }
        if (errors.Count > MaxErrorsListed)
        {
            var more = errors.Count - MaxErrorsListed;
            var last = errors[^1].Line;
            errors.RemoveRange(MaxErrorsListed, more);
            errors.Add(new InputError(last, null, $"and {more} more errors up to this line; is this the right file?"));
        }
        if (errors.Count > 0)
        {
            throw new AttributionInputException(errors);
        }
        return paths;
    }

    /// <summary>Where each of the four columns is; they may come in any order, and nothing else may be there.</summary>
    private static Dictionary<string, int>? ReadHeader(List<string> header, List<InputError> errors)
    {
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF');
            if (!Columns.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new InputError(1, name, $"unknown column; the header must be {string.Join(';', Columns)}."));
            }
            else if (!positions.TryAdd(name, i))
            {
                errors.Add(new InputError(1, name, "the column appears twice in the header."));
            }
        }
        foreach (var missing in Columns.Where(c => !positions.ContainsKey(c)))
        {
            errors.Add(new InputError(1, missing, "the column is missing from the header."));
        }
        return errors.Count == 0 ? positions : null;
    }

    private static ConversionPath? ReadRow(int line, string[] fields, Dictionary<string, int> positions, List<InputError> errors)
    {
        var before = errors.Count;
        if (fields.Length > positions.Count)
        {
            errors.Add(new InputError(line, null, $"the line has {fields.Length} fields but the header has {positions.Count}."));
            return null;
        }
        var touches = ReadTouches(line, Field(fields, positions[PathColumn]), errors);
        var conversions = ReadCount(line, ConversionsColumn, Field(fields, positions[ConversionsColumn]), errors);
        var value = ReadValue(line, Field(fields, positions[ValueColumn]), errors);
        var nulls = ReadCount(line, NullsColumn, Field(fields, positions[NullsColumn]), errors);
        if (errors.Count > before)
        {
            return null;
        }
        if (conversions == 0 && value != 0)
        {
            errors.Add(new InputError(line, ValueColumn, "a path without conversions cannot have conversion value."));
            return null;
        }
        return new ConversionPath(touches, conversions, value, nulls);
    }

    private static string? Field(string[] fields, int position) => position < fields.Length ? fields[position] : null;

    private static List<Touch> ReadTouches(int line, string? text, List<InputError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new InputError(line, PathColumn, text is null ? "the field is missing." : "the path is empty."));
            return [];
        }
        var touches = new List<Touch>();
        foreach (var part in text.Split('>'))
        {
            var channel = part.Trim();
            if (channel.Length == 0)
            {
                errors.Add(new InputError(line, PathColumn, $"'{text}' has an empty touch; touches are joined by ' > '."));
                return [];
            }
            touches.Add(new Touch(channel, at: null, isDirect: string.Equals(channel, "direct", StringComparison.OrdinalIgnoreCase)));
        }
        return touches;
    }

    private static long ReadCount(int line, string column, string? text, List<InputError> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(new InputError(line, column, text is null ? "the field is missing." : "the field is empty."));
            return 0;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
        {
            errors.Add(new InputError(line, column, $"'{text}' is not a whole number."));
            return 0;
        }
        if (count < 0)
        {
            errors.Add(new InputError(line, column, $"{count} is negative; a count cannot be."));
        }
        return count;
    }

    private static decimal ReadValue(int line, string? text, List<InputError> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(new InputError(line, ValueColumn, text is null ? "the field is missing." : "the field is empty."));
            return 0;
        }
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(new InputError(line, ValueColumn, $"'{text}' is not a number (use '.' for decimals, no thousands separators)."));
            return 0;
        }
        if (value < 0)
        {
            errors.Add(new InputError(line, ValueColumn, $"{value.ToString(CultureInfo.InvariantCulture)} is negative; a conversion value cannot be."));
        }
        return value;
    }
}
