using System.Globalization;
using CsvHelper;
using Flywheel.Platform.Api;

namespace Flywheel.Platform.Import;

/// <summary>
/// A CSV file read as a header and rows of text. Column names are matched case-insensitively; unknown columns are
/// refused so that a misspelt header does not silently drop a field.
/// </summary>
public sealed class CsvFile
{
    private CsvFile(Dictionary<string, int> columns, List<CsvRow> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    public IReadOnlyDictionary<string, int> Columns { get; }

    public IReadOnlyList<CsvRow> Rows { get; }

    public bool HasColumn(string name) => Columns.ContainsKey(name);

    public static async Task<CsvFile> ReadAsync(Stream stream, IReadOnlyCollection<string> known, IReadOnlyCollection<string> required, CancellationToken ct)
    {
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var options = new CsvReaderOptions
        {
            // Fixed: detection could pick '|', which separates tags inside a cell.
            Separator = ',',
            HasHeader = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            OnMalformedRecord = r => malformed.TryAdd(r.RecordNumber, r.Reason),
        };
        await using var reader = CsvReader.Create(stream, options, leaveOpen: true);
        await reader.ReadHeaderAsync(ct);
        var header = reader.Headers.ToList();
        if (header.Count == 0)
        {
            throw new ImportFileException("The file is empty; the first row must be the header.");
        }
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF');
            if (name.Length == 0)
            {
                continue;
            }
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new ImportFileException($"Unknown column '{name}'. Known columns: {string.Join(", ", known)}.");
            }
            if (!columns.TryAdd(name, i))
            {
                throw new ImportFileException($"Column '{name}' appears twice in the header.");
            }
        }
        var missing = required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new ImportFileException($"Required column(s) missing from the header: {string.Join(", ", missing)}.");
        }
        var rows = new List<CsvRow>();
        while (await reader.ReadAsync(ct))
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.GetString(i);
            }
            // The header is row 1, as in a spreadsheet.
            var number = checked((int)reader.RowNumber + 1);
            var row = new CsvRow(number, fields, columns);
            if (malformed.TryGetValue(number, out var reason) && reason != CsvMalformedReason.FieldCountMismatch)
            {
                row.Errors.Add("", $"the row's quoting is malformed ({reason}).");
            }
            if (fields.Length > header.Count)
            {
                row.Errors.Add("", $"has {fields.Length} fields but the header has {header.Count}.");
            }
            rows.Add(row);
        }
        return new CsvFile(columns, rows);
    }
}

/// <summary>One data row; typed readers add an error under the column's name when a cell cannot be read.</summary>
public sealed class CsvRow(int number, string[] fields, IReadOnlyDictionary<string, int> columns)
{
    public int RowNumber { get; } = number;

    public int FieldCount => fields.Length;

    public FieldErrors Errors { get; } = new();

    public string? Text(string column) =>
        columns.TryGetValue(column, out var i) && i < fields.Length && fields[i].Length > 0 ? fields[i] : null;

    public decimal? Number(string column)
    {
        var text = Text(column);
        if (text is null)
        {
            return null;
        }
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
        {
            Errors.Add(column, $"'{text}' is not a number (use '.' for decimals and no thousands separators).");
            return null;
        }
        return d;
    }

    public int? WholeNumber(string column) => Whole(column, int.MinValue, int.MaxValue) is { } value ? (int)value : null;

    /// <summary>A whole number that may exceed <see cref="int"/>, such as a count of impressions.</summary>
    public long? LongNumber(string column) => Whole(column, long.MinValue, long.MaxValue);

    private long? Whole(string column, long min, long max)
    {
        var text = Text(column);
        if (text is null)
        {
            return null;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) || i < min || i > max)
        {
            Errors.Add(column, $"'{text}' is not a whole number.");
            return null;
        }
        return i;
    }

    public bool? Bool(string column)
    {
        var text = Text(column);
        if (text is null)
        {
            return null;
        }
        switch (text.ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "y":
                return true;
            case "false" or "0" or "no" or "n":
                return false;
            default:
                Errors.Add(column, $"'{text}' is not a yes/no value (use true/false, 1/0 or yes/no).");
                return null;
        }
    }
}
