using System.Text.Json;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>Reads the JSON bodies of the tag endpoints.</summary>
internal static class TagBodies
{
    /// <summary>
    /// The body as a JSON object, or null with errors. A field the endpoint does not know is an error rather than
    /// ignored: a misspelt "descripton" in a PATCH would otherwise answer 200 and change nothing.
    /// </summary>
    public static async Task<JsonDocument?> ReadObjectAsync(HttpRequest request, FieldErrors errors, CancellationToken ct, params string[] known)
    {
        var document = await JsonInput.ParseObjectAsync(request, errors, ct);
        if (document is null)
        {
            return null;
        }
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                errors.Add(property.Name, $"is not a field of this request; expected {string.Join(", ", known)}.");
            }
        }
        if (errors.Any)
        {
            document.Dispose();
            return null;
        }
        return document;
    }

    /// <summary>
    /// A field of a partial update: null when absent (leave as it is), "" when null or blank (clear it), else the
    /// trimmed text.
    /// </summary>
    public static string? Change(JsonElement body, string name, FieldErrors errors)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            return null;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return "";
            case JsonValueKind.String:
                return value.GetString()!.Trim();
            default:
                errors.Add(name, "must be a string, or null to clear it.");
                return null;
        }
    }

    /// <summary>{"customer_ids": [...]}: the ids as given, or null with errors.</summary>
    public static async Task<IReadOnlyList<string>?> ReadCustomerIdsAsync(HttpRequest request, FieldErrors errors, CancellationToken ct)
    {
        using var document = await ReadObjectAsync(request, errors, ct, "customer_ids");
        if (document is null)
        {
            return null;
        }
        var ids = new JsonInput(document.RootElement, errors).Strings("customer_ids");
        if (ids is null && !errors.Any)
        {
            errors.Add("customer_ids", "is required: an array of customer ids.");
        }
        return ids;
    }
}
