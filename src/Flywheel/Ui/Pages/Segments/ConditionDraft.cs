using System.Globalization;
using System.Text.RegularExpressions;
using Flywheel.Modules.Segments.Language;

namespace Flywheel.Ui.Pages.Segments;

public enum Joiner
{
    And,
    Or,
}

public enum RowKind
{
    Attribute,
    Event,
    Aggregate,
    HasTag,
    InSegment,
}

public enum WindowKind
{
    Always,
    LastDays,
    Between,
}

/// <summary>
/// A condition as the visual builder holds it while it is edited: groups of rows, the groups joined by one connective
/// and the rows of each group by their own. Rows may be half filled in; <see cref="ToCondition"/> leaves those out, so
/// the text form always shows what the finished rows mean.
/// </summary>
public sealed class ConditionDraft
{
    public Joiner Joiner { get; set; } = Joiner.And;

    public List<RowGroup> Groups { get; } = [];

    /// <summary>The condition the finished rows make, or null when no row is finished.</summary>
    public Condition? ToCondition() => Join(Joiner, Groups.Select(g => Join(g.Joiner, g.Rows.Select(r => r.ToCondition()).OfType<Condition>())).OfType<Condition>());

    /// <summary>
    /// The builder's picture of a condition, or null when the builder cannot show it (a group nested deeper than two levels,
    /// <c>not</c> around a group, an <c>or</c> inside a <c>where</c>): such conditions are edited as text.
    /// </summary>
    public static ConditionDraft? From(Condition condition)
    {
        var draft = new ConditionDraft();
        var ok = condition switch
        {
            AndCondition and => draft.AddGroups(Joiner.And, and.Conditions),
            OrCondition or => draft.AddGroups(Joiner.Or, or.Conditions),
            _ => draft.AddLeaf(Joiner.And, condition, null),
        };
        // A value the builder would read back differently (a string of digits on an untyped property) stays text, so that
        // showing a condition in the builder never changes it.
        return ok && Equals(draft.ToCondition(), condition) ? draft : null;
    }

