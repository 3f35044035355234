using System.Globalization;

namespace Flywheel.Platform.Events;

/// <summary>
/// What the stores spell differently when they answer a <see cref="CustomerEventQuery"/>: how values enter the SQL
/// (parameters or escaped literals), how a property is read out of the JSON text, the time column and filtered aggregates.
/// Every expression it returns is safe to paste: user text only ever reaches SQL through <see cref="Text"/> or a
/// property name handed to a reader.
/// </summary>
internal abstract class EventSqlDialect
{
    public abstract string Text(string value);

    /// <summary>An exact number (at most 10 decimal places) as a DECIMAL(38, 10).</summary>
    public abstract string Number(decimal value);

    /// <summary>Stored events with a customer (DuckDB stores none as NULL, ClickHouse as '').</summary>
    public abstract string HasCustomer { get; }

    public abstract string AtOrAfter(DateTime fromUtc);

    public abstract string Before(DateTime untilUtc);

    public abstract string EarliestTime { get; }

    /// <summary>True when the property is present and not JSON null; never NULL.</summary>
    public abstract string Present(string property);

    /// <summary>The property's JSON text (<c>true</c>, <c>"x"</c>, <c>1.5</c>); something other than these when absent.</summary>
    public abstract string Raw(string property);

    public abstract string IsText(string property);

    /// <summary>The property's string, unescaped; read only where <see cref="IsText"/> holds.</summary>
    public abstract string TextValue(string property);

    /// <summary>True when the property is a number as <see cref="CustomerEventQueries"/> defines it.</summary>
    public abstract string IsNumber(string property);

    /// <summary>The number as DECIMAL(38, 10); read only where <see cref="IsNumber"/> holds.</summary>
    public abstract string NumberValue(string property);

    /// <summary>Whole seconds since the Unix epoch of an ISO-8601 date(-time) string property; NULL otherwise.</summary>
    public abstract string EpochSeconds(string property);

    public abstract string Contains(string haystack, string needle);

    public abstract string CountWhere(string condition);

    /// <summary><paramref name="function"/> (sum, min, max) over the rows where <paramref name="condition"/> holds.</summary>
    public abstract string AggregateWhere(string function, string value, string condition);

    // Funnels (FunnelSql).

    /// <summary>True when bit <paramref name="bit"/> of the integer <paramref name="value"/> is set.</summary>
    public abstract string Bit(int bit, string value);

    public abstract string Concat(string a, string b);

    /// <summary>The median (the mean of the two middle values for an even count) of the rows where the condition holds; NULL for none.</summary>
    public abstract string MedianWhere(string value, string condition);

    /// <summary>A context column's value as a group key: '' when absent or empty, else '=' and the value.</summary>
    public abstract string GroupValue(string column);

    /// <summary>A property's value as text: a string unescaped, anything else as its JSON text.</summary>
    public abstract string DisplayValue(string property);

    /// <summary>
    /// Aggregates <paramref name="columns"/> over the rows of <paramref name="source"/> for all of them (total flag 1) and
    /// per group (grp), the largest groups first, at most <paramref name="groups"/>: rows of total flag, group, columns.
    /// </summary>
    public abstract string GroupedWithTotal(string source, IReadOnlyList<string> columns, int groups);
}

/// <summary>The SQL of <see cref="IEventStore.CustomersMatchingAsync"/> and <see cref="IEventStore.EarliestMatchingAsync"/>, written once for both stores.</summary>
internal static class CustomerEventSql
{
    private const string True = "1 = 1";
    private const string False = "1 = 0";

    /// <summary>Customers whose matching events pass the measure's test; one column, the customer id.</summary>
    public static string Matching(CustomerEventQuery query, IReadOnlyCollection<string>? among, EventSqlDialect d) =>
        $"SELECT customer_id FROM events WHERE {Where(query, among, d)} GROUP BY customer_id HAVING {Having(query, d)}";

