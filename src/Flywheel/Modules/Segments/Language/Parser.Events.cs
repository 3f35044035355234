namespace Flywheel.Modules.Segments.Language;

/// <summary>Event conditions and what they share with aggregates: time windows and <c>where</c> filters.</summary>
internal sealed partial class Parser
{
    // event := "did" EVENT_TYPE { frequency | window | "where" where }, each part at most once, in any order
    private EventCondition ParseEvent()
    {
        Next();
        var type = ExpectEventType("after 'did'");
        Frequency? frequency = null;
        TimeWindow? window = null;
        EventFilter? where = null;
        while (true)
        {
            var token = Peek();
            if (StartsFrequency())
            {
                frequency = frequency is null ? ParseFrequency() : throw Error(token, "this event condition already says how many times");
            }
            else if (StartsWindow())
            {
                window = window is null ? ParseWindow() : throw Error(token, "this event condition already has a time window");
            }
            else if (token.IsWord("where"))
            {
                where = where is null ? ParseEventWhere() : throw Error(token, "this event condition already has a 'where'");
            }
            else
            {
                break;
            }
        }
        var condition = new EventCondition(type.Text, frequency ?? Frequency.AtLeastOnce, window, where);
        _positions.Add(condition, type.Offset);
        return condition;
    }

    private Token ExpectEventType(string after)
    {
        var token = Peek();
        if (token.Kind != TokenKind.Word || Names.IsReserved(token.Text))
        {
            throw Error(token, $"expected an event type {after} (such as order_paid), found {token.Describe()}");
        }
        return Next();
    }

    private bool StartsFrequency() =>
        (Peek().IsWord("at") && (Peek(1).IsWord("least") || Peek(1).IsWord("most"))) || Peek().IsWord("exactly");

    // frequency := ("at" "least" | "at" "most" | "exactly") WHOLE_NUMBER ("times" | "time")
    private Frequency ParseFrequency()
    {
        var first = Next();
        var kind = FrequencyKind.Exactly;
        var phrase = "exactly";
        if (first.IsWord("at"))
        {
            var second = Next();
            kind = second.IsWord("least") ? FrequencyKind.AtLeast : FrequencyKind.AtMost;
            phrase = kind == FrequencyKind.AtLeast ? "at least" : "at most";
        }
        var (number, times) = ExpectWholeNumber($"a whole number of times after '{phrase}'");
        var unit = Peek();
        if (!unit.IsWord("times") && !unit.IsWord("time"))
        {
            throw Error(unit, $"expected 'times' after '{phrase} {number.Text}', found {unit.Describe()}");
        }
        Next();
        var frequency = new Frequency(kind, times);
        _positions.Add(frequency, number.Offset);
        return frequency;
    }

    private bool StartsWindow() =>
        (Peek().IsWord("in") && (Peek(1).IsWord("last") || (Peek(1).IsWord("the") && Peek(2).IsWord("last"))))
        || Peek().IsWord("between");

    // window := "in" ["the"] "last" WHOLE_NUMBER ("days" | "day") | "between" DATE "and" DATE
    private TimeWindow ParseWindow()
    {
        var first = Next();
        if (first.IsWord("between"))
        {
            var from = ExpectDate("after 'between'");
            ExpectWord("and", "between " + from.Text);
            var to = ExpectDate($"after 'between {from.Text} and'");
            var between = new BetweenDates((DateOnly)from.Value!, (DateOnly)to.Value!);
            _positions.Add(between, first.Offset);
            return between;
        }
        if (Peek().IsWord("the"))
        {
            Next();
        }
        Next();
        var (number, days) = ExpectWholeNumber("a whole number of days after 'in last'");
        var unit = Peek();
        if (!unit.IsWord("days") && !unit.IsWord("day"))
        {
            throw Error(unit, $"expected 'days' after 'in last {number.Text}', found {unit.Describe()}");
        }
        Next();
        var window = new InLastDays(days);
        _positions.Add(window, number.Offset);
        return window;
    }

    private Token ExpectDate(string after)
    {
        var token = Peek();
        if (token.Kind != TokenKind.Date)
        {
            var hint = token.Kind == TokenKind.DateTime ? "; 'between' takes whole days" : "";
            throw Error(token, $"expected a date (YYYY-MM-DD) {after}, found {token.Describe()}{hint}");
        }
        return Next();
    }

    // An event condition's where is one comparison or a group in parentheses: an 'and' after a lone comparison joins
    // conditions, not filters, so "did x where a = 1 and lifecycle = 'new'" reads one way only.
    private EventFilter ParseEventWhere()
    {
        Next();
        var token = Peek();
        if (!token.IsSymbol("("))
        {
            return ParsePropertyComparison("after 'where'");
        }
        Next();
        Enter(token);
        var filter = ParseFilterOr();
        ExpectClosing(token, "'and', 'or' or ')'");
        _depth--;
        return filter;
    }

    private EventFilter ParseFilterOr()
    {
        var first = ParseFilterAnd();
        if (!Peek().IsWord("or"))
        {
            return first;
        }
        List<EventFilter> operands = [first];
        while (Peek().IsWord("or"))
        {
            Next();
            operands.Add(ParseFilterAnd());
        }
        return new OrFilter(ValueList.From(operands));
    }

    private EventFilter ParseFilterAnd()
    {
        var first = ParseFilterPrimary();
        if (!Peek().IsWord("and"))
        {
            return first;
        }
        List<EventFilter> operands = [first];
        while (Peek().IsWord("and"))
        {
            Next();
            operands.Add(ParseFilterPrimary());
        }
        return new AndFilter(ValueList.From(operands));
    }

    private EventFilter ParseFilterPrimary()
    {
        var token = Peek();
        if (!token.IsSymbol("("))
        {
            return ParsePropertyComparison($"after '{_tokens[_index - 1].Text}'");
        }
        Next();
        Enter(token);
        var inner = ParseFilterOr();
        ExpectClosing(token, "'and', 'or' or ')'");
        _depth--;
        return inner;
    }

    // property := ["properties" "."] NAME comparison
    private PropertyComparison ParsePropertyComparison(string after)
    {
        var token = Peek();
        if (token.IsWord("properties") && Peek(1).IsSymbol("."))
        {
            // The SPEC's own example writes properties.category; the prefix says nothing the position does not.
            Next();
            Next();
            token = Peek();
        }
        if (token.Kind != TokenKind.Word || Names.IsReserved(token.Text))
        {
            throw Error(token, $"expected an event property {after} (such as category) or '(', found {token.Describe()}");
        }
        Next();
        var filter = new PropertyComparison(token.Text, ParseComparison(token.Text, type: null));
        _positions.Add(filter, token.Offset);
        return filter;
    }
}
