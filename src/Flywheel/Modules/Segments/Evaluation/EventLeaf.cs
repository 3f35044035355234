using Flywheel.Modules.Segments.Language;
using Flywheel.Platform.Events;

namespace Flywheel.Modules.Segments.Evaluation;

/// <summary>
/// An event or aggregate condition as a question for the event store. The store names only customers with matching
/// events; <see cref="PassesWithNoEvents"/> says whether customers without any also meet the condition (<c>at most N
/// times</c>, <c>sum(...) &lt; 500</c>), in which case the members are everyone but those whose events fail the test.
/// </summary>
/// <param name="Query">The customers whose matching events pass the test.</param>
/// <param name="PassesWithNoEvents">Whether customers without matching events meet the condition too.</param>
/// <param name="WindowDays">For <c>in last N days</c>, N: membership may change when an event leaves the window.</param>
internal sealed record EventLeaf(CustomerEventQuery Query, bool PassesWithNoEvents, int? WindowDays)
{
    /// <summary>The same question with the test turned round: which customers' events fail it.</summary>
    public CustomerEventQuery Failing => Query with { Test = Negate(Query.Test) };

    public static bool IsEvent(Condition condition) => condition is EventCondition or AggregateCondition;

    public static EventLeaf Of(Condition condition, EvaluationContext context)
    {
        switch (condition)
        {
            case EventCondition e:
            {
                var test = e.Frequency.Kind switch
                {
                    FrequencyKind.AtLeast => new NumericTest(NumericOperator.GreaterOrEqual, e.Frequency.Times),
                    FrequencyKind.AtMost => new NumericTest(NumericOperator.LessOrEqual, e.Frequency.Times),
                    FrequencyKind.Exactly => new NumericTest(NumericOperator.Equal, e.Frequency.Times),
                    _ => throw new ArgumentOutOfRangeException(nameof(condition)),
                };
                return Build(context, e.EventType, e.Window, e.Where, EventMeasure.Count, null, test);
            }
            case AggregateCondition a:
            {
                var measure = a.Function switch
                {
                    AggregateFunction.Count => EventMeasure.Count,
                    AggregateFunction.Sum => EventMeasure.Sum,
                    AggregateFunction.Avg => EventMeasure.Avg,
                    AggregateFunction.Min => EventMeasure.Min,
                    AggregateFunction.Max => EventMeasure.Max,
                    _ => throw new ArgumentOutOfRangeException(nameof(condition)),
                };
                var test = new NumericTest(Numeric(a.Operator), a.Value);
                return Build(context, a.EventType, a.Window, a.Where, measure, measure == EventMeasure.Count ? null : a.Property, test);
            }
            default:
                throw new ArgumentException($"{condition.GetType().Name} is not an event condition.", nameof(condition));
        }
    }

    private static EventLeaf Build(
        EvaluationContext context, string type, TimeWindow? window, EventFilter? where, EventMeasure measure, string? property, NumericTest test)
    {
        var (from, until) = window switch
        {
            // now − N × 24 h ≤ t ≤ now; the store's upper bound is exclusive, so it is the instant just after now.
            InLastDays last => (context.DaysAgo(last.Days), context.Now.UtcDateTime.AddTicks(1)),
            // start(D1) ≤ t < start(D2 + 1 day)
            BetweenDates between => (context.StartOf(between.From), context.StartOf(between.To.AddDays(1))),
            null => ((DateTime?)null, (DateTime?)null),
            _ => throw new ArgumentOutOfRangeException(nameof(window)),
        };
        var query = new CustomerEventQuery(context.WorkspaceId, type, from, until, where is null ? null : EventFilters.Of(where, context), measure, property, test);
        // Over no events a count and a sum are 0; an average, minimum or maximum has no value and fails every test.
        var passesWithNone = measure is EventMeasure.Count or EventMeasure.Sum && Holds(test, 0);
        return new EventLeaf(query, passesWithNone, (window as InLastDays)?.Days);
    }

    private static bool Holds(NumericTest test, decimal value) => test.Operator switch
    {
        NumericOperator.Equal => value == test.Value,
        NumericOperator.NotEqual => value != test.Value,
        NumericOperator.Greater => value > test.Value,
        NumericOperator.GreaterOrEqual => value >= test.Value,
        NumericOperator.Less => value < test.Value,
        NumericOperator.LessOrEqual => value <= test.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(test)),
    };

    private static NumericTest Negate(NumericTest test) => test with
    {
        Operator = test.Operator switch
        {
            NumericOperator.Equal => NumericOperator.NotEqual,
            NumericOperator.NotEqual => NumericOperator.Equal,
            NumericOperator.Greater => NumericOperator.LessOrEqual,
            NumericOperator.GreaterOrEqual => NumericOperator.Less,
            NumericOperator.Less => NumericOperator.GreaterOrEqual,
            NumericOperator.LessOrEqual => NumericOperator.Greater,
            _ => throw new ArgumentOutOfRangeException(nameof(test)),
        },
    };

    private static NumericOperator Numeric(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => NumericOperator.Equal,
        ComparisonOperator.NotEqual => NumericOperator.NotEqual,
        ComparisonOperator.Greater => NumericOperator.Greater,
        ComparisonOperator.GreaterOrEqual => NumericOperator.GreaterOrEqual,
        ComparisonOperator.Less => NumericOperator.Less,
        ComparisonOperator.LessOrEqual => NumericOperator.LessOrEqual,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
