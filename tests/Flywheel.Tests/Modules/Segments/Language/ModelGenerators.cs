using CsCheck;
using Flywheel.Modules.Segments.Language;

namespace Flywheel.Tests.Modules.Segments.Language;

/// <summary>
/// Random conditions covering every node and value kind, with names that include keywords usable as names
/// (count, has, sum) and Chinese ones, and strings with quotes and Chinese text.
/// </summary>
internal static class ModelGenerators
{
    private static readonly Gen<string> Name = Gen.OneOf<string>("lifecycle", "city", "orders_count", "count", "has", "sum", "名字", "x_1", "_tmp");
    private static readonly Gen<string> EventType = Gen.OneOf<string>("order_paid", "product_view", "wishlist_viewed", "e2");
    private static readonly Gen<string> Text = Gen.Char["ab '上海\"\\\n%"].Array[0, 8].Select(chars => new string(chars));

    private static readonly Gen<Literal> Value = Gen.OneOf<Literal>(
        Text.Select(s => (Literal)new StringLiteral(s)),
        Gen.Decimal.Select(d => (Literal)new NumberLiteral(d)),
        Gen.Int[-1000, 1000].Select(i => (Literal)new NumberLiteral(i / 100m)),
        Gen.Bool.Select(b => (Literal)new BooleanLiteral(b)),
        Gen.DateOnly.Select(d => (Literal)new DateLiteral(d)),
        Gen.DateTimeOffset.Select(t => (Literal)new DateTimeLiteral(t)),
        Gen.Int[-5, 400].Select(n => (Literal)new DaysAgoLiteral(n)));

    private static readonly Gen<Comparison> AnyComparison = Gen.Enum<ComparisonOperator>().SelectMany(op =>
        op.TakesNoValue() ? Gen.Const(new Comparison(op, []))
        : op.TakesList() ? Value.Array[1, 4].Select(values => new Comparison(op, ValueList.Create<Literal>(values)))
        : Value.Select(value => Comparison.Of(op, value)));

    private static readonly Gen<TimeWindow?> Window = Gen.OneOf<TimeWindow?>(
        Gen.Const((TimeWindow?)null),
        Gen.Int[-3, 1000].Select(days => (TimeWindow?)new InLastDays(days)),
        Gen.Select(Gen.DateOnly, Gen.DateOnly, (from, to) => (TimeWindow?)new BetweenDates(from, to)));

    private static readonly Gen<Frequency> AnyFrequency =
        Gen.Select(Gen.Enum<FrequencyKind>(), Gen.Int[-2, 50], (kind, times) => new Frequency(kind, times));

    private static readonly Gen<EventFilter> Filter = Gen.Recursive<EventFilter>((depth, self) =>
    {
        var leaf = Gen.Select(Name, AnyComparison, (name, comparison) => (EventFilter)new PropertyComparison(name, comparison));
        return depth >= 2 ? leaf : Gen.Frequency(
            (3, leaf),
            (1, self.Array[2, 3].Select(filters => (EventFilter)new AndFilter(ValueList.Create<EventFilter>(filters)))),
            (1, self.Array[2, 3].Select(filters => (EventFilter)new OrFilter(ValueList.Create<EventFilter>(filters)))));
    });

    private static readonly Gen<EventFilter?> MaybeFilter = Gen.OneOf<EventFilter?>(Gen.Const((EventFilter?)null), Filter.Select(f => (EventFilter?)f));

    private static readonly Gen<Condition> Event =
        Gen.Select(EventType, AnyFrequency, Window, MaybeFilter, (type, frequency, window, where) => (Condition)new EventCondition(type, frequency, window, where));

    private static readonly Gen<Condition> Aggregate = Gen.Select(
        Gen.Enum<AggregateFunction>(), EventType, Gen.OneOf<string?>(Gen.Const((string?)null), Name.Select(n => (string?)n)), Window, MaybeFilter,
        Gen.OneOf<ComparisonOperator>(ComparisonOperator.Equal, ComparisonOperator.NotEqual, ComparisonOperator.Greater, ComparisonOperator.GreaterOrEqual,
            ComparisonOperator.Less, ComparisonOperator.LessOrEqual),
        Gen.Decimal,
        (function, type, property, window, where, op, value) => (Condition)new AggregateCondition(
            function, type, function == AggregateFunction.Count ? property : property ?? "amount", window, where, op, value));

    private static readonly Gen<Condition> Leaf = Gen.Frequency(
        (3, Gen.Select(Name, AnyComparison, (name, comparison) => (Condition)new AttributeCondition(name, comparison))),
        (2, Event),
        (1, Aggregate),
        (1, Text.Select(key => (Condition)new InSegmentCondition(key))),
        (1, Text.Select(tag => (Condition)new HasTagCondition(tag))));

    public static readonly Gen<Condition> Condition = Gen.Recursive<Condition>((depth, self) => depth >= 4 ? Leaf : Gen.Frequency(
        (3, Leaf),
        (1, self.Array[2, 4].Select(items => (Condition)new AndCondition(ValueList.Create<Condition>(items)))),
        (1, self.Array[2, 4].Select(items => (Condition)new OrCondition(ValueList.Create<Condition>(items)))),
        (1, self.Select(inner => (Condition)new NotCondition(inner)))));
}