    private bool AddGroups(Joiner outer, ValueList<Condition> operands)
    {
        Joiner = outer;
        RowGroup? run = null;
        foreach (var operand in operands)
        {
            // Under "and" an "or" is a group of its own, and under "or" an "and"; anything else joins the run of single rows.
            var inner = (outer, operand) switch
            {
                (Joiner.And, OrCondition or) => or.Conditions,
                (Joiner.Or, AndCondition and) => and.Conditions,
                _ => null,
            };
            if (inner is null)
            {
                run ??= NewGroup(outer);
                if (!AddLeaf(outer, operand, run))
                {
                    return false;
                }
                continue;
            }
            run = null;
            var group = NewGroup(outer == Joiner.And ? Joiner.Or : Joiner.And);
            foreach (var leaf in inner)
            {
                if (!AddLeaf(group.Joiner, leaf, group))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private bool AddLeaf(Joiner joiner, Condition condition, RowGroup? group)
    {
        if (ConditionRow.Read(condition) is not { } row)
        {
            return false;
        }
        (group ?? NewGroup(joiner)).Rows.Add(row);
        return true;
    }

    private RowGroup NewGroup(Joiner joiner)
    {
        var group = new RowGroup { Joiner = joiner };
        Groups.Add(group);
        return group;
    }

    /// <summary>Joins conditions, taking the operands of a group of the same kind into this one, as the parser reads them.</summary>
    internal static Condition? Join(Joiner joiner, IEnumerable<Condition> conditions)
    {
        var flat = conditions.SelectMany(c => (joiner, c) switch
        {
            (Joiner.And, AndCondition and) => and.Conditions,
            (Joiner.Or, OrCondition or) => (IEnumerable<Condition>)or.Conditions,
            _ => [c],
        }).ToList();
        return flat.Count switch
        {
            0 => null,
            1 => flat[0],
            _ => joiner == Joiner.And ? new AndCondition(ValueList.From(flat)) : new OrCondition(ValueList.From(flat)),
        };
    }
}

public sealed class RowGroup
{
    public Joiner Joiner { get; set; } = Joiner.And;

    public List<ConditionRow> Rows { get; } = [];
}

/// <summary>One line of the builder: an attribute test, an event, an aggregate, a tag or another segment.</summary>
public sealed partial class ConditionRow
{
    public RowKind Kind { get; set; } = RowKind.Attribute;

    /// <summary>"not did", "not has tag", "not in segment".</summary>
    public bool Negated { get; set; }

    public string? Attribute { get; set; }

    public ComparisonOperator Operator { get; set; } = ComparisonOperator.Equal;

    /// <summary>The value as typed, without quotes; the values of <c>in</c> separated by commas.</summary>
    public string? Value { get; set; }

    public string? EventType { get; set; }

    public FrequencyKind Frequency { get; set; } = FrequencyKind.AtLeast;

    public int Times { get; set; } = 1;

    public WindowKind Window { get; set; } = WindowKind.Always;

    public int Days { get; set; } = 30;

    public DateTime? From { get; set; }

    public DateTime? To { get; set; }

    public List<PropertyRow> Where { get; } = [];

    public AggregateFunction Function { get; set; } = AggregateFunction.Sum;

    /// <summary>The aggregated property; none for <c>count</c> of events.</summary>
    public string? Property { get; set; }

    public decimal Number { get; set; }

    /// <summary>The tag or the segment key.</summary>
    public string? Name { get; set; }

    public AttributeType? AttributeType => Attribute is null ? null : SegmentCatalogue.Default.FindAttribute(Attribute)?.Type;

    /// <summary>The condition of a finished row, or null while something it needs is missing or unreadable.</summary>
    public Condition? ToCondition()
    {
        Condition? condition = Kind switch
        {
            RowKind.Attribute => Attribute is { Length: > 0 } && SegmentCatalogue.Default.FindAttribute(Attribute) is { } definition
                && Values.Comparison(definition.Type, Operator, Value) is { } comparison
                ? new AttributeCondition(Attribute, comparison) : null,
            RowKind.Event => Names(EventType) && Times >= 1 && TimeWindow(out var window) && Filter(out var filter)
                ? new EventCondition(EventType!, new Frequency(Frequency, Times), window, filter) : null,
            RowKind.Aggregate => Names(EventType) && (Property is { Length: > 0 } || Function == AggregateFunction.Count)
                && Operator.IsNumeric() && TimeWindow(out var window) && Filter(out var filter)
                ? new AggregateCondition(Function, EventType!, string.IsNullOrWhiteSpace(Property) ? null : Property.Trim(), window, filter, Operator, Number) : null,
            RowKind.HasTag => Name is { Length: > 0 } ? new HasTagCondition(Name) : null,
            RowKind.InSegment => Name is { Length: > 0 } ? new InSegmentCondition(Name) : null,
            _ => null,
        };
        return condition is not null && Negated && Kind is not RowKind.Attribute and not RowKind.Aggregate ? new NotCondition(condition) : condition;
    }

    internal static ConditionRow? Read(Condition condition)
    {
        switch (condition)
        {
            case NotCondition { Condition: EventCondition or HasTagCondition or InSegmentCondition } not:
                if (Read(not.Condition) is not { } negated)
                {
                    return null;
                }
                negated.Negated = true;
                return negated;
            case AttributeCondition a:
                return Values.Text(a.Comparison) is { } text ? new ConditionRow { Attribute = a.Attribute, Operator = a.Comparison.Operator, Value = text } : null;
            case EventCondition e:
                var ev = new ConditionRow { Kind = RowKind.Event, EventType = e.EventType, Frequency = e.Frequency.Kind, Times = e.Frequency.Times };
                return ev.TakeWindow(e.Window) && ev.TakeFilter(e.Where) ? ev : null;
            case AggregateCondition g:
                var aggregate = new ConditionRow
                {
                    Kind = RowKind.Aggregate, Function = g.Function, EventType = g.EventType, Property = g.Property, Operator = g.Operator, Number = g.Value,
                };
                return aggregate.TakeWindow(g.Window) && aggregate.TakeFilter(g.Where) ? aggregate : null;
            case HasTagCondition t:
                return new ConditionRow { Kind = RowKind.HasTag, Name = t.Tag };
            case InSegmentCondition s:
                return new ConditionRow { Kind = RowKind.InSegment, Name = s.SegmentKey };
            default:
                return null;
        }
    }

    private static bool Names(string? eventType) => eventType is { Length: > 0 } && EventTypeName().IsMatch(eventType);

    private bool TimeWindow(out TimeWindow? window)
    {
        window = Window switch
        {
            WindowKind.LastDays => new InLastDays(Days),
            WindowKind.Between when From is { } from && To is { } to => new BetweenDates(DateOnly.FromDateTime(from), DateOnly.FromDateTime(to)),
            _ => null,
        };
        return Window == WindowKind.Always || window is not null;
    }

    private bool TakeWindow(TimeWindow? window)
    {
        switch (window)
        {
            case InLastDays last:
                (Window, Days) = (WindowKind.LastDays, last.Days);
                break;
            case BetweenDates between:
                (Window, From, To) = (WindowKind.Between, between.From.ToDateTime(TimeOnly.MinValue), between.To.ToDateTime(TimeOnly.MinValue));
                break;
        }
        return true;
    }

    /// <summary>The finished <c>where</c> rows, joined by <c>and</c>; false when a row is started but not finished.</summary>
    private bool Filter(out EventFilter? filter)
    {
        filter = null;
        var parts = new List<EventFilter>();
        foreach (var row in Where.Where(w => !string.IsNullOrWhiteSpace(w.Property)))
        {
            var type = SegmentCatalogue.Default.FindProperty(EventType!, row.Property!.Trim())?.Type;
            if (Values.Comparison(type, row.Operator, row.Value) is not { } comparison)
            {
                return false;
            }
            parts.Add(new PropertyComparison(row.Property.Trim(), comparison));
        }
        filter = parts.Count switch { 0 => null, 1 => parts[0], _ => new AndFilter(ValueList.From(parts)) };
        return true;
    }

    private bool TakeFilter(EventFilter? filter)
    {
        IEnumerable<EventFilter> parts = filter switch
        {
            null => [],
            AndFilter and => and.Filters,
            _ => [filter],
        };
        foreach (var part in parts)
        {
            if (part is not PropertyComparison p || Values.Text(p.Comparison) is not { } text)
            {
                return false;
            }
            Where.Add(new PropertyRow { Property = p.Property, Operator = p.Comparison.Operator, Value = text });
        }
        return true;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex EventTypeName();
}

/// <summary>A test on an event property, in a row's <c>where</c>.</summary>
public sealed class PropertyRow
{
    public string? Property { get; set; }

    public ComparisonOperator Operator { get; set; } = ComparisonOperator.Equal;

    public string? Value { get; set; }
}

/// <summary>Values as the builder's inputs hold them (plain text, no quotes) and as the language writes them.</summary>
public static partial class Values
{
    /// <summary>Every operator, for properties whose type the catalogue does not know.</summary>
    public static IReadOnlyList<ComparisonOperator> AnyType { get; } = Enum.GetValues<ComparisonOperator>();

    public static IReadOnlyList<ComparisonOperator> Operators(AttributeType? type) => type is { } t ? TypeRules.Operators(t) : AnyType;

    /// <summary>The comparison the inputs make, or null while the value is missing or does not read as the type.</summary>
    public static Comparison? Comparison(AttributeType? type, ComparisonOperator op, string? value)
    {
        if (op.TakesNoValue())
        {
            return new Comparison(op, []);
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var parts = op.TakesList() ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [value.Trim()];
        var literals = parts.Select(p => Read(type, op, p)).ToList();
        return literals.Count == 0 || literals.Any(l => l is null) ? null : new Comparison(op, ValueList.From(literals.OfType<Literal>()));
    }

    /// <summary>Chosen values as a list input holds them.</summary>
    public static string Joined(IEnumerable<string> values) => string.Join(", ", values);

    /// <summary>The inputs' text for a comparison, or null when a value would not survive being typed back (a comma inside a listed string).</summary>
    public static string? Text(Comparison comparison)
    {
        var texts = comparison.Values.Select(v => v is StringLiteral s ? s.Value : v.ToText()).ToList();
        if (comparison.Operator.TakesList() && texts.Any(t => t.Contains(',', StringComparison.Ordinal) || t.Trim() != t))
        {
            return null;
        }
        return Joined(texts);
    }

    private static Literal? Read(AttributeType? type, ComparisonOperator op, string text) => type switch
    {
        AttributeType.Text or AttributeType.Choice => new StringLiteral(text),
        AttributeType.Number or AttributeType.Money => Number(text),
        AttributeType.Date => Date(text),
        AttributeType.Instant => Instant(text),
        AttributeType.Flag => bool.TryParse(text, out var flag) ? new BooleanLiteral(flag) : null,
        // Untyped: whatever the text reads as, a string when it reads as nothing else (contains always takes a string).
        _ => op == ComparisonOperator.Contains ? new StringLiteral(text)
            : Number(text) ?? Instant(text) ?? (text is "true" or "false" ? new BooleanLiteral(text == "true") : new StringLiteral(text)),
    };

    private static NumberLiteral? Number(string text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) ? new NumberLiteral(n) : null;

    private static DateLiteral? Date(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? new DateLiteral(d) : null;

    private static Literal? Instant(string text)
    {
        if (DaysAgo().Match(text) is { Success: true } m && int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out var days))
        {
            return new DaysAgoLiteral(days);
        }
        if (Date(text) is { } date)
        {
            return date;
        }
        return text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? new DateTimeLiteral(at) : null;
    }

    [GeneratedRegex(@"^(\d{1,6}) days? ago$")]
    private static partial Regex DaysAgo();
}
