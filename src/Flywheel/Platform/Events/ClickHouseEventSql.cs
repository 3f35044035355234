using System.Globalization;
using System.Text;

namespace Flywheel.Platform.Events;

/// <summary>
/// ClickHouse 18.16's spelling of customer-event queries: values and names as escaped literals. 18.16 has no JSON
/// parser, only the visitParam functions, which look for the text <c>"name":</c> and read the value after it (string
/// escapes, \u ones included, are decoded in values). So a name is matched as JSON writers spell it — <c>"</c>, <c>\</c>
/// and control characters escaped, everything else as is — and nested objects are not told apart from the top level
/// (docs/deploy.md, "Properties on ClickHouse").
/// Numbers are recognised by their text (plain notation, at most 28 + 10 digits) before <c>toDecimal128</c> reads them,
/// since 18.16 has no OrNull variant and <c>if</c> evaluates both branches: other text becomes '0' first, never an error.
/// </summary>
internal sealed class ClickHouseEventSql : EventSqlDialect
{
    private static readonly string NumberPattern = ClickHouseText.Literal(@"^-?[0-9]{1,28}(\.[0-9]{1,10})?$");
    private static readonly string DatePattern = ClickHouseText.Literal("^[0-9]{4}-[0-9]{2}-[0-9]{2}");

    public override string Text(string value) => ClickHouseText.Literal(value);

    public override string Number(decimal value) => $"toDecimal128({ClickHouseText.Literal(value.ToString(CultureInfo.InvariantCulture))}, 10)";

    public override string HasCustomer => "customer_id != ''";

    public override string AtOrAfter(DateTime fromUtc) => $"ts_ms >= {ClickHouseEventStore.CeilMs(fromUtc)}";

    public override string Before(DateTime untilUtc) => $"ts_ms < {ClickHouseEventStore.CeilMs(untilUtc)}";

    public override string EarliestTime => "min(ts_ms)";

    public override string Present(string property) => $"visitParamHas(properties, {Key(property)}) AND {Raw(property)} != 'null'";

    public override string Raw(string property) => $"visitParamExtractRaw({Properties(property)}, {Key(property)})";

    // Not the raw text's first character: 18.16's raw reader loses its way in a string ending in a backslash, where the
    // string reader does not; it answers '' for anything but a string, and the raw text tells the empty string apart.
    public override string IsText(string property) => $"({TextValue(property)} != '' OR {Raw(property)} = '\"\"')";

    public override string TextValue(string property) => $"visitParamExtractString({Properties(property)}, {Key(property)})";

    public override string IsNumber(string property) => $"match({Raw(property)}, {NumberPattern})";

    public override string NumberValue(string property) => $"toDecimal128(if({IsNumber(property)}, {Raw(property)}, '0'), 10)";

    // parseDateTimeBestEffortOrNull reads '' as 2000-01-01, hence the date pattern first.
    public override string EpochSeconds(string property) =>
        $"if({IsText(property)} AND match({TextValue(property)}, {DatePattern}), " +
        $"toInt64(toUnixTimestamp(parseDateTimeBestEffortOrNull({TextValue(property)}, 'UTC'))), NULL)";

    public override string Contains(string haystack, string needle) => $"position({haystack}, {needle}) > 0";

    public override string CountWhere(string condition) => $"countIf({condition})";

    public override string AggregateWhere(string function, string value, string condition) => $"{function}If({value}, {condition})";

    /// <summary>
    /// The properties with <c>"name": </c> closed up to <c>"name":</c>: the visitParam readers give up on a space before
    /// the value, which Python's json.dumps writes. Inside a JSON string that text cannot occur (its quotes are escaped).
    /// </summary>
    private static string Properties(string property)
    {
        var key = JsonKey(property);
        return $"replaceAll(properties, {ClickHouseText.Literal($"\"{key}\": ")}, {ClickHouseText.Literal($"\"{key}\":")})";
    }

    private static string Key(string property) => ClickHouseText.Literal(JsonKey(property));

    /// <summary>The name as it appears between the quotes of a JSON key.</summary>
    private static string JsonKey(string property)
    {
        var json = new StringBuilder(property.Length);
        foreach (var ch in property)
        {
            json.Append(ch switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' => "\\u" + ((int)ch).ToString("x4", CultureInfo.InvariantCulture),
                _ => ch.ToString(),
            });
        }
        return json.ToString();
    }
}
