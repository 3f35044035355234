namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// One pass of <see cref="SegmentChecker"/> over a condition. Paths follow the JSON form (<c>$.conditions[1].value</c>),
/// so the same error reads the same way for a visual builder as the line and column do for the text.
/// </summary>
internal sealed class CheckWalk(SegmentCatalogue catalogue, SourcePositions? positions)
{
    public List<SegmentError> Errors { get; } = [];

    public void Check(Condition condition, string path)
    {
        switch (condition)
        {
            case AndCondition and:
                CheckAll(and.Conditions, path);
                break;
            case OrCondition or:
                CheckAll(or.Conditions, path);
                break;
            case NotCondition not:
                Check(not.Condition, path + ".condition");
                break;
            case AttributeCondition attribute:
                CheckAttribute(attribute, path);
                break;
            case EventCondition e:
                CheckEvent(e, path);
                break;
            case AggregateCondition aggregate:
                CheckAggregate(aggregate, path);
                break;
            case InSegmentCondition segment when string.IsNullOrWhiteSpace(segment.SegmentKey):
                Report(segment, "", "expected a segment key, found an empty string", path + ".segment");
                break;
            case HasTagCondition tag when string.IsNullOrWhiteSpace(tag.Tag):
                Report(tag, "", "expected a tag name, found an empty string", path + ".tag");
                break;
        }
    }

    private void CheckAll(ValueList<Condition> conditions, string path)
    {
        for (var i = 0; i < conditions.Count; i++)
        {
            Check(conditions[i], $"{path}.conditions[{i}]");
        }
    }

    private void CheckAttribute(AttributeCondition condition, string path)
    {
        var definition = catalogue.FindAttribute(condition.Attribute);
        if (definition is null)
        {
            Report(condition, "", UnknownAttribute(condition.Attribute), path + ".attribute");
            return;
        }
        CheckTyped(condition.Comparison, definition, condition.Attribute, path);
    }

    private string UnknownAttribute(string name)
    {
        var names = catalogue.Attributes.Select(a => a.Name).ToList();
        var closest = names.Select(n => (Name: n, Distance: Distance(n, name))).MinBy(c => c.Distance);
        // Short names are a couple of edits from many others; suggest only what is plausibly a typo.
        var plausible = closest.Distance <= (name.Length >= 6 ? 2 : 1);
        var message = plausible
            ? $"unknown attribute '{name}'; did you mean '{closest.Name}'?"
            : $"unknown attribute '{name}'; expected one of {string.Join(", ", names)}";
        // The usual way to get here: "did x where a = 1 and b = 2", where the 'and' ended the filter.
        return catalogue.IsEventProperty(name)
            ? message + $"; {name} is an event property: to filter an event on several properties, put them in parentheses, as in where (category = 'baby' and amount > 100)"
            : message;
    }

    private void CheckEvent(EventCondition e, string path)
    {
        CheckEventType(e, "", e.EventType, path);
        if (e.Frequency.Times < 1)
        {
            Report(e.Frequency, "", $"expected a positive whole number of times, found {e.Frequency.Times}", path + ".frequency.times");
        }
        CheckWindow(e.Window, path);
        if (e.Where is not null)
        {
            CheckFilter(e.Where, e.EventType, path + ".where");
        }
    }

    private void CheckAggregate(AggregateCondition aggregate, string path)
    {
        CheckEventType(aggregate, "", aggregate.EventType, path);
        if (aggregate.Property is { } property)
        {
            var definition = catalogue.FindProperty(aggregate.EventType, property);
            var function = aggregate.Function.ToString().ToLowerInvariant();
            if (!Names.IsName(property))
            {
                Report(aggregate, "property", NotAName("an event property", property), path + ".property");
            }
            else if (aggregate.Function != AggregateFunction.Count && definition is { Type: not (AttributeType.Number or AttributeType.Money) })
            {
                Report(aggregate, "property",
                    $"{function} needs a number; {aggregate.EventType}.{property} is {TypeRules.Describe(definition.Type)}", path + ".property");
            }
        }
        CheckWindow(aggregate.Window, path);
        if (aggregate.Where is not null)
        {
            CheckFilter(aggregate.Where, aggregate.EventType, path + ".where");
        }
    }

    private void CheckEventType(object node, string part, string type, string path)
    {
        if (!Names.IsEventType(type))
        {
            Report(node, part,
                $"'{type}' is not an event type; expected lower-case letters, digits and _, starting with a letter, at most 100 characters",
                path + ".event");
        }
    }

