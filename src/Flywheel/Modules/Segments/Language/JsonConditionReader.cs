using System.Globalization;
using System.Text.Json;

namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// Reads the JSON form strictly: every node is checked for its kind, its fields and their types before a model is made,
/// so that bad input ends in a <see cref="SegmentLanguageException"/> naming the JSON path, never in another exception.
/// </summary>
internal sealed class JsonConditionReader
{
    private int _depth;

    public static Condition Read(JsonElement json) => new JsonConditionReader().Condition(json, "$");

    private Condition Condition(JsonElement json, string path)
    {
        var kind = Kind(json, path, "and, or, not, attribute, event, aggregate, segment, tag");
        switch (kind)
        {
            case "and" or "or":
                Fields(json, path, "conditions");
                var operands = List(json, path, "conditions", Nested);
                return kind == "and" ? new AndCondition(operands) : new OrCondition(operands);
            case "not":
                Fields(json, path, "condition");
                return new NotCondition(Nested(Required(json, path, "condition"), path + ".condition"));
            case "attribute":
                Fields(json, path, "attribute", "operator", "value", "values");
                return new AttributeCondition(String(json, path, "attribute"), Comparison(json, path));
            case "event":
                Fields(json, path, "event", "frequency", "window", "where");
                return new EventCondition(String(json, path, "event"), Frequency(json, path), Window(json, path), Where(json, path));
            case "aggregate":
                return Aggregate(json, path);
            case "segment":
                Fields(json, path, "segment");
                return new InSegmentCondition(String(json, path, "segment"));
            default:
                Fields(json, path, "tag");
                return new HasTagCondition(String(json, path, "tag"));
        }
    }

    private Condition Nested(JsonElement json, string path)
    {
        if (++_depth > SegmentLimits.MaxDepth)
        {
            throw Error(path, $"the condition is nested too deeply; expected at most {SegmentLimits.MaxDepth} levels of groups and 'not'");
        }
        var condition = Condition(json, path);
        _depth--;
        return condition;
    }

