using System.Globalization;
using System.Text;

namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// Writes the canonical text of a condition: lower-case keywords, single spaces, parentheses only where the model needs
/// them (a group inside a group of the same kind, an <c>or</c> inside an <c>and</c>, a group under <c>not</c>), the
/// frequency left out when it is "at least once". Parsing the result gives back the same model.
/// </summary>
internal static class Printer
{
    public static string Print(Condition condition)
    {
        var text = new StringBuilder();
        Write(text, condition);
        return text.ToString();
    }

    private static void Write(StringBuilder text, Condition condition)
    {
        switch (condition)
        {
            case AndCondition and:
                WriteJoined(text, and.Conditions, " and ", c => c is AndCondition or OrCondition);
                break;
            case OrCondition or:
                WriteJoined(text, or.Conditions, " or ", c => c is OrCondition);
                break;
            case NotCondition not:
                text.Append("not ");
                WriteGrouped(text, not.Condition, not.Condition is AndCondition or OrCondition);
                break;
            case AttributeCondition attribute:
                text.Append(attribute.Attribute).Append(' ');
                Write(text, attribute.Comparison);
                break;
            case EventCondition e:
                WriteEvent(text, e);
                break;
            case AggregateCondition aggregate:
                WriteAggregate(text, aggregate);
                break;
            case InSegmentCondition segment:
                text.Append("in segment ").Append(new StringLiteral(segment.SegmentKey).ToText());
                break;
            case HasTagCondition tag:
                text.Append("has tag ").Append(new StringLiteral(tag.Tag).ToText());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(condition), condition, "Not a condition of the segment language.");
        }
    }

    private static void WriteJoined(StringBuilder text, ValueList<Condition> operands, string connective, Func<Condition, bool> needsParentheses)
    {
        for (var i = 0; i < operands.Count; i++)
        {
            text.Append(i > 0 ? connective : "");
            WriteGrouped(text, operands[i], needsParentheses(operands[i]));
        }
    }

    private static void WriteGrouped(StringBuilder text, Condition condition, bool parenthesise)
    {
        text.Append(parenthesise ? "(" : "");
        Write(text, condition);
        text.Append(parenthesise ? ")" : "");
    }

    private static void WriteEvent(StringBuilder text, EventCondition e)
    {
        text.Append("did ").Append(e.EventType);
        if (e.Frequency != Frequency.AtLeastOnce)
        {
            text.Append(e.Frequency.Kind switch
            {
                FrequencyKind.AtLeast => " at least ",
                FrequencyKind.AtMost => " at most ",
                _ => " exactly ",
            });
            text.Append(e.Frequency.Times.ToString(CultureInfo.InvariantCulture)).Append(e.Frequency.Times == 1 ? " time" : " times");
        }
        WriteWindow(text, e.Window);
        if (e.Where is not null)
        {
            text.Append(" where ");
            var group = e.Where is AndFilter or OrFilter;
            text.Append(group ? "(" : "");
            Write(text, e.Where);
            text.Append(group ? ")" : "");
        }
    }

    private static void WriteAggregate(StringBuilder text, AggregateCondition aggregate)
    {
        text.Append(aggregate.Function.ToString().ToLowerInvariant()).Append('(').Append(aggregate.EventType);
        if (aggregate.Property is not null)
        {
            text.Append('.').Append(aggregate.Property);
        }
        if (aggregate.Where is not null)
        {
            text.Append(" where ");
            Write(text, aggregate.Where);
        }
        text.Append(')');
        WriteWindow(text, aggregate.Window);
        text.Append(' ').Append(aggregate.Operator.ToText()).Append(' ').Append(new NumberLiteral(aggregate.Value).ToText());
    }

    private static void WriteWindow(StringBuilder text, TimeWindow? window)
    {
        switch (window)
        {
            case InLastDays last:
                text.Append(" in last ").Append(last.Days.ToString(CultureInfo.InvariantCulture)).Append(last.Days == 1 ? " day" : " days");
                break;
            case BetweenDates between:
                text.Append(" between ").Append(new DateLiteral(between.From).ToText())
                    .Append(" and ").Append(new DateLiteral(between.To).ToText());
                break;
        }
    }

    private static void Write(StringBuilder text, EventFilter filter)
    {
        switch (filter)
        {
            case AndFilter and:
                WriteJoined(text, and.Filters, " and ", f => f is AndFilter or OrFilter);
                break;
            case OrFilter or:
                WriteJoined(text, or.Filters, " or ", f => f is OrFilter);
                break;
            case PropertyComparison property:
                text.Append(property.Property).Append(' ');
                Write(text, property.Comparison);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "Not a filter of the segment language.");
        }
    }

    private static void WriteJoined(StringBuilder text, ValueList<EventFilter> operands, string connective, Func<EventFilter, bool> needsParentheses)
    {
        for (var i = 0; i < operands.Count; i++)
        {
            text.Append(i > 0 ? connective : "");
            var group = needsParentheses(operands[i]);
            text.Append(group ? "(" : "");
            Write(text, operands[i]);
            text.Append(group ? ")" : "");
        }
    }

    private static void Write(StringBuilder text, Comparison comparison)
    {
        text.Append(comparison.Operator.ToText());
        if (comparison.Operator.TakesList())
        {
            text.Append(" (").AppendJoin(", ", comparison.Values.Select(v => v.ToText())).Append(')');
        }
        else if (!comparison.Operator.TakesNoValue())
        {
            text.Append(' ').Append(comparison.Value.ToText());
        }
    }
}