    private void CheckWindow(TimeWindow? window, string path)
    {
        switch (window)
        {
            case InLastDays { Days: < 1 or > SegmentLimits.MaxDays } last:
                Report(last, "", DaysMessage(last.Days, ""), path + ".window.days");
                break;
            case BetweenDates between when between.From > between.To:
                Report(between, "",
                    $"between {new DateLiteral(between.From).ToText()} and {new DateLiteral(between.To).ToText()} ends before it begins; expected the earlier date first",
                    path + ".window");
                break;
        }
    }

    private void CheckFilter(EventFilter filter, string eventType, string path)
    {
        switch (filter)
        {
            case AndFilter and:
                for (var i = 0; i < and.Filters.Count; i++)
                {
                    CheckFilter(and.Filters[i], eventType, $"{path}.conditions[{i}]");
                }
                break;
            case OrFilter or:
                for (var i = 0; i < or.Filters.Count; i++)
                {
                    CheckFilter(or.Filters[i], eventType, $"{path}.conditions[{i}]");
                }
                break;
            case PropertyComparison property when !Names.IsName(property.Property):
                Report(property, "", NotAName("an event property", property.Property), path + ".property");
                break;
            case PropertyComparison property:
                // Custom events and unlisted properties are allowed; only what the catalogue knows is typed.
                if (catalogue.FindProperty(eventType, property.Property) is { } definition)
                {
                    CheckTyped(property.Comparison, definition, $"{eventType}.{property.Property}", path);
                }
                else
                {
                    CheckUntyped(property.Comparison, property.Property, path);
                }
                break;
        }
    }

    private void CheckTyped(Comparison comparison, AttributeDefinition definition, string subject, string path)
    {
        var allowed = TypeRules.Operators(definition.Type);
        if (!allowed.Contains(comparison.Operator))
        {
            Report(comparison, "",
                $"'{comparison.Operator.ToText()}' does not apply to {subject}, which is {TypeRules.Describe(definition.Type)}; expected {string.Join(", ", allowed.Select(o => o.ToText()))}",
                path + ".operator");
            return;
        }
        for (var i = 0; i < comparison.Values.Count; i++)
        {
            var value = comparison.Values[i];
            var valuePath = ValuePath(comparison, path, i);
            if (!TypeRules.Accepts(definition.Type, value))
            {
                Report(value, "", $"expected {TypeRules.ExpectedValue(definition.Type)} for {subject}, found {TypeRules.Describe(value)}", valuePath);
            }
            else if (definition.AllowedValues is { } values && value is StringLiteral s && !values.Contains(s.Value))
            {
                Report(value, "", $"unknown {subject} value {s.ToText()}; expected one of {string.Join(", ", values.Select(v => new StringLiteral(v).ToText()))}", valuePath);
            }
            else
            {
                CheckMoment(comparison.Operator, value, valuePath);
            }
        }
    }

    private void CheckUntyped(Comparison comparison, string subject, string path)
    {
        for (var i = 0; i < comparison.Values.Count; i++)
        {
            var value = comparison.Values[i];
            if (!TypeRules.FitsOperator(comparison.Operator, value))
            {
                Report(value, "",
                    $"expected {TypeRules.ExpectedValue(comparison.Operator)} after '{comparison.Operator.ToText()}' for {subject}, found {TypeRules.Describe(value)}",
                    ValuePath(comparison, path, i));
            }
            else
            {
                CheckMoment(comparison.Operator, value, ValuePath(comparison, path, i));
            }
        }
    }

    /// <summary>'N days ago' is a moment, not a day: equal to it means nothing, and N counts back from now.</summary>
    private void CheckMoment(ComparisonOperator op, Literal value, string path)
    {
        if (value is not DaysAgoLiteral ago)
        {
            return;
        }
        if (op is ComparisonOperator.Equal or ComparisonOperator.NotEqual or ComparisonOperator.In or ComparisonOperator.NotIn)
        {
            Report(value, "", $"'{ago.ToText()}' is a moment; expected before, after, <, <=, > or >= with it, found '{op.ToText()}'", path);
        }
        else if (ago.Days is < 1 or > SegmentLimits.MaxDays)
        {
            Report(value, "", DaysMessage(ago.Days, " before 'days ago'"), path);
        }
    }

    private static string DaysMessage(int days, string where) => days < 1
        ? $"expected a positive whole number of days{where}, found {days}"
        : $"expected at most {SegmentLimits.MaxDays} days{where}, found {days}";

    private static string ValuePath(Comparison comparison, string path, int index) =>
        comparison.Operator.TakesList() ? $"{path}.values[{index}]" : path + ".value";

    private static string NotAName(string what, string name) =>
        $"expected {what} of letters, digits and _ that is not a keyword, found '{name}'";

    private void Report(object node, string part, string message, string path) =>
        Errors.Add(positions?.ErrorAt(node, part, message, path) ?? new SegmentError(message, Path: path));

    /// <summary>Edit distance, to suggest the attribute a typo meant.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
