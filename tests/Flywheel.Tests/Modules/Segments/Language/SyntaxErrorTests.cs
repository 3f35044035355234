using Flywheel.Modules.Segments.Language;

namespace Flywheel.Tests.Modules.Segments.Language;

/// <summary>
/// Bad text and the first error it gets. Columns were counted by hand on the input (1-based, a Chinese character
/// counting one), not copied from the parser's output.
/// </summary>
public sealed class SyntaxErrorTests
{
    public static TheoryData<string, int, int, string> BadInputs => new()
    {
        // The example error of the language's brief: column 17 is where 'abc' starts.
        { "orders_count >= abc", 1, 17, "expected a number after '>=', found 'abc'" },
        { "lifecycle = dormant", 1, 13, "expected a string in single quotes after '=', found 'dormant'; strings are written in single quotes: 'dormant'" },
        { "lifecycle = 'dormant' and", 1, 26, "expected a condition after 'and' (an attribute such as lifecycle, did <event>, sum(...), in segment '...', has tag '...', not or '('), found the end of the input" },
        { "lifecycle = 'dormant' or or", 1, 26, "expected a condition after 'or' (an attribute such as lifecycle, did <event>, sum(...), in segment '...', has tag '...', not or '('), found 'or'" },
        { "", 1, 1, "expected a condition (an attribute such as lifecycle, did <event>, sum(...), in segment '...', has tag '...', not or '('), found the end of the input" },
        { "(lifecycle = 'dormant'", 1, 23, "expected 'and', 'or' or ')' to close the '(' of line 1, column 1, found the end of the input" },
        { "lifecycle = 'dormant')", 1, 22, "found ')' without a '(' before it" },
        { "lifecycle = 'dormant' orders_count > 1", 1, 23, "expected 'and', 'or' or the end of the condition, found 'orders_count'" },
        { "city = '上海", 1, 8, "this string is never closed; expected a ' at its end (a quote inside a string is written '')" },
        { "city = \"上海\"", 1, 8, "strings are written in single quotes ('…'), not double quotes" },
        { "city == '上海'", 1, 6, "expected = or != instead of ==" },
        { "city = '上海' && orders_count > 1", 1, 13, "unexpected character '&'; expected 'and' or 'or'" },
        { "city in '上海'", 1, 9, "expected '(' and a list of values after 'in', as in ('上海', '杭州'), found the string '上海'" },
        { "city in ('上海' '杭州')", 1, 15, "expected ',' or ')' in the list of values, found the string '杭州'" },
        { "city is nul", 1, 9, "expected 'null' after 'is', found 'nul'" },
        { "city = null", 1, 8, "expected a string in single quotes after '=', found 'null'; to test for no value, write 'is null'" },
        { "city ~ '上海'", 1, 6, "unexpected character '~'" },
        { "city '上海'", 1, 6, "expected an operator after 'city' (=, !=, >, >=, <, <=, in, not in, contains, is null, is not null, before, after), found the string '上海'" },
        { "did", 1, 4, "expected an event type after 'did' (such as order_paid), found the end of the input" },
        { "did order_paid at least two times", 1, 25, "expected a whole number of times after 'at least', found 'two'" },
        { "did order_paid at least 2.5 times", 1, 25, "expected a whole number of times after 'at least', found '2.5'" },
        { "did order_paid at least 2", 1, 26, "expected 'times' after 'at least 2', found the end of the input" },
        { "did order_paid in last 7", 1, 25, "expected 'days' after 'in last 7', found the end of the input" },
        { "did order_paid in last 7 days in last 8 days", 1, 31, "this event condition already has a time window" },
        { "did order_paid exactly 1 time at most 3 times", 1, 31, "this event condition already says how many times" },
        { "did order_paid between 2026-06-01 and 2026-02-30", 1, 39, "2026-02-30 is not a date; expected a real day as YYYY-MM-DD" },
        { "did order_paid between 2026-06-01 2026-06-30", 1, 35, "expected 'and' after 'between 2026-06-01', found '2026-06-30'" },
        { "did order_paid where", 1, 21, "expected an event property after 'where' (such as category) or '(', found the end of the input" },
        { "sum(order_paid) >= 5", 1, 15, "expected '.' and the property to sum after 'order_paid' (as in sum(order_paid.amount)), found ')'" },
        { "sum(order_paid.amount) >= abc", 1, 27, "expected a number after '>=', found 'abc'" },
        { "sum(order_paid.amount) in last 30 days", 1, 39, "expected a comparison (=, !=, >, >=, <, <=) after 'sum(order_paid.amount)', found the end of the input" },
        { "sum(order_paid.amount) contains 5", 1, 24, "expected a time window (in last N days, between ... and ...) or a comparison (=, !=, >, >=, <, <=) after 'sum(order_paid.amount)', found 'contains'" },
        { "last_order_at > 2026-06-01T08:00", 1, 33, "expected a time zone offset after 2026-06-01T08:00 (Z for UTC, or like +08:00); or write the date alone, which means that day in the workspace time zone" },
        { "in segment high", 1, 12, "expected the segment's key in single quotes after 'in segment' (in segment 'high-value'), found 'high'" },
        { "has tag", 1, 8, "expected the tag's name in single quotes after 'has tag' (has tag 'VIP'), found the end of the input" },
        { "total_spend > 99999999999999999999999999999", 1, 15, "the number 99999999999999999999999999999 is too large; expected at most 28 digits" },
        // Errors on later lines count lines from 1 and columns from the line's start.
        { "lifecycle = 'dormant'\nand orders_count >= abc", 2, 21, "expected a number after '>=', found 'abc'" },
        { "lifecycle = 'dormant'\r\n  and\r\n  city = 上海", 3, 10, "expected a string in single quotes after '=', found '上海'; strings are written in single quotes: '上海'" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_GetsItsFirstErrorWithLineColumnAndWhatWasExpected(string text, int line, int column, string message)
    {
        var error = Assert.Single(Assert.Throws<SegmentLanguageException>(() => SegmentText.Parse(text, SegmentCatalogue.Default)).Errors);

        Assert.Equal((line, column, message), (error.Line!.Value, error.Column!.Value, error.Message));
    }

    [Fact]
    public void Error_ShowsTheLineWithACaretUnderTheSpot()
    {
        var error = Assert.Throws<SegmentLanguageException>(() => SegmentText.Parse("orders_count >= abc")).Errors[0];

        Assert.Equal("  orders_count >= abc" + Environment.NewLine + "                  ^", error.Snippet);
        Assert.Equal("line 1, column 17: expected a number or a date after '>=', found 'abc'", error.ToString());
    }

    [Fact]
    public void Caret_StaysUnderTheSpotAfterWideCharacters()
    {
        var error = Assert.Throws<SegmentLanguageException>(() => SegmentText.Parse("city = '上海' & x")).Errors[0];

        // Two spaces of margin, eight for "city = '", two ideographic spaces for 上海, two for "' ".
        Assert.Equal("  city = '上海' & x" + Environment.NewLine + "          \u3000\u3000  ^", error.Snippet);
    }

    [Fact]
    public void Snippet_OfALongLine_ShowsThePartAroundTheSpot()
    {
        var text = "city in (" + string.Join(", ", Enumerable.Range(0, 40).Select(i => $"'c{i}'")) + ", x)";

        var error = Assert.Throws<SegmentLanguageException>(() => SegmentText.Parse(text)).Errors[0];

        // 60 characters either side of the spot, marked as cut with an ellipsis; the caret sits under the 'x'.
        var lines = error.Snippet!.Split(Environment.NewLine);
        Assert.Equal("  …" + text[(text.Length - 2 - 60)..], lines[0]);
        Assert.Equal("   " + new string(' ', 60) + "^", lines[1]);
    }

    [Fact]
    public void WithoutACatalogue_MessagesSayWhatTheOperatorTakes()
    {
        var error = Assert.Throws<SegmentLanguageException>(() => SegmentText.Parse("x before y")).Errors[0];

        Assert.Equal("expected a date (YYYY-MM-DD), a date-time or 'N days ago' after 'before', found 'y'", error.Message);
    }

    [Fact]
    public void TooLongInput_IsRefusedWithTheLimit()
    {
        var text = "city = '" + new string('x', SegmentLimits.MaxTextLength) + "'";

        var error = Assert.Throws<SegmentLanguageException>(() => SegmentText.Parse(text)).Errors[0];

        Assert.Equal($"the condition is {text.Length} characters long; expected at most 20000", error.Message);
    }

    [Fact]
    public void TooDeepNesting_IsRefusedAtTheLevelThatGoesOver()
    {
        var deepEnough = new string('(', 32) + "a = 1" + new string(')', 32);
        var tooDeep = new string('(', 33) + "a = 1" + new string(')', 33);

        SegmentText.Parse(deepEnough);
        var error = Assert.Throws<SegmentLanguageException>(() => SegmentText.Parse(tooDeep)).Errors[0];

        Assert.Equal((1, 33), (error.Line, error.Column));
        Assert.Equal("the condition is nested too deeply; expected at most 32 levels of parentheses and 'not'", error.Message);
    }

    [Fact]
    public void LongChainsOfNot_CountAsNesting()
    {
        var error = Assert.Throws<SegmentLanguageException>(() => SegmentText.Parse(string.Concat(Enumerable.Repeat("not ", 1000)) + "a = 1"));

        Assert.StartsWith("the condition is nested too deeply", error.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongFlatChains_AreNotNesting()
    {
        var text = string.Join(" and ", Enumerable.Range(0, 700).Select(i => $"orders_count > {i}"));

        var condition = Assert.IsType<AndCondition>(SegmentText.Parse(text));

        Assert.Equal(700, condition.Conditions.Count);
    }
}