    private AggregateCondition Aggregate(JsonElement json, string path)
    {
        Fields(json, path, "function", "event", "property", "window", "where", "operator", "value");
        var functionName = String(json, path, "function");
        if (!Enum.TryParse<AggregateFunction>(functionName, ignoreCase: true, out var function) || functionName != JsonNames.Of(function))
        {
            throw Error(path + ".function", $"expected one of sum, avg, min, max, count, found '{functionName}'");
        }
        var property = Optional(json, "property") is { } p ? String(p, path + ".property") : null;
        if (property is null && function != AggregateFunction.Count)
        {
            throw Error(path, $"expected a 'property' to {functionName}");
        }
        var op = Operator(json, path);
        if (!op.IsNumeric())
        {
            throw Error(path + ".operator", $"expected one of =, !=, >, >=, <, <= for an aggregate, found '{op.ToText()}'");
        }
        var value = Required(json, path, "value");
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            throw Error(path + ".value", $"expected a number, found {Describe(value)}");
        }
        return new AggregateCondition(function, String(json, path, "event"), property, Window(json, path), Where(json, path), op, number);
    }

    private static Comparison Comparison(JsonElement json, string path)
    {
        var op = Operator(json, path);
        var hasValue = Optional(json, "value") is not null;
        var hasValues = Optional(json, "values") is not null;
        if (op.TakesNoValue())
        {
            return hasValue || hasValues ? throw Error(path, $"expected no 'value' with '{op.ToText()}'") : new Comparison(op, []);
        }
        if (op.TakesList())
        {
            if (hasValue)
            {
                throw Error(path + ".value", $"expected 'values', a list, with '{op.ToText()}'");
            }
            var values = List(json, path, "values", Value);
            return values.Count == 0 ? throw Error(path + ".values", "expected at least one value") : new Comparison(op, values);
        }
        if (hasValues)
        {
            throw Error(path + ".values", $"expected one 'value' with '{op.ToText()}', not a list");
        }
        return new Comparison(op, [Value(Required(json, path, "value"), path + ".value")]);
    }

    private static ComparisonOperator Operator(JsonElement json, string path)
    {
        var text = String(json, path, "operator");
        return ComparisonOperators.TryParse(text, out var op) && text == op.ToText()
            ? op
            : throw Error(path + ".operator", $"expected one of {ComparisonOperators.AllText}, found '{text}'");
    }

    private static Literal Value(JsonElement json, string path)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                return new StringLiteral(json.GetString()!);
            case JsonValueKind.Number:
                return json.TryGetDecimal(out var number) ? new NumberLiteral(number) : throw Error(path, $"the number {json.GetRawText()} is out of range");
            case JsonValueKind.True or JsonValueKind.False:
                return new BooleanLiteral(json.GetBoolean());
            case JsonValueKind.Object:
                var kinds = json.EnumerateObject().Select(p => p.Name).ToList();
                if (kinds.Count == 1 && kinds[0] == "date")
                {
                    return new DateLiteral(Date(json.GetProperty("date"), path + ".date"));
                }
                if (kinds.Count == 1 && kinds[0] == "datetime")
                {
                    var text = String(json.GetProperty("datetime"), path + ".datetime");
                    return DateTimeText.TryParse(text, out var instant)
                        ? new DateTimeLiteral(instant)
                        : throw Error(path + ".datetime", $"expected a date-time with its offset (2026-06-01T08:00:00+08:00), found '{text}'");
                }
                if (kinds.Count == 1 && kinds[0] == "days_ago")
                {
                    return new DaysAgoLiteral(WholeNumber(json.GetProperty("days_ago"), path + ".days_ago"));
                }
                throw Error(path, "expected a value object with exactly one of 'date', 'datetime', 'days_ago'");
            default:
                var hint = json.ValueKind == JsonValueKind.Null ? "; to test for no value, use the operator 'is null'" : "";
                throw Error(path, $"expected a string, a number, true, false or a date object, found {Describe(json)}{hint}");
        }
    }

    private static Frequency Frequency(JsonElement json, string path)
    {
        if (Optional(json, "frequency") is not { } frequency)
        {
            return Language.Frequency.AtLeastOnce;
        }
        path += ".frequency";
        var kind = Kind(frequency, path, "at_least, at_most, exactly");
        Fields(frequency, path, "times");
        var times = WholeNumber(Required(frequency, path, "times"), path + ".times");
        return kind switch
        {
            "at_least" => new Frequency(FrequencyKind.AtLeast, times),
            "at_most" => new Frequency(FrequencyKind.AtMost, times),
            "exactly" => new Frequency(FrequencyKind.Exactly, times),
            _ => throw Error(path + ".kind", $"expected one of at_least, at_most, exactly, found '{kind}'"),
        };
    }

    private static TimeWindow? Window(JsonElement json, string path)
    {
        if (Optional(json, "window") is not { } window)
        {
            return null;
        }
        path += ".window";
        switch (Kind(window, path, "last_days, between"))
        {
            case "last_days":
                Fields(window, path, "days");
                return new InLastDays(WholeNumber(Required(window, path, "days"), path + ".days"));
            case "between":
                Fields(window, path, "from", "to");
                return new BetweenDates(Date(Required(window, path, "from"), path + ".from"), Date(Required(window, path, "to"), path + ".to"));
            default:
                throw Error(path + ".kind", $"expected one of last_days, between, found '{window.GetProperty("kind").GetString()}'");
        }
    }

    private EventFilter? Where(JsonElement json, string path) =>
        Optional(json, "where") is { } where ? Filter(where, path + ".where") : null;

    private EventFilter Filter(JsonElement json, string path)
    {
        switch (Kind(json, path, "and, or, property"))
        {
            case "and" or "or":
                Fields(json, path, "conditions");
                if (++_depth > SegmentLimits.MaxDepth)
                {
                    throw Error(path, $"the condition is nested too deeply; expected at most {SegmentLimits.MaxDepth} levels of groups and 'not'");
                }
                var operands = List(json, path, "conditions", Filter);
                _depth--;
                return json.GetProperty("kind").GetString() == "and" ? new AndFilter(operands) : new OrFilter(operands);
            case "property":
                Fields(json, path, "property", "operator", "value", "values");
                return new PropertyComparison(String(json, path, "property"), Comparison(json, path));
            default:
                throw Error(path + ".kind", $"expected one of and, or, property, found '{json.GetProperty("kind").GetString()}'");
        }
    }

    /// <summary>Checks the node is an object with a known "kind", and returns the kind.</summary>
    private static string Kind(JsonElement json, string path, string expected)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"expected an object with a 'kind', found {Describe(json)}");
        }
        var kind = String(json, path, "kind");
        return expected.Split(", ").Contains(kind) ? kind : throw Error(path + ".kind", $"expected one of {expected}, found '{kind}'");
    }

    /// <summary>Unknown fields are errors: a misspelt "opertor" must not be silently ignored.</summary>
    private static void Fields(JsonElement json, string path, params string[] allowed)
    {
        foreach (var property in json.EnumerateObject())
        {
            if (property.Name != "kind" && !allowed.Contains(property.Name))
            {
                throw Error($"{path}.{property.Name}", $"unknown field '{property.Name}'; expected kind, {string.Join(", ", allowed)}");
            }
        }
    }

    private static ValueList<T> List<T>(JsonElement json, string path, string name, Func<JsonElement, string, T> read)
    {
        var list = Required(json, path, name);
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw Error($"{path}.{name}", $"expected a list, found {Describe(list)}");
        }
        var items = list.EnumerateArray().Select((item, i) => read(item, $"{path}.{name}[{i}]")).ToList();
        if (name == "conditions" && items.Count < 2)
        {
            throw Error($"{path}.{name}", $"expected at least two conditions in a group, found {items.Count}; a single condition is written without the group");
        }
        return ValueList.From(items);
    }

    private static JsonElement? Optional(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static JsonElement Required(JsonElement json, string path, string name) =>
        Optional(json, name) ?? throw Error(path, $"expected a field '{name}'");

    private static string String(JsonElement json, string path, string name) => String(Required(json, path, name), $"{path}.{name}");

    private static string String(JsonElement json, string path) =>
        json.ValueKind == JsonValueKind.String ? json.GetString()! : throw Error(path, $"expected a string, found {Describe(json)}");

    private static int WholeNumber(JsonElement json, string path) =>
        json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var value)
            ? value
            : throw Error(path, $"expected a whole number, found {Describe(json)}");

    private static DateOnly Date(JsonElement json, string path)
    {
        var text = String(json, path);
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Error(path, $"expected a date as YYYY-MM-DD, found '{text}'");
    }

    private static string Describe(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string \"{Truncate(json.GetString()!)}\"",
        JsonValueKind.Number => "the number " + Truncate(json.GetRawText()),
        JsonValueKind.Null => "null",
        _ => json.GetRawText(),
    };

    private static string Truncate(string text) => text.Length > 40 ? text[..37] + "…" : text;

    private static SegmentLanguageException Error(string path, string message) => new(new SegmentError(message, Path: path));
}
