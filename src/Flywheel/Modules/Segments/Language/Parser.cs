namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// Recursive descent over the tokens, one method per rule of the grammar in docs/segments.md. It stops at the first
/// error, which names what was expected at that spot; the catalogue, when given, only sharpens those messages
/// ("expected a number after '>='" for a number attribute). Precedence: <c>not</c> binds tighter than <c>and</c>, which
/// binds tighter than <c>or</c>.
/// </summary>
internal sealed partial class Parser
{
    private static readonly HashSet<string> AggregateNames = new(StringComparer.OrdinalIgnoreCase) { "sum", "avg", "min", "max", "count" };

    private readonly SourceText _source;
    private readonly List<Token> _tokens;
    private readonly SourcePositions _positions;
    private readonly SegmentCatalogue? _catalogue;
    private int _index;
    private int _depth;

    private Parser(SourceText source, List<Token> tokens, SegmentCatalogue? catalogue)
    {
        _source = source;
        _tokens = tokens;
        _positions = new SourcePositions(source);
        _catalogue = catalogue;
    }

    public static ParsedText Parse(string text, SegmentCatalogue? catalogue)
    {
        ArgumentNullException.ThrowIfNull(text);
        var source = new SourceText(text);
        if (text.Length > SegmentLimits.MaxTextLength)
        {
            throw new SegmentLanguageException(source.ErrorAt(SegmentLimits.MaxTextLength,
                $"the condition is {text.Length} characters long; expected at most {SegmentLimits.MaxTextLength}"));
        }
        var parser = new Parser(source, Tokenizer.Read(source), catalogue);
        var condition = parser.ParseOr();
        var end = parser.Peek();
        if (end.Kind != TokenKind.End)
        {
            throw parser.Error(end, end.IsSymbol(")")
                ? "found ')' without a '(' before it"
                : $"expected 'and', 'or' or the end of the condition, found {end.Describe()}");
        }
        return new ParsedText(condition, parser._positions);
    }

    // or := and ("or" and)*
    private Condition ParseOr()
    {
        var first = ParseAnd();
        if (!Peek().IsWord("or"))
        {
            return first;
        }
        List<Condition> operands = [first];
        while (Peek().IsWord("or"))
        {
            Next();
            operands.Add(ParseAnd());
        }
        return new OrCondition(ValueList.From(operands));
    }

    // and := unary ("and" unary)*
    private Condition ParseAnd()
    {
        var first = ParseUnary();
        if (!Peek().IsWord("and"))
        {
            return first;
        }
        List<Condition> operands = [first];
        while (Peek().IsWord("and"))
        {
            Next();
            operands.Add(ParseUnary());
        }
        return new AndCondition(ValueList.From(operands));
    }

    // unary := "not" unary | primary
    private Condition ParseUnary()
    {
        if (!Peek().IsWord("not"))
        {
            return ParsePrimary();
        }
        var not = Next();
        Enter(not);
        var operand = ParseUnary();
        _depth--;
        var condition = new NotCondition(operand);
        _positions.Add(condition, not.Offset);
        return condition;
    }

    // primary := "(" or ")" | event | aggregate | "in" "segment" STRING | "has" "tag" STRING | attribute
    private Condition ParsePrimary()
    {
        var token = Peek();
        if (token.IsSymbol("("))
        {
            Next();
            Enter(token);
            var inner = ParseOr();
            ExpectClosing(token, "'and', 'or' or ')'");
            _depth--;
            return inner;
        }
        if (token.IsWord("did"))
        {
            return ParseEvent();
        }
        if (token.IsWord("in") && Peek(1).IsWord("segment"))
        {
            Next();
            Next();
            var key = ExpectString("the segment's key in single quotes after 'in segment' (in segment 'high-value')");
            var condition = new InSegmentCondition((string)key.Value!);
            _positions.Add(condition, key.Offset);
            return condition;
        }
        if (token.IsWord("has") && Peek(1).IsWord("tag"))
        {
            Next();
            Next();
            var name = ExpectString("the tag's name in single quotes after 'has tag' (has tag 'VIP')");
            var condition = new HasTagCondition((string)name.Value!);
            _positions.Add(condition, name.Offset);
            return condition;
        }
        if (token.Kind == TokenKind.Word && AggregateNames.Contains(token.Text) && Peek(1).IsSymbol("("))
        {
            return ParseAggregate();
        }
        if (token.Kind == TokenKind.Word && !Names.IsReserved(token.Text))
        {
            return ParseAttribute();
        }
        var after = _index > 0 ? $" after '{_tokens[_index - 1].Text}'" : "";
        throw Error(token,
            $"expected a condition{after} (an attribute such as lifecycle, did <event>, sum(...), in segment '...', has tag '...', not or '('), found {token.Describe()}");
    }

    // attribute := NAME comparison
    private AttributeCondition ParseAttribute()
    {
        var name = Next();
        var definition = _catalogue?.FindAttribute(name.Text);
        var condition = new AttributeCondition(name.Text, ParseComparison(name.Text, definition?.Type));
        _positions.Add(condition, name.Offset);
        return condition;
    }

    private void Enter(Token at)
    {
        if (++_depth > SegmentLimits.MaxDepth)
        {
            throw Error(at, $"the condition is nested too deeply; expected at most {SegmentLimits.MaxDepth} levels of parentheses and 'not'");
        }
    }

    private Token Peek(int ahead = 0) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Next()
    {
        var token = Peek();
        if (_index < _tokens.Count - 1)
        {
            _index++;
        }
        return token;
    }

    private void ExpectClosing(Token open, string expected)
    {
        var token = Peek();
        if (!token.IsSymbol(")"))
        {
            var at = _source.ErrorAt(open.Offset, "");
            throw Error(token, $"expected {expected} to close the '(' of line {at.Line}, column {at.Column}, found {token.Describe()}");
        }
        Next();
    }

    private void ExpectWord(string word, string after)
    {
        var token = Peek();
        if (!token.IsWord(word))
        {
            throw Error(token, $"expected '{word}' after '{after}', found {token.Describe()}");
        }
        Next();
    }

    private Token ExpectString(string expected)
    {
        var token = Peek();
        if (token.Kind != TokenKind.String)
        {
            throw Error(token, $"expected {expected}, found {token.Describe()}");
        }
        return Next();
    }

    /// <summary>A whole number token that fits an int; its sign is left to the checker, which states the allowed range.</summary>
    private (Token Token, int Value) ExpectWholeNumber(string expected)
    {
        var token = Peek();
        if (token.Kind != TokenKind.Number || token.Value is not decimal value || value != decimal.Truncate(value)
            || value is < int.MinValue or > int.MaxValue || token.Text.Contains('.', StringComparison.Ordinal))
        {
            throw Error(token, $"expected {expected}, found {token.Describe()}");
        }
        Next();
        return (token, (int)value);
    }

    private SegmentLanguageException Error(Token at, string message) => new(_source.ErrorAt(at.Offset, message));
}