    /// <summary>Customer id and the time of their earliest matching event.</summary>
    public static string Earliest(CustomerEventQuery query, IReadOnlyCollection<string>? among, EventSqlDialect d) =>
        $"SELECT customer_id, {d.EarliestTime} FROM events WHERE {Where(query, among, d)} GROUP BY customer_id";

    private static string Where(CustomerEventQuery query, IReadOnlyCollection<string>? among, EventSqlDialect d)
    {
        var parts = new List<string>
        {
            $"workspace_id = {d.Text(query.WorkspaceId)}",
            $"type = {d.Text(query.Type)}",
            d.HasCustomer,
        };
        if (query.FromUtc is { } from)
        {
            parts.Add(d.AtOrAfter(from));
        }
        if (query.UntilUtc is { } until)
        {
            parts.Add(d.Before(until));
        }
        if (among is not null)
        {
            parts.Add(among.Count == 0 ? False : $"customer_id IN ({string.Join(", ", among.Select(d.Text))})");
        }
        if (query.Where is not null)
        {
            parts.Add($"({Filter(query.Where, d)})");
        }
        return string.Join(" AND ", parts);
    }

    private static string Having(CustomerEventQuery query, EventSqlDialect d)
    {
        var test = query.Test;
        var value = d.Number(test.Value);
        if (query.Measure == EventMeasure.Count)
        {
            var count = query.Property is null ? "count(*)" : d.CountWhere(d.Present(query.Property));
            return $"{count} {Operator(test.Operator)} {value}";
        }
        var property = query.Property!;
        var isNumber = d.IsNumber(property);
        var numbers = d.CountWhere(isNumber);
        var number = d.NumberValue(property);
        switch (query.Measure)
        {
            case EventMeasure.Sum:
                // The sum over no numbers is 0: whether 0 passes is known here, so no NULL needs coalescing in SQL.
                var sum = $"{d.AggregateWhere("sum", number, isNumber)} {Operator(test.Operator)} {value}";
                return Compare(0m, test.Operator, test.Value) ? $"({numbers} = 0 OR {sum})" : $"({numbers} > 0 AND {sum})";
            case EventMeasure.Avg:
                // avg op v ⇔ sum op v × n for n > 0: exact, where a division would round.
                return $"({numbers} > 0 AND {d.AggregateWhere("sum", number, isNumber)} {Operator(test.Operator)} {value} * {numbers})";
            default:
                var function = query.Measure == EventMeasure.Min ? "min" : "max";
                return $"({numbers} > 0 AND {d.AggregateWhere(function, number, isNumber)} {Operator(test.Operator)} {value})";
        }
    }

    /// <summary>A property filter as a condition on the events' properties (funnel steps use it too).</summary>
    public static string FilterText(PropertyFilter filter, EventSqlDialect d) => Filter(filter, d);

    private static string Filter(PropertyFilter filter, EventSqlDialect d) => filter switch
    {
        PropertyAll all => all.Filters.Count == 0 ? True : string.Join(" AND ", all.Filters.Select(f => $"({Filter(f, d)})")),
        PropertyAny any => any.Filters.Count == 0 ? False : string.Join(" OR ", any.Filters.Select(f => $"({Filter(f, d)})")),
        PropertyTest test => Test(test, d),
        _ => throw new ArgumentException($"Unknown property filter {filter.GetType().Name}.", nameof(filter)),
    };

    private static string Test(PropertyTest test, EventSqlDialect d)
    {
        var p = test.Property;
        switch (test.Operator)
        {
            case PropertyOperator.IsNull:
                return $"NOT ({d.Present(p)})";
            case PropertyOperator.IsNotNull:
                return d.Present(p);
            case PropertyOperator.In:
                return string.Join(" OR ", test.Values.Select(v => $"({Compare(p, PropertyOperator.Equal, v, d)})"));
            case PropertyOperator.NotIn:
                return string.Join(" AND ", test.Values.Select(v => $"({Compare(p, PropertyOperator.NotEqual, v, d)})"));
            default:
                return Compare(p, test.Operator, test.Values[0], d);
        }
    }

