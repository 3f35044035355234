using System.Text.Json;

namespace Flywheel.Ui.Pages.Settings;

/// <summary>
/// An audit entry's before and after side by side, one row per top-level field, with the fields that changed marked.
/// Entries of creations have only an after and deletions only a before; those show every field as changed.
/// </summary>
public static class AuditDiff
{
    public sealed record Row(string Field, string? Before, string? After, bool Changed);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IReadOnlyList<Row> Rows(JsonElement? before, JsonElement? after)
    {
        if (IsObject(before) || IsObject(after))
        {
            var b = Fields(before);
            var a = Fields(after);
            // Fields in the order the after state lists them, then those that only the before state had.
            var names = a.Keys.Concat(b.Keys.Where(k => !a.ContainsKey(k))).ToList();
            return names.Select(n =>
            {
                var old = b.GetValueOrDefault(n);
                var now = a.GetValueOrDefault(n);
                return new Row(n, Text(old), Text(now), !Same(old, now));
            }).ToList();
        }
        if (before is null && after is null)
        {
            return [];
        }
        return [new Row("", Text(before), Text(after), !Same(before, after))];
    }

    /// <summary>Pretty-printed JSON; a string as its text, without quotes.</summary>
    public static string? Text(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } v => JsonSerializer.Serialize(v, Indented),
    };

    private static bool IsObject(JsonElement? e) => e is { ValueKind: JsonValueKind.Object };

    private static Dictionary<string, JsonElement?> Fields(JsonElement? e)
    {
        var fields = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        if (e is { ValueKind: JsonValueKind.Object } obj)
        {
            foreach (var p in obj.EnumerateObject())
            {
                fields[p.Name] = p.Value;
            }
        }
        return fields;
    }

    // A field that is missing on one side and null on the other did not change.
    private static bool Same(JsonElement? x, JsonElement? y)
    {
        var xNull = x is null || x.Value.ValueKind == JsonValueKind.Null;
        var yNull = y is null || y.Value.ValueKind == JsonValueKind.Null;
        if (xNull || yNull)
        {
            return xNull && yNull;
        }
        return JsonElement.DeepEquals(x!.Value, y!.Value);
    }
}
