using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// The JSON form of segment conditions, for the API and the visual builder: each node an object with a <c>"kind"</c>.
/// Reading is strict (unknown fields, missing fields and wrong types are errors with the JSON path), and numbers are read
/// as <see cref="decimal"/>, never through a double.
/// </summary>
public static class SegmentJson
{
    // The JSON is an API payload, never inlined into HTML, so '>=' and '上海' are written as they are rather than as
    // \u escapes that a person reading a request log or a builder's payload would have to decode.
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Indented = Compact with { Indented = true };

    public static string Write(Condition condition, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, indented ? Indented : Compact))
        {
            JsonConditionWriter.Write(writer, condition);
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public static void WriteTo(Utf8JsonWriter writer, Condition condition)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(condition);
        JsonConditionWriter.Write(writer, condition);
    }

    /// <summary>Reads a condition, or throws <see cref="SegmentLanguageException"/> naming where and what was expected.</summary>
    public static Condition Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > SegmentLimits.MaxJsonLength)
        {
            throw new SegmentLanguageException(new SegmentError(
                $"the condition is {json.Length} characters long; expected at most {SegmentLimits.MaxJsonLength}", Path: "$"));
        }
        JsonDocument document;
        try
        {
            // Deep enough for every condition within MaxDepth (a group is an object and an array), no deeper.
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 * SegmentLimits.MaxDepth + 16 });
        }
        catch (JsonException e)
        {
            throw new SegmentLanguageException(MalformedJson(e));
        }
        using (document)
        {
            return JsonConditionReader.Read(document.RootElement);
        }
    }

    /// <summary>Reads a condition already parsed as JSON (a field of a request body).</summary>
    public static Condition Read(JsonElement json) => JsonConditionReader.Read(json);

    private static SegmentError MalformedJson(JsonException e)
    {
        // The exception's message ends with its own "Path: … | LineNumber: …" suffix; ours says the same in words.
        var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd(' ', '.', '|');
        var line = (int)(e.LineNumber ?? 0) + 1;
        var column = (int)(e.BytePositionInLine ?? 0) + 1;
        return new SegmentError($"expected valid JSON: {reason}", line, column, "$");
    }
}
