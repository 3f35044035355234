namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// An operator with its values, as applied to an attribute or an event property: <c>= 'dormant'</c>,
/// <c>in ('上海', '杭州')</c>, <c>is null</c>. The number of values always fits the operator: none for the null tests, one
/// or more for <c>in</c> and <c>not in</c>, exactly one otherwise.
/// </summary>
public sealed record Comparison
{
    public Comparison(ComparisonOperator @operator, ValueList<Literal> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var fits = @operator.TakesNoValue() ? values.Count == 0 : @operator.TakesList() ? values.Count >= 1 : values.Count == 1;
        if (!fits)
        {
            throw new ArgumentException($"'{@operator.ToText()}' cannot take {values.Count} value(s).", nameof(values));
        }
        Operator = @operator;
        Values = values;
    }

    public ComparisonOperator Operator { get; }

    public ValueList<Literal> Values { get; }

    /// <summary>The single value of an operator that takes one.</summary>
    public Literal Value => Values[0];

    public static Comparison Of(ComparisonOperator op, Literal value) => new(op, [value]);

    public static Comparison In(params Literal[] values) => new(ComparisonOperator.In, ValueList.Create<Literal>(values));

    public static Comparison NotIn(params Literal[] values) => new(ComparisonOperator.NotIn, ValueList.Create<Literal>(values));

    public static Comparison IsNull() => new(ComparisonOperator.IsNull, []);

    public static Comparison IsNotNull() => new(ComparisonOperator.IsNotNull, []);
}

/// <summary>A comparison of a customer attribute or computed trait: <c>lifecycle = 'dormant'</c>.</summary>
public sealed record AttributeCondition(string Attribute, Comparison Comparison) : Condition;
