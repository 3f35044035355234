using Flywheel.Modules.Segments.Language;
using Flywheel.Platform.Events;

namespace Flywheel.Modules.Segments.Evaluation;

/// <summary>
/// A <c>where</c> on event properties as the event store's filter. Dates become instants here, by the same whole-local-day
/// rule as attributes, and <c>N days ago</c> the instant now − N × 24 h, so that stores only ever compare instants.
/// </summary>
internal static class EventFilters
{
    public static PropertyFilter Of(EventFilter filter, EvaluationContext context) => filter switch
    {
        AndFilter and => new PropertyAll([.. and.Filters.Select(f => Of(f, context))]),
        OrFilter or => new PropertyAny([.. or.Filters.Select(f => Of(f, context))]),
        PropertyComparison p => Comparison(p.Property, p.Comparison, context),
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    private static PropertyFilter Comparison(string property, Comparison comparison, EvaluationContext context)
    {
        var op = comparison.Operator;
        if (comparison.Values.Count == 1 && comparison.Value is DateLiteral date)
        {
            var start = context.StartOf(date.Value);
            var next = context.StartOf(date.Value.AddDays(1));
            PropertyTest Test(PropertyOperator o, DateTime at) => new(property, o, [at]);
            return op switch
            {
                ComparisonOperator.Equal => new PropertyAll([Test(PropertyOperator.GreaterOrEqual, start), Test(PropertyOperator.Less, next)]),
                ComparisonOperator.NotEqual => new PropertyAny([Test(PropertyOperator.Less, start), Test(PropertyOperator.GreaterOrEqual, next)]),
                ComparisonOperator.Less or ComparisonOperator.Before => Test(PropertyOperator.Less, start),
                ComparisonOperator.LessOrEqual => Test(PropertyOperator.Less, next),
                ComparisonOperator.Greater or ComparisonOperator.After => Test(PropertyOperator.GreaterOrEqual, next),
                ComparisonOperator.GreaterOrEqual => Test(PropertyOperator.GreaterOrEqual, start),
                _ => throw new ArgumentOutOfRangeException(nameof(comparison)),
            };
        }
        var storeOp = op switch
        {
            ComparisonOperator.Equal => PropertyOperator.Equal,
            ComparisonOperator.NotEqual => PropertyOperator.NotEqual,
            ComparisonOperator.Greater or ComparisonOperator.After => PropertyOperator.Greater,
            ComparisonOperator.GreaterOrEqual => PropertyOperator.GreaterOrEqual,
            ComparisonOperator.Less or ComparisonOperator.Before => PropertyOperator.Less,
            ComparisonOperator.LessOrEqual => PropertyOperator.LessOrEqual,
            ComparisonOperator.In => PropertyOperator.In,
            ComparisonOperator.NotIn => PropertyOperator.NotIn,
            ComparisonOperator.Contains => PropertyOperator.Contains,
            ComparisonOperator.IsNull => PropertyOperator.IsNull,
            ComparisonOperator.IsNotNull => PropertyOperator.IsNotNull,
            _ => throw new ArgumentOutOfRangeException(nameof(comparison)),
        };
        return new PropertyTest(property, storeOp, [.. comparison.Values.Select(v => Value(v, context))]);
    }

    private static object Value(Literal literal, EvaluationContext context) => literal switch
    {
        StringLiteral s => s.Value,
        NumberLiteral n => n.Value,
        BooleanLiteral b => b.Value,
        DateTimeLiteral t => t.Value.UtcDateTime,
        DaysAgoLiteral ago => context.DaysAgo(ago.Days),
        _ => throw new ArgumentException($"{literal.ToText()} cannot be compared with an event property.", nameof(literal)),
    };
}
