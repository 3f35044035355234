namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// A segment condition: the one model behind the text form (<see cref="SegmentText"/>) and the JSON form
/// (<see cref="SegmentJson"/>). Conditions are immutable records compared by value, and carry no source positions, so
/// that the same condition written twice, or once as text and once as JSON, is the same value.
/// </summary>
public abstract record Condition;

/// <summary>All of the conditions hold (<c>a and b and c</c>).</summary>
public sealed record AndCondition : Condition
{
    public AndCondition(ValueList<Condition> conditions) => Conditions = Connectives.AtLeastTwo(conditions, "and");

    public ValueList<Condition> Conditions { get; }
}

/// <summary>At least one of the conditions holds (<c>a or b or c</c>).</summary>
public sealed record OrCondition : Condition
{
    public OrCondition(ValueList<Condition> conditions) => Conditions = Connectives.AtLeastTwo(conditions, "or");

    public ValueList<Condition> Conditions { get; }
}

/// <summary>The condition does not hold (<c>not a</c>; <c>not did x</c> is this around an event condition).</summary>
public sealed record NotCondition(Condition Condition) : Condition;

/// <summary>The customer belongs to the segment with this key (<c>in segment 'high-value'</c>).</summary>
public sealed record InSegmentCondition(string SegmentKey) : Condition;

/// <summary>The customer carries this tag (<c>has tag 'VIP'</c>).</summary>
public sealed record HasTagCondition(string Tag) : Condition;

internal static class Connectives
{
    /// <summary>
    /// A group of one is written without the group in both forms, so a model never holds one: that keeps a single model
    /// for each text and lets parse(print(m)) == m hold.
    /// </summary>
    public static ValueList<T> AtLeastTwo<T>(ValueList<T> items, string connective)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count < 2)
        {
            throw new ArgumentException($"'{connective}' joins at least two conditions; {items.Count} given.", nameof(items));
        }
        return items;
    }
}
