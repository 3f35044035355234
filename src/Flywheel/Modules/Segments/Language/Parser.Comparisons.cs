namespace Flywheel.Modules.Segments.Language;

/// <summary>Operators and values, shared by attribute conditions and <c>where</c> filters.</summary>
internal sealed partial class Parser
{
    // comparison := ("=" | "!=" | ">" | ">=" | "<" | "<=" | "contains" | "before" | "after") value
    //             | ("in" | "not" "in") "(" value {"," value} ")" | "is" ["not"] "null"
    private Comparison ParseComparison(string subject, AttributeType? type)
    {
        var token = Peek();
        var op = ReadOperator(subject);
        var values = op.TakesNoValue() ? ValueList.Empty<Literal>()
            : op.TakesList() ? ParseValueList(op, type)
            : [ParseValue(op, type)];
        var comparison = new Comparison(op, values);
        _positions.Add(comparison, token.Offset);
        return comparison;
    }

    private ComparisonOperator ReadOperator(string subject)
    {
        var token = Next();
        if (token.Kind == TokenKind.Symbol && ComparisonOperators.TryParse(token.Text, out var symbol))
        {
            return symbol;
        }
        if (token.IsWord("not") && Peek().IsWord("in"))
        {
            Next();
            return ComparisonOperator.NotIn;
        }
        if (token.IsWord("is"))
        {
            var negated = Peek().IsWord("not");
            if (negated)
            {
                Next();
            }
            var expectedNull = Peek();
            if (!expectedNull.IsWord("null"))
            {
                throw Error(expectedNull, $"expected 'null' after '{(negated ? "is not" : "is")}', found {expectedNull.Describe()}");
            }
            Next();
            return negated ? ComparisonOperator.IsNotNull : ComparisonOperator.IsNull;
        }
        // The one-word operators: in, contains, before, after (the others are symbols or take two words).
        if (token.Kind == TokenKind.Word && ComparisonOperators.TryParse(token.Text, out var word))
        {
            return word;
        }
        throw Error(token, $"expected an operator after '{subject}' ({ComparisonOperators.AllText}), found {token.Describe()}");
    }

    private ValueList<Literal> ParseValueList(ComparisonOperator op, AttributeType? type)
    {
        var open = Peek();
        if (!open.IsSymbol("("))
        {
            throw Error(open, $"expected '(' and a list of values after '{op.ToText()}', as in ('上海', '杭州'), found {open.Describe()}");
        }
        Next();
        List<Literal> values = [ParseValue(op, type)];
        while (Peek().IsSymbol(","))
        {
            Next();
            values.Add(ParseValue(op, type));
        }
        var close = Peek();
        if (!close.IsSymbol(")"))
        {
            throw Error(close, $"expected ',' or ')' in the list of values, found {close.Describe()}");
        }
        Next();
        return ValueList.From(values);
    }

    // value := STRING | NUMBER | DATE | DATE_TIME | "true" | "false" | WHOLE_NUMBER ("days" | "day") "ago"
    private Literal ParseValue(ComparisonOperator op, AttributeType? type)
    {
        var token = Peek();
        var expected = type is { } known ? TypeRules.ExpectedValue(known) : TypeRules.ExpectedValue(op);
        Literal value;
        if (token.Kind == TokenKind.Number && (Peek(1).IsWord("days") || Peek(1).IsWord("day")) && Peek(2).IsWord("ago"))
        {
            var (_, days) = ExpectWholeNumber("a whole number of days before 'days ago'");
            Next();
            Next();
            value = new DaysAgoLiteral(days);
        }
        else
        {
            value = token.Kind switch
            {
                TokenKind.String => new StringLiteral((string)token.Value!),
                TokenKind.Number => new NumberLiteral((decimal)token.Value!),
                TokenKind.Date => new DateLiteral((DateOnly)token.Value!),
                TokenKind.DateTime => new DateTimeLiteral((DateTimeOffset)token.Value!),
                TokenKind.Word when token.IsWord("true") => new BooleanLiteral(true),
                TokenKind.Word when token.IsWord("false") => new BooleanLiteral(false),
                _ => throw Error(token, $"expected {expected} after '{op.ToText()}', found {token.Describe()}{ValueHint(token, op, type)}"),
            };
            Next();
        }
        _positions.Add(value, token.Offset);
        return value;
    }

    private static string ValueHint(Token token, ComparisonOperator op, AttributeType? type)
    {
        if (token.IsWord("null"))
        {
            return op == ComparisonOperator.NotEqual ? "; to test for a value, write 'is not null'" : "; to test for no value, write 'is null'";
        }
        var takesStrings = type is AttributeType.Text or AttributeType.Choice
            || (type is null && op is ComparisonOperator.Equal or ComparisonOperator.NotEqual or ComparisonOperator.In
                or ComparisonOperator.NotIn or ComparisonOperator.Contains);
        return token.Kind == TokenKind.Word && takesStrings ? $"; strings are written in single quotes: '{token.Text}'" : "";
    }
}
