using System.Globalization;
using System.Text;
using DuckDB.NET.Data;

namespace Flywheel.Platform.Events;

/// <summary>
/// DuckDB's spelling of customer-event queries: every value and every JSON path is a parameter. Properties are read with
/// DuckDB's JSON functions, which parse the text, so any valid JSON spelling of a name or value is understood. A JSON
/// number is read as a double there and cast to DECIMAL(38, 10) from its shortest text, which is exact for numbers of
/// up to 15 significant digits (money, counts and ratings in practice).
/// </summary>
internal sealed class DuckDbEventSql : EventSqlDialect
{
    private const string Decimal = "DECIMAL(38, 10)";
    private readonly List<DuckDBParameter> parameters = [];
    private readonly Dictionary<string, string> paths = new(StringComparer.Ordinal);

    public void AddParametersTo(DuckDBCommand command) => command.Parameters.AddRange(parameters);

    private string Parameter(object value)
    {
        var name = "v" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add(new DuckDBParameter(name, value));
        return "$" + name;
    }

    /// <summary>The JSON path <c>$."name"</c> of a top-level property, quoted so that any name is only a name.</summary>
    private string Path(string property)
    {
        if (!paths.TryGetValue(property, out var path))
        {
            var quoted = new StringBuilder("$.\"");
            foreach (var ch in property)
            {
                quoted.Append(ch is '"' or '\\' ? "\\" + ch : ch.ToString());
            }
            path = paths[property] = Parameter(quoted.Append('"').ToString());
        }
        return path;
    }

    public override string Text(string value) => Parameter(value);

    public override string Number(decimal value) => $"CAST({Parameter(value.ToString(CultureInfo.InvariantCulture))} AS {Decimal})";

    public override string HasCustomer => "customer_id <> ''";

    // ts holds microseconds: for stored v, v ≥ t ⇔ v ≥ ⌈t⌉µs and v < t ⇔ v < ⌈t⌉µs, whereas a DateTime parameter is truncated.
    public override string AtOrAfter(DateTime fromUtc) => $"ts >= {Parameter(CeilMicroseconds(fromUtc))}";

    public override string Before(DateTime untilUtc) => $"ts < {Parameter(CeilMicroseconds(untilUtc))}";

    public override string EarliestTime => "min(ts)";

    public override string Present(string property) => $"coalesce(json_type(properties, {Path(property)}) <> 'NULL', false)";

    public override string Raw(string property) => $"CAST(json_extract(properties, {Path(property)}) AS VARCHAR)";

    public override string IsText(string property) => $"coalesce(json_type(properties, {Path(property)}) = 'VARCHAR', false)";

    public override string TextValue(string property) => $"json_extract_string(properties, {Path(property)})";

    public override string IsNumber(string property) =>
        $"coalesce(json_type(properties, {Path(property)}) IN ('UBIGINT', 'BIGINT', 'DOUBLE') AND {NumberValue(property)} IS NOT NULL, false)";

    public override string NumberValue(string property) => $"TRY_CAST(json_extract(properties, {Path(property)}) AS {Decimal})";

    public override string EpochSeconds(string property) =>
        $"CASE WHEN {IsText(property)} AND regexp_matches({TextValue(property)}, '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') " +
        $"THEN CAST(floor(epoch(TRY_CAST({TextValue(property)} AS TIMESTAMPTZ))) AS BIGINT) END";

    public override string Contains(string haystack, string needle) => $"contains({haystack}, {needle})";

    public override string CountWhere(string condition) => $"count(*) FILTER (WHERE {condition})";

    public override string AggregateWhere(string function, string value, string condition) => $"{function}({value}) FILTER (WHERE {condition})";

    public override string Bit(int bit, string value) => $"({value} & {1L << bit}) != 0";

    public override string Concat(string a, string b) => $"({a} || {b})";

    public override string MedianWhere(string value, string condition) => $"median({value}) FILTER (WHERE {condition})";

    public override string GroupValue(string column) => $"CASE WHEN coalesce({column}, '') = '' THEN '' ELSE '=' || {column} END";

    public override string DisplayValue(string property) => TextValue(property);

    public override string GroupedWithTotal(string source, IReadOnlyList<string> columns, int groups) => $"""
        SELECT GROUPING(grp) AS total, coalesce(grp, '') AS gk, {string.Join(", ", columns.Select((c, i) => $"{c} AS x{i}"))}
        FROM ({source}) AS entered GROUP BY GROUPING SETS ((grp), ()) ORDER BY total DESC, x0 DESC, gk LIMIT {groups + 1}
        """;

    private static DateTime CeilMicroseconds(DateTime t)
    {
        var rest = t.Ticks % 10;
        return rest == 0 ? t : t.AddTicks(10 - rest);
    }
}
