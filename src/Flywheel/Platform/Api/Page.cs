using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Platform.Api;

/// <summary>
/// One page of a list, with an opaque cursor for the next page (null on the last page). Cursors encode the sort
/// key of the last item, so pages stay stable while rows are added.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static string Encode(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    /// <summary>Decodes a cursor; false when it is not one this API handed out.</summary>
    public static bool TryDecode(string? cursor, out string? key)
    {
        key = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }
        try
        {
            key = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Clamps a requested page size; false (with a message) when it is out of range.</summary>
    public static bool TryLimit(int? limit, out int value, out string? error)
    {
        value = limit ?? DefaultLimit;
        error = null;
        if (value is < 1 or > MaxLimit)
        {
            error = $"limit must be between 1 and {MaxLimit}.";
            return false;
        }
        return true;
    }

    /// <summary>
    /// Reads a list endpoint's limit and cursor; the problem to answer (about the limit first) when either is unusable,
    /// else null with the page size and the sort key to continue after (null on the first page).
    /// </summary>
    public static ValidationProblem? CheckPaging(int? limit, string? cursor, out int take, out string? after)
    {
        after = null;
        if (!TryLimit(limit, out take, out var limitError))
        {
            return Problems.Validation("limit", limitError!);
        }
        return TryDecode(cursor, out after) ? null : NotACursor();
    }

    /// <summary><see cref="CheckPaging(int?, string?, out int, out string?)"/> for lists keyed by a number.</summary>
    public static ValidationProblem? CheckPaging(int? limit, string? cursor, out int take, out long? after)
    {
        after = null;
        if (CheckPaging(limit, cursor, out take, out string? key) is { } problem)
        {
            return problem;
        }
        if (key is null)
        {
            return null;
        }
        if (!long.TryParse(key, CultureInfo.InvariantCulture, out var number))
        {
            return NotACursor();
        }
        after = number;
        return null;
    }

    private static ValidationProblem NotACursor() => Problems.Validation("cursor", "is not a cursor returned by this endpoint.");

    /// <summary>Builds a page from limit+1 fetched items: the extra one only says that more exist.</summary>
    public static Page<T> PageOf<T>(IReadOnlyList<T> fetched, int limit, Func<T, string> keyOf)
    {
        if (fetched.Count <= limit)
        {
            return new Page<T>(fetched, null);
        }
        var items = fetched.Take(limit).ToList();
        return new Page<T>(items, Encode(keyOf(items[^1])));
    }
}
