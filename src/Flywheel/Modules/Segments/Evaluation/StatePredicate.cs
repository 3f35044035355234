using Flywheel.Modules.Segments.Language;

namespace Flywheel.Modules.Segments.Evaluation;

/// <summary>
/// Writes a condition made only of attribute, tag and segment tests as one SQL predicate over <see cref="StateColumns.From"/>.
/// Every predicate written is true or false, never NULL: a comparison holds only for a present value (docs/segments.md:
/// a customer without the value meets only <c>is null</c>), so that <c>not</c>, <c>and</c> and <c>or</c> keep their
/// two-valued meaning in SQL.
/// </summary>
internal sealed class StatePredicate(SqlText sql, EvaluationContext context, SegmentReferences references)
{
    private const string True = "(1 = 1)";
    private const string False = "(1 = 0)";

    /// <summary>The tables what was written so far reads (tags and segments are found by the customer's row).</summary>
    public StateTables Tables { get; private set; }

    public static bool IsState(Condition condition) => condition switch
    {
        AttributeCondition or HasTagCondition or InSegmentCondition => true,
        AndCondition and => and.Conditions.All(IsState),
        OrCondition or => or.Conditions.All(IsState),
        NotCondition not => IsState(not.Condition),
        _ => false,
    };

    public string Write(Condition condition) => condition switch
    {
        AttributeCondition a => Attribute(a),
        HasTagCondition tag => Exists("cdp_customer_tags", "TagId", references.TagId(tag.Tag), "x.\"WorkspaceId\" = c.\"WorkspaceId\" AND "),
        InSegmentCondition segment => Exists("seg_members", "SegmentId", references.SegmentId(segment.SegmentKey), ""),
        AndCondition and => "(" + string.Join(" AND ", and.Conditions.Select(Write)) + ")",
        OrCondition or => "(" + string.Join(" OR ", or.Conditions.Select(Write)) + ")",
        NotCondition not => "(NOT " + Write(not.Condition) + ")",
        _ => throw new ArgumentException($"{condition.GetType().Name} is not a state-store condition.", nameof(condition)),
    };

    /// <summary>Whether the customer has a row in <paramref name="table"/> with the id; false for an id that does not exist.</summary>
    private string Exists(string table, string idColumn, string? id, string scope)
    {
        Tables |= StateTables.Customer;
        return id is null
            ? False
            : $"EXISTS (SELECT 1 FROM \"{table}\" x WHERE {scope}x.\"{idColumn}\" = {sql.Parameter(id)} AND x.\"CustomerExternalId\" = c.\"ExternalId\")";
    }

    private string Attribute(AttributeCondition condition)
    {
        if (condition.Attribute == "lifecycle" && condition.Comparison.Operator is ComparisonOperator.Equal or ComparisonOperator.NotEqual
            or ComparisonOperator.In or ComparisonOperator.NotIn)
        {
            return Lifecycle(condition.Comparison);
        }
        var column = StateColumns.Of(condition.Attribute, sql, context);
        Tables |= column.Tables;
        var comparison = condition.Comparison;
        return comparison.Operator switch
        {
            ComparisonOperator.IsNull => $"({column.Sql} IS NULL)",
            ComparisonOperator.IsNotNull => $"({column.Sql} IS NOT NULL)",
            _ => $"({column.Sql} IS NOT NULL AND {Compare(column, comparison)})",
        };
    }

    private string Compare(StateColumn column, Comparison comparison)
    {
        var op = comparison.Operator;
        if (op is ComparisonOperator.In or ComparisonOperator.NotIn)
        {
            var each = comparison.Values.Select(v => Compare(column, ComparisonOperator.Equal, v)).ToList();
            var any = "(" + string.Join(" OR ", each) + ")";
            return op == ComparisonOperator.In ? any : $"(NOT {any})";
        }
        return Compare(column, op, comparison.Value);
    }

