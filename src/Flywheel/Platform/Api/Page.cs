using System.Buffers.Text;
using System.Text;

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
