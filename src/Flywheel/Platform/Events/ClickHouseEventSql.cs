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

    public override string Bit(int bit, string value) => $"bitAnd({value}, {1L << bit}) != 0";

    public static FunnelElement Element { get; } = new("t", "s", "m", "h");

    /// <summary>
    /// The first index meeting the condition. The visitor's values the condition reads (<paramref name="captured"/>) are
    /// passed in as arrays under their own names: 18.16 drops a subquery's column that an outer query reads only inside
    /// a lambda ("Unknown identifier").
    /// </summary>
    public static string FirstIndex(string condition, IReadOnlyList<string> captured) =>
        $"arrayFirstIndex((t, s, m, h{string.Concat(captured.Select(c => ", " + c))}) -> {condition}, T, S, M, H" +
        $"{string.Concat(captured.Select(c => $", replicate({c}, T)"))})";

    public static string At(string array, string index) => $"{array}[{index}]";

    public static string Greatest(string a, string b) => $"greatest({a}, {b})";

    public override string Concat(string a, string b) => $"concat({a}, {b})";

    // 18.16 has no exact median that averages the two middle values: the sorted values are gathered and the middle read.
    public override string MedianWhere(string value, string condition)
    {
        var sorted = $"arraySort(groupArrayIf({value}, {condition}))";
        var half = $"intDiv(length({sorted}), 2)";
        return $"if(length({sorted}) = 0, NULL, if(length({sorted}) % 2 = 1, toFloat64({sorted}[{half} + 1]), " +
            $"({sorted}[{half}] + {sorted}[{half} + 1]) / 2))";
    }

    public override string GroupValue(string column) => $"if(ifNull({column}, '') = '', '', concat('=', ifNull({column}, '')))";

    public override string DisplayValue(string property) => $"if({IsText(property)}, {TextValue(property)}, {Raw(property)})";

    // The links are computed on the initiating server and sent to the shards (GLOBAL): a visitor's events may lie on
    // several shards, since anonymous events are sharded by the anonymous id.
    public string FunnelEvents(string where, string masks, string hold, string group, string workspace) => $"""
        SELECT if(customer_id != '', customer_id, if(linked != '', linked, concat('anonymous:', anonymous_id))) AS visitor,
            if(customer_id != '' OR linked != '', 1, 0) AS known, ts_ms AS t, seq AS s, m, h, b
        FROM (SELECT customer_id, anonymous_id, ts_ms, seq, {masks} AS m, {hold} AS h, {group} AS b FROM events WHERE {where} AND m > 0)
        GLOBAL ANY LEFT JOIN (
            SELECT anonymous_id, argMax(customer_id, seq) AS linked FROM events
            WHERE workspace_id = {workspace} AND customer_id != '' AND anonymous_id != '' AND type NOT IN ({Text(EventTypes.SegmentEntered)}, {Text(EventTypes.SegmentExited)})
            GROUP BY anonymous_id
        ) USING anonymous_id
        """;

    public static string FunnelLists(string events, string entry, string listed) => $"""
        SELECT visitor, max(known) AS known, minIf((t, s), {entry}) AS e1, tupleElement(e1, 1) AS t1, tupleElement(e1, 2) AS s1,
            argMinIf(h, (t, s), {entry}) AS he, argMinIf(b, (t, s), {entry}) AS grp,
            arraySort(groupArrayIf((t, s, m, h), {listed})) AS l,
            arrayMap(x -> tupleElement(x, 1), l) AS T, arrayMap(x -> tupleElement(x, 2), l) AS S,
            arrayMap(x -> tupleElement(x, 3), l) AS M, arrayMap(x -> tupleElement(x, 4), l) AS H
        FROM ({events}) GROUP BY visitor HAVING countIf({entry}) > 0
        """;

    public override string GroupedWithTotal(string source, IReadOnlyList<string> columns, int groups) => $"""
        SELECT tot, gk, {string.Join(", ", columns.Select((c, i) => $"{c} AS x{i}"))}
        FROM (SELECT *, arrayJoin([1, 0]) AS tot, if(tot = 1, '', grp) AS gk FROM ({source}))
        GROUP BY tot, gk ORDER BY tot DESC, x0 DESC, gk LIMIT {groups + 1}
        """;

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