    /// <summary>One comparison of a present property of the value's kind; absent or of another kind, it fails.</summary>
    private static string Compare(string p, PropertyOperator op, object value, EventSqlDialect d) => value switch
    {
        string s when op == PropertyOperator.Contains => $"{d.IsText(p)} AND {d.Contains(d.TextValue(p), d.Text(s))}",
        string s => $"{d.IsText(p)} AND {d.TextValue(p)} {Operator(op)} {d.Text(s)}",
        decimal n => $"{d.IsNumber(p)} AND {d.NumberValue(p)} {Operator(op)} {d.Number(n)}",
        // JSON has two booleans: "≠ true" is "= false", and neither holds for a property of another kind.
        bool b => $"{d.Raw(p)} = {d.Text(op == PropertyOperator.Equal == b ? "true" : "false")}",
        DateTime t => CompareSeconds(d.EpochSeconds(p), op, t),
        _ => throw new ArgumentException($"Unsupported value {value} for '{p}'.", nameof(value)),
    };

    /// <summary>
    /// A whole-second reading s against an instant t: s ≥ t ⇔ s ≥ ⌈t⌉, s &gt; t ⇔ s &gt; ⌊t⌋ (and so on), and s = t only
    /// when t is a whole second.
    /// </summary>
    private static string CompareSeconds(string s, PropertyOperator op, DateTime t)
    {
        var ticks = t.Ticks - DateTime.UnixEpoch.Ticks;
        var floor = ticks / TimeSpan.TicksPerSecond - (ticks % TimeSpan.TicksPerSecond < 0 ? 1 : 0);
        var whole = floor * TimeSpan.TicksPerSecond == ticks;
        var ceil = whole ? floor : floor + 1;
        string Seconds(long v) => v.ToString(CultureInfo.InvariantCulture);
        return op switch
        {
            PropertyOperator.Equal => whole ? $"{s} = {Seconds(floor)}" : False,
            PropertyOperator.NotEqual => whole ? $"{s} != {Seconds(floor)}" : $"{s} IS NOT NULL",
            PropertyOperator.Greater => $"{s} > {Seconds(floor)}",
            PropertyOperator.GreaterOrEqual => $"{s} >= {Seconds(ceil)}",
            PropertyOperator.Less => $"{s} < {Seconds(ceil)}",
            PropertyOperator.LessOrEqual => $"{s} <= {Seconds(floor)}",
            _ => throw new ArgumentException($"{op} does not apply to date-times.", nameof(op)),
        };
    }

    private static string Operator(PropertyOperator op) => op switch
    {
        PropertyOperator.Equal => "=",
        PropertyOperator.NotEqual => "!=",
        PropertyOperator.Greater => ">",
        PropertyOperator.GreaterOrEqual => ">=",
        PropertyOperator.Less => "<",
        PropertyOperator.LessOrEqual => "<=",
        _ => throw new ArgumentException($"{op} is not a comparison.", nameof(op)),
    };

    private static string Operator(NumericOperator op) => Operator(op switch
    {
        NumericOperator.Equal => PropertyOperator.Equal,
        NumericOperator.NotEqual => PropertyOperator.NotEqual,
        NumericOperator.Greater => PropertyOperator.Greater,
        NumericOperator.GreaterOrEqual => PropertyOperator.GreaterOrEqual,
        NumericOperator.Less => PropertyOperator.Less,
        _ => PropertyOperator.LessOrEqual,
    });

    private static bool Compare(decimal a, NumericOperator op, decimal b) => op switch
    {
        NumericOperator.Equal => a == b,
        NumericOperator.NotEqual => a != b,
        NumericOperator.Greater => a > b,
        NumericOperator.GreaterOrEqual => a >= b,
        NumericOperator.Less => a < b,
        _ => a <= b,
    };
}
