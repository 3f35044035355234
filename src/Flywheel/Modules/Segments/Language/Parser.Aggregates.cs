namespace Flywheel.Modules.Segments.Language;

/// <summary>Aggregates: <c>sum(order_paid.amount where category = 'baby') in last 30 days >= 500</c>.</summary>
internal sealed partial class Parser
{
    // aggregate := FUNCTION "(" EVENT_TYPE ["." PROPERTY] ["where" filter] ")" [window] NUMERIC_OPERATOR NUMBER
    private AggregateCondition ParseAggregate()
    {
        var function = Next();
        var kind = Enum.Parse<AggregateFunction>(function.Text, ignoreCase: true);
        var name = function.Text.ToLowerInvariant();
        var open = Next();
        var type = ExpectEventType($"after '{name}('");
        Token? property = null;
        if (Peek().IsSymbol("."))
        {
            Next();
            property = Peek();
            if (property.Kind != TokenKind.Word || Names.IsReserved(property.Text))
            {
                throw Error(property, $"expected a property after '{type.Text}.' (such as amount), found {property.Describe()}");
            }
            Next();
        }
        else if (kind != AggregateFunction.Count)
        {
            throw Error(Peek(), $"expected '.' and the property to {name} after '{type.Text}' (as in {name}({type.Text}.amount)), found {Peek().Describe()}");
        }
        EventFilter? where = null;
        if (Peek().IsWord("where"))
        {
            // Inside the parentheses the filter is delimited by ')', so and/or need no parentheses of their own.
            Next();
            Enter(open);
            where = ParseFilterOr();
            _depth--;
        }
        var close = Peek();
        if (!close.IsSymbol(")"))
        {
            var expected = where is null ? "'where' or ')'" : "'and', 'or' or ')'";
            throw Error(close, $"expected {expected} to close '{name}(', found {close.Describe()}");
        }
        Next();
        var window = StartsWindow() ? ParseWindow() : null;
        var written = $"{name}({type.Text}{(property is null ? "" : "." + property.Text)})";
        var opToken = Next();
        if (opToken.Kind != TokenKind.Symbol || !ComparisonOperators.TryParse(opToken.Text, out var op) || !op.IsNumeric())
        {
            var windowHint = window is null ? "a time window (in last N days, between ... and ...) or " : "";
            throw Error(opToken, $"expected {windowHint}a comparison (=, !=, >, >=, <, <=) after '{written}', found {opToken.Describe()}");
        }
        var valueToken = Peek();
        if (valueToken.Kind != TokenKind.Number)
        {
            throw Error(valueToken, $"expected a number after '{opToken.Text}', found {valueToken.Describe()}");
        }
        Next();
        var condition = new AggregateCondition(kind, type.Text, property?.Text, window, where, op, (decimal)valueToken.Value!);
        _positions.Add(condition, type.Offset);
        _positions.Add(condition, function.Offset, "function");
        if (property is not null)
        {
            _positions.Add(condition, property.Offset, "property");
        }
        return condition;
    }
}
