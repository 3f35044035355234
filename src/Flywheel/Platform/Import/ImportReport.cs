using Flywheel.Platform.Api;

namespace Flywheel.Platform.Import;

/// <summary>One problem with one cell (or a whole row when the column is empty) of an imported file.</summary>
/// <param name="Row">The row number as a spreadsheet shows it: the header is row 1, the first data row is row 2.</param>
/// <param name="Column">The column (the API's field name), or "" when the problem is the whole row.</param>
/// <param name="Message">What is wrong, in words a person can act on.</param>
public sealed record ImportError(int Row, string Column, string Message)
{
    /// <summary>A row's field errors as report lines.</summary>
    public static IEnumerable<ImportError> Of(int row, FieldErrors errors) =>
        errors.ToDictionary().SelectMany(kv => kv.Value.Select(m => new ImportError(row, kv.Key, m)));
}

/// <summary>
/// What an import did. Rows with errors change nothing; every other row is applied. Created, updated and unchanged
/// count records (products, customers, orders), so importing the same file again reports everything unchanged.
/// </summary>
public sealed record ImportReport(
    string Kind, int Rows, int RejectedRows, int Created, int Updated, int Unchanged, IReadOnlyList<ImportError> Errors)
{
    public bool Ok => RejectedRows == 0;
}

/// <summary>The file itself cannot be imported (no header, missing required columns); nothing was changed.</summary>
public sealed class ImportFileException(string message) : Exception(message);
