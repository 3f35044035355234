using System.Text.Json;

namespace Flywheel.Platform.Api;

/// <summary>Loose reading of JSON scalars sent by shops and SDKs: strings as they are, numbers (ids are often numeric) as their JSON text.</summary>
public static class JsonText
{
    public static string? Of(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>The named property of an object as text; null when absent, not a scalar, or not an object.</summary>
    public static string? Property(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? Of(value) : null;

    /// <summary>Cuts text to a column's length; null stays null.</summary>
    public static string? Clip(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
