namespace Flywheel.Modules.Segments.Language;

public enum AggregateFunction
{
    Sum,
    Avg,
    Min,
    Max,
    Count,
}

/// <summary>
/// A number computed over the customer's events, compared with a number:
/// <c>sum(order_paid.amount) in last 30 days >= 500</c>. <c>count</c> may leave out the property (it then counts
/// events; with a property, events where the property is present). Over no events, <c>sum</c> and <c>count</c> are 0 and
/// <c>avg</c>, <c>min</c> and <c>max</c> have no value, so that no comparison with them holds.
/// </summary>
public sealed record AggregateCondition : Condition
{
    public AggregateCondition(
        AggregateFunction function, string eventType, string? property, TimeWindow? window, EventFilter? where,
        ComparisonOperator @operator, decimal value)
    {
        if (property is null && function != AggregateFunction.Count)
        {
            throw new ArgumentException($"{function} needs a property to aggregate.", nameof(property));
        }
        if (!@operator.IsNumeric())
        {
            throw new ArgumentException($"An aggregate is compared with =, !=, >, >=, < or <=, not '{@operator.ToText()}'.", nameof(@operator));
        }
        Function = function;
        EventType = eventType;
        Property = property;
        Window = window;
        Where = where;
        Operator = @operator;
        Value = value;
    }

    public AggregateFunction Function { get; }

    public string EventType { get; }

    public string? Property { get; }

    public TimeWindow? Window { get; }

    public EventFilter? Where { get; }

    public ComparisonOperator Operator { get; }

    public decimal Value { get; }
}