    private string Compare(StateColumn column, ComparisonOperator op, Literal value)
    {
        if (op == ComparisonOperator.Contains)
        {
            var part = sql.Parameter(((StringLiteral)value).Value);
            return context.Postgres ? $"(strpos({column.Sql}, {part}) > 0)" : $"(instr({column.Sql}, {part}) > 0)";
        }
        return column.Kind switch
        {
            ColumnKind.Text => Binary(column.Sql, op, sql.Parameter(((StringLiteral)value).Value)),
            ColumnKind.Real => Binary(column.Sql, op, sql.Parameter((double)((NumberLiteral)value).Value)),
            ColumnKind.Whole => Whole(column, op, ((NumberLiteral)value).Value * column.Scale),
            ColumnKind.Date => Binary(column.Sql, op, sql.Parameter(((DateLiteral)value).Value)),
            ColumnKind.Instant => Instant(column.Sql, op, value),
            _ => throw new ArgumentOutOfRangeException(nameof(column)),
        };
    }

    /// <summary>Stages compared one by one (the stage is never null), each as its own predicate.</summary>
    private string Lifecycle(Comparison comparison)
    {
        Tables |= StateTables.Traits;
        var any = "(" + string.Join(" OR ", comparison.Values.Select(v => StateColumns.LifecycleStage(((StringLiteral)v).Value, sql, context))) + ")";
        return comparison.Operator is ComparisonOperator.Equal or ComparisonOperator.In ? any : $"(NOT {any})";
    }

    /// <summary>A whole-number column against any number, exactly: <c>orders_count &gt; 1.5</c> is <c>&gt;= 2</c>.</summary>
    private string Whole(StateColumn column, ComparisonOperator op, decimal value)
    {
        var whole = decimal.Truncate(value) == value;
        return op switch
        {
            ComparisonOperator.Equal => whole ? Binary(column.Sql, op, sql.Parameter((long)value)) : False,
            ComparisonOperator.NotEqual => whole ? Binary(column.Sql, op, sql.Parameter((long)value)) : True,
            ComparisonOperator.Greater => Binary(column.Sql, ComparisonOperator.GreaterOrEqual, sql.Parameter((long)decimal.Floor(value) + 1)),
            ComparisonOperator.GreaterOrEqual => Binary(column.Sql, op, sql.Parameter((long)decimal.Ceiling(value))),
            ComparisonOperator.Less => Binary(column.Sql, ComparisonOperator.LessOrEqual, sql.Parameter((long)decimal.Ceiling(value) - 1)),
            ComparisonOperator.LessOrEqual => Binary(column.Sql, op, sql.Parameter((long)decimal.Floor(value))),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
    }

    /// <summary>
    /// An instant against a date-time (itself), <c>N days ago</c> (now − N × 24 h) or a date (the whole local day:
    /// docs/segments.md, attribute conditions).
    /// </summary>
    private string Instant(string column, ComparisonOperator op, Literal value)
    {
        switch (value)
        {
            case DateTimeLiteral instant:
                return Binary(column, op, sql.Parameter(instant.Value.UtcTicks));
            case DaysAgoLiteral ago:
                return Binary(column, op, sql.Parameter(context.DaysAgo(ago.Days).Ticks));
            case DateLiteral date:
                var start = sql.Parameter(context.StartOf(date.Value).Ticks);
                var next = sql.Parameter(context.StartOf(date.Value.AddDays(1)).Ticks);
                return op switch
                {
                    ComparisonOperator.Equal => $"({column} >= {start} AND {column} < {next})",
                    ComparisonOperator.NotEqual => $"({column} < {start} OR {column} >= {next})",
                    ComparisonOperator.Less or ComparisonOperator.Before => $"({column} < {start})",
                    ComparisonOperator.LessOrEqual => $"({column} < {next})",
                    ComparisonOperator.Greater or ComparisonOperator.After => $"({column} >= {next})",
                    ComparisonOperator.GreaterOrEqual => $"({column} >= {start})",
                    _ => throw new ArgumentOutOfRangeException(nameof(op)),
                };
            default:
                throw new ArgumentException($"An instant cannot be compared with {value.ToText()}.", nameof(value));
        }
    }

    private static string Binary(string left, ComparisonOperator op, string right) => op switch
    {
        ComparisonOperator.Equal => $"({left} = {right})",
        ComparisonOperator.NotEqual => $"({left} <> {right})",
        ComparisonOperator.Greater or ComparisonOperator.After => $"({left} > {right})",
        ComparisonOperator.GreaterOrEqual => $"({left} >= {right})",
        ComparisonOperator.Less or ComparisonOperator.Before => $"({left} < {right})",
        ComparisonOperator.LessOrEqual => $"({left} <= {right})",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
