using System.Text.Json;

namespace Flywheel.Platform.Api;

/// <summary>
/// Reads a JSON request field by field, so that a value of the wrong type becomes a field error with the API's name
/// for it instead of a bare 400 from the binder. Absent and null fields read as null.
/// </summary>
public readonly struct JsonInput(JsonElement element, FieldErrors errors, string prefix = "")
{
    public JsonElement Element => element;

    public FieldErrors Errors => errors;

    /// <summary>Parses a request body; null (with a "body" error) when it is not a JSON object.</summary>
    public static async Task<JsonDocument?> ParseObjectAsync(HttpRequest request, FieldErrors errors, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, ct);
        }
        catch (JsonException ex)
        {
            errors.Add("body", $"is not valid JSON: {ex.Message}");
            return null;
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            errors.Add("body", "must be a JSON object.");
            return null;
        }
        return document;
    }

    /// <summary>
    /// The body as a JSON object, or null with errors. A field the endpoint does not know is an error rather than
    /// ignored: a misspelt "descripton" in a PATCH would otherwise answer 200 and change nothing.
    /// </summary>
    public static async Task<JsonDocument?> ParseKnownObjectAsync(HttpRequest request, FieldErrors errors, CancellationToken ct, params string[] known)
    {
        var document = await ParseObjectAsync(request, errors, ct);
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
    /// Reads a body that must be a JSON object of <paramref name="known"/> fields only and hands its root to
    /// <paramref name="handle"/>; a 400 naming each problem instead, and then <paramref name="handle"/> is not called.
    /// </summary>
    public static async Task<IResult> WithKnownObjectAsync(HttpRequest request, string[] known, Func<JsonElement, Task<IResult>> handle, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await ParseKnownObjectAsync(request, errors, ct, known);
        return document is null ? Problems.Validation(errors.ToDictionary()) : await handle(document.RootElement);
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

    public string Field(string name) => prefix + name;

    public bool Has(string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>A string; numbers are accepted as their text because shops often use numeric ids.</summary>
    public string? Text(string name)
    {
        if (!TryGet(name, out var v))
        {
            return null;
        }
        switch (v.ValueKind)
        {
            case JsonValueKind.String:
                var s = v.GetString()!.Trim();
                return s.Length == 0 ? null : s;
            case JsonValueKind.Number:
                return v.GetRawText();
            default:
                errors.Add(Field(name), "must be a string.");
                return null;
        }
    }

    public decimal? Number(string name)
    {
        if (!TryGet(name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDecimal(out var d))
        {
            errors.Add(Field(name), "must be a number (an amount in major units, e.g. 199.50).");
            return null;
        }
        return d;
    }

    public int? WholeNumber(string name) => Whole(name, int.MinValue, int.MaxValue) is { } value ? (int)value : null;

    /// <summary>A whole number that may exceed <see cref="int"/>, such as a count of impressions.</summary>
    public long? LongNumber(string name) => Whole(name, long.MinValue, long.MaxValue);

    private long? Whole(string name, long min, long max)
    {
        if (!TryGet(name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var i) || i < min || i > max)
        {
            errors.Add(Field(name), "must be a whole number.");
            return null;
        }
        return i;
    }

    public bool? Bool(string name)
    {
        if (!TryGet(name, out var v))
        {
            return null;
        }
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(Field(name), "must be true or false.");
            return null;
        }
        return v.GetBoolean();
    }

    /// <summary>An array of strings.</summary>
    public IReadOnlyList<string>? Strings(string name)
    {
        if (!TryGet(name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
        {
            errors.Add(Field(name), "must be an array of strings.");
            return null;
        }
        return v.EnumerateArray().Select(x => x.GetString()!).ToList();
    }

    /// <summary>An array of objects, each read with its own prefix ("lines[0].").</summary>
    public IReadOnlyList<JsonInput>? Objects(string name)
    {
        if (!TryGet(name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(Field(name), "must be an array of objects.");
            return null;
        }
        var list = new List<JsonInput>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            var at = $"{Field(name)}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(at, "must be an object.");
                continue;
            }
            list.Add(new JsonInput(item, errors, at + "."));
        }
        return list;
    }

    private bool TryGet(string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        value = default;
        return false;
    }
}
