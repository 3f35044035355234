namespace Flywheel.Platform.Events;

/// <summary>What is computed over a customer's matching events before the test.</summary>
public enum EventMeasure { Count, Sum, Avg, Min, Max }

public enum NumericOperator { Equal, NotEqual, Greater, GreaterOrEqual, Less, LessOrEqual }

/// <summary>A comparison of a measure with a number; a measure without a value (avg, min, max over no numbers) fails it.</summary>
public sealed record NumericTest(NumericOperator Operator, decimal Value);

/// <summary>
/// A test on an event's top-level properties. A property that is absent (or JSON null) meets only
/// <see cref="PropertyOperator.IsNull"/>; every other test, <see cref="PropertyOperator.NotEqual"/> and
/// <see cref="PropertyOperator.NotIn"/> included, fails for it.
/// </summary>
public abstract record PropertyFilter;

/// <summary>All of the filters hold (an empty list always holds).</summary>
public sealed record PropertyAll(IReadOnlyList<PropertyFilter> Filters) : PropertyFilter;

/// <summary>At least one of the filters holds (an empty list never holds).</summary>
public sealed record PropertyAny(IReadOnlyList<PropertyFilter> Filters) : PropertyFilter;

public enum PropertyOperator { Equal, NotEqual, Greater, GreaterOrEqual, Less, LessOrEqual, In, NotIn, Contains, IsNull, IsNotNull }

/// <summary>
/// One property tested against values, all of one kind, which says how the property is read:
/// <list type="bullet">
/// <item><c>string</c>: a JSON string, compared exactly (case-sensitive); <see cref="PropertyOperator.Contains"/> is a substring test.</item>
/// <item><c>decimal</c>: a JSON number in plain notation (see <see cref="CustomerEventQueries"/>), compared exactly.</item>
/// <item><c>bool</c>: JSON <c>true</c> or <c>false</c>.</item>
/// <item><see cref="DateTime"/> (UTC): a JSON string holding an ISO-8601 date or date-time (UTC unless it carries an
/// offset), read to the whole second, compared as an instant with the value.</item>
/// </list>
/// A property of another JSON kind than the values' fails every test but <see cref="PropertyOperator.IsNotNull"/>.
/// <see cref="PropertyOperator.IsNull"/> and <see cref="PropertyOperator.IsNotNull"/> take no values; In and NotIn one
/// or more; the others exactly one. Ordering operators take numbers or date-times; Contains takes a string.
/// </summary>
public sealed record PropertyTest(string Property, PropertyOperator Operator, IReadOnlyList<object> Values) : PropertyFilter;

/// <summary>
/// Which customers have events of <paramref name="Type"/> in [<paramref name="FromUtc"/>, <paramref name="UntilUtc"/>)
/// passing <paramref name="Where"/>, whose <paramref name="Measure"/> over those events passes <paramref name="Test"/>.
/// </summary>
/// <param name="WorkspaceId">Only this workspace's events.</param>
/// <param name="Type">The event type, exactly.</param>
/// <param name="FromUtc">Inclusive; null for no lower bound.</param>
/// <param name="UntilUtc">Exclusive; null for no upper bound.</param>
/// <param name="Where">Null for every event of the type and window.</param>
/// <param name="Property">
/// The measured property: required for sum, avg, min and max; for count, null counts the events and a name counts the
/// events that have the property (present and not JSON null, of any kind).
/// </param>
/// <param name="Measure">What is computed over each customer's matching events.</param>
/// <param name="Test">What the measure must pass.</param>
public sealed record CustomerEventQuery(
    string WorkspaceId,
    string Type,
    DateTime? FromUtc,
    DateTime? UntilUtc,
    PropertyFilter? Where,
    EventMeasure Measure,
    string? Property,
    NumericTest Test);

/// <summary>
/// Limits and the checks every store makes first. Numbers are read exactly: a property counts as a number when its JSON
/// text is in plain notation with at most 28 digits before the point and 10 after it (<c>199.50</c>, <c>-3</c>; not
/// <c>1e3</c>), which a DECIMAL(38, 10) holds.
/// </summary>
public static class CustomerEventQueries
{
    /// <summary>The largest <c>among</c> list per call; callers ask in chunks.</summary>
    public const int MaxAmong = 1000;

    /// <summary>Throws <see cref="ArgumentException"/> for a query the stores cannot answer as documented.</summary>
    public static void Check(CustomerEventQuery query, IReadOnlyCollection<string>? among)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (among is not null && among.Count > MaxAmong)
        {
            throw new ArgumentException($"At most {MaxAmong} customers can be asked about at once; {among.Count} were given.", nameof(among));
        }
        if (query.Measure != EventMeasure.Count && query.Property is null)
        {
            throw new ArgumentException($"{query.Measure} needs a property to measure.", nameof(query));
        }
        CheckNumber(query.Test.Value);
        if (query.Where is not null)
        {
            CheckFilter(query.Where);
        }
    }

    /// <summary>Whether a DECIMAL(38, 10) holds the value exactly: a value the stores would round is refused rather than rounded.</summary>
    public static bool Fits(decimal value) => decimal.Round(value, 10) == value && Math.Abs(value) < 1e28m;

    private static void CheckNumber(decimal value)
    {
        if (!Fits(value))
        {
            throw new ArgumentException($"{value} has more than 10 decimal places or 28 digits before the point.", nameof(value));
        }
    }

    private static void CheckFilter(PropertyFilter filter)
    {
        switch (filter)
        {
            case PropertyAll all:
                all.Filters.ToList().ForEach(CheckFilter);
                break;
            case PropertyAny any:
                any.Filters.ToList().ForEach(CheckFilter);
                break;
            case PropertyTest test:
                CheckTest(test);
                break;
            default:
                throw new ArgumentException($"Unknown property filter {filter.GetType().Name}.", nameof(filter));
        }
    }

    private static void CheckTest(PropertyTest test)
    {
        var count = test.Values.Count;
        var countFits = test.Operator switch
        {
            PropertyOperator.IsNull or PropertyOperator.IsNotNull => count == 0,
            PropertyOperator.In or PropertyOperator.NotIn => count >= 1,
            _ => count == 1,
        };
        if (!countFits)
        {
            throw new ArgumentException($"{test.Operator} on '{test.Property}' was given {count} values.", nameof(test));
        }
        if (count == 0)
        {
            return;
        }
        var kind = test.Values[0]?.GetType();
        if (kind is null || kind != typeof(string) && kind != typeof(decimal) && kind != typeof(bool) && kind != typeof(DateTime)
            || test.Values.Any(v => v?.GetType() != kind))
        {
            throw new ArgumentException($"The values for '{test.Property}' must all be strings, decimals, bools or UTC date-times.", nameof(test));
        }
        var ordered = test.Operator is PropertyOperator.Greater or PropertyOperator.GreaterOrEqual or PropertyOperator.Less or PropertyOperator.LessOrEqual;
        if (ordered && kind != typeof(decimal) && kind != typeof(DateTime)
            || test.Operator == PropertyOperator.Contains && kind != typeof(string))
        {
            throw new ArgumentException($"{test.Operator} does not apply to {kind.Name} values ('{test.Property}').", nameof(test));
        }
        foreach (var number in test.Values.OfType<decimal>())
        {
            CheckNumber(number);
        }
        if (kind == typeof(DateTime) && test.Values.Any(v => ((DateTime)v).Kind != DateTimeKind.Utc))
        {
            throw new ArgumentException($"Date-times for '{test.Property}' must be UTC.", nameof(test));
        }
    }
}
