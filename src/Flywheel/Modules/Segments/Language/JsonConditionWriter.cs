using System.Globalization;
using System.Text.Json;

namespace Flywheel.Modules.Segments.Language;

/// <summary>Writes the JSON form; <see cref="JsonConditionReader"/> reads it back.</summary>
internal static class JsonConditionWriter
{
    public static void Write(Utf8JsonWriter json, Condition condition)
    {
        json.WriteStartObject();
        switch (condition)
        {
            case AndCondition and:
                json.WriteString("kind", "and");
                WriteList(json, "conditions", and.Conditions, Write);
                break;
            case OrCondition or:
                json.WriteString("kind", "or");
                WriteList(json, "conditions", or.Conditions, Write);
                break;
            case NotCondition not:
                json.WriteString("kind", "not");
                json.WritePropertyName("condition");
                Write(json, not.Condition);
                break;
            case AttributeCondition attribute:
                json.WriteString("kind", "attribute");
                json.WriteString("attribute", attribute.Attribute);
                WriteComparison(json, attribute.Comparison);
                break;
            case EventCondition e:
                json.WriteString("kind", "event");
                json.WriteString("event", e.EventType);
                json.WriteStartObject("frequency");
                json.WriteString("kind", JsonNames.Of(e.Frequency.Kind));
                json.WriteNumber("times", e.Frequency.Times);
                json.WriteEndObject();
                WriteWindow(json, e.Window);
                WriteWhere(json, e.Where);
                break;
            case AggregateCondition aggregate:
                json.WriteString("kind", "aggregate");
                json.WriteString("function", JsonNames.Of(aggregate.Function));
                json.WriteString("event", aggregate.EventType);
                if (aggregate.Property is not null)
                {
                    json.WriteString("property", aggregate.Property);
                }
                WriteWindow(json, aggregate.Window);
                WriteWhere(json, aggregate.Where);
                json.WriteString("operator", aggregate.Operator.ToText());
                json.WriteNumber("value", aggregate.Value);
                break;
            case InSegmentCondition segment:
                json.WriteString("kind", "segment");
                json.WriteString("segment", segment.SegmentKey);
                break;
            case HasTagCondition tag:
                json.WriteString("kind", "tag");
                json.WriteString("tag", tag.Tag);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(condition), condition, "Not a condition of the segment language.");
        }
        json.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter json, EventFilter filter)
    {
        json.WriteStartObject();
        switch (filter)
        {
            case AndFilter and:
                json.WriteString("kind", "and");
                WriteList(json, "conditions", and.Filters, Write);
                break;
            case OrFilter or:
                json.WriteString("kind", "or");
                WriteList(json, "conditions", or.Filters, Write);
                break;
            case PropertyComparison property:
                json.WriteString("kind", "property");
                json.WriteString("property", property.Property);
                WriteComparison(json, property.Comparison);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "Not a filter of the segment language.");
        }
        json.WriteEndObject();
    }

    private static void WriteList<T>(Utf8JsonWriter json, string name, ValueList<T> items, Action<Utf8JsonWriter, T> write)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            write(json, item);
        }
        json.WriteEndArray();
    }

    private static void WriteComparison(Utf8JsonWriter json, Comparison comparison)
    {
        json.WriteString("operator", comparison.Operator.ToText());
        if (comparison.Operator.TakesList())
        {
            WriteList(json, "values", comparison.Values, WriteValue);
        }
        else if (!comparison.Operator.TakesNoValue())
        {
            json.WritePropertyName("value");
            WriteValue(json, comparison.Value);
        }
    }

    private static void WriteWindow(Utf8JsonWriter json, TimeWindow? window)
    {
        switch (window)
        {
            case InLastDays last:
                json.WriteStartObject("window");
                json.WriteString("kind", "last_days");
                json.WriteNumber("days", last.Days);
                json.WriteEndObject();
                break;
            case BetweenDates between:
                json.WriteStartObject("window");
                json.WriteString("kind", "between");
                json.WriteString("from", new DateLiteral(between.From).ToText());
                json.WriteString("to", new DateLiteral(between.To).ToText());
                json.WriteEndObject();
                break;
        }
    }

    private static void WriteWhere(Utf8JsonWriter json, EventFilter? where)
    {
        if (where is not null)
        {
            json.WritePropertyName("where");
            Write(json, where);
        }
    }

    /// <summary>Strings, numbers and booleans are JSON's own; dates are objects so that they are never taken for strings.</summary>
    private static void WriteValue(Utf8JsonWriter json, Literal value)
    {
        switch (value)
        {
            case StringLiteral s:
                json.WriteStringValue(s.Value);
                break;
            case NumberLiteral n:
                json.WriteNumberValue(n.Value);
                break;
            case BooleanLiteral b:
                json.WriteBooleanValue(b.Value);
                break;
            case DateLiteral d:
                json.WriteStartObject();
                json.WriteString("date", d.ToText());
                json.WriteEndObject();
                break;
            case DateTimeLiteral t:
                json.WriteStartObject();
                json.WriteString("datetime", t.ToText());
                json.WriteEndObject();
                break;
            case DaysAgoLiteral ago:
                json.WriteStartObject();
                json.WriteNumber("days_ago", ago.Days);
                json.WriteEndObject();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value, "Not a value of the segment language.");
        }
    }
}

/// <summary>The spellings of enum members in the JSON form.</summary>
internal static class JsonNames
{
    public static string Of(FrequencyKind kind) => kind switch
    {
        FrequencyKind.AtLeast => "at_least",
        FrequencyKind.AtMost => "at_most",
        _ => "exactly",
    };

    public static string Of(AggregateFunction function) => function.ToString().ToLower(CultureInfo.InvariantCulture);
}
