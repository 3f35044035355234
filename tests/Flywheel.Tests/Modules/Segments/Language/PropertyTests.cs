using System.Diagnostics;
using CsCheck;
using Flywheel.Modules.Segments.Language;

namespace Flywheel.Tests.Modules.Segments.Language;

/// <summary>What holds for every condition and every input, checked on random ones.</summary>
public sealed class PropertyTests
{
    private static readonly string[] Examples =
    [
        "lifecycle = 'dormant' and orders_count >= 2",
        "did order_paid at least 2 times in last 90 days where category = 'baby'",
        "did product_view in last 7 days and not did order_paid in last 30 days",
        "total_spend > 1000 and city in ('上海', '杭州')",
        "rfm_group = 'champions' or has tag 'VIP'",
        "sum(order_paid.amount) in last 30 days >= 500",
        "in segment 'high-value' and last_order_at before 2026-06-01",
        "count(order_paid where (category = 'baby' or amount >= 99.5)) between 2026-01-01 and 2026-03-31 > 1",
        "last_seen_at after 2026-06-01T08:00:00+08:00 and birthday is not null and not (city = '北京' or city contains 'hang')",
    ];

    /// <summary>Pieces of the language and a few characters it has no use for, to build inputs near the grammar.</summary>
    private static readonly string[] Fragments =
    [
        "and", "or", "not", "did", "in", "last", "days", "day", "ago", "between", "at", "least", "most", "exactly", "times",
        "where", "segment", "has", "tag", "is", "null", "contains", "before", "after", "sum(", "count(", "(", ")", ",", ".",
        "=", "!=", ">=", "<", "'", "''", "'上海'", "2", "-1", "2.5", "2026-06-01", "2026-06-01T08:00:00Z", "2026-13-01",
        "lifecycle", "order_paid", "amount", "properties.", "true", " ", "\n", "\"", "#", "\u0301", "😀",
    ];

    [Fact]
    public void RandomModel_PrintThenParse_GivesTheSameModel()
    {
        ModelGenerators.Condition.Sample(condition => Assert.Equal(condition, SegmentText.Parse(SegmentText.Print(condition))), iter: 3000);
    }

    [Fact]
    public void RandomModel_ToJsonThenFromJson_GivesTheSameModel()
    {
        ModelGenerators.Condition.Sample(condition => Assert.Equal(condition, SegmentJson.Read(SegmentJson.Write(condition))), iter: 3000);
    }

    [Fact]
    public void CanonicalText_IsAFixedPoint()
    {
        ModelGenerators.Condition.Sample(condition =>
        {
            var text = SegmentText.Print(condition);
            Assert.Equal(text, SegmentText.Print(SegmentText.Parse(text)));
        }, iter: 1000);
    }

    [Fact]
    public void RandomText_EitherParsesOrFailsWithTheLanguagesError()
    {
        var input = Gen.OneOf(
            Gen.String,
            Gen.OneOf<string>(Fragments).Array[0, 30].Select(parts => string.Join(" ", parts)),
            Gen.OneOf<string>(Fragments).Array[0, 30].Select(string.Concat));
        WithinTime(() => input.Sample(ReadsOrRefuses, iter: 20_000));
    }

    [Fact]
    public void MutatedExamples_EitherParseOrFailWithTheLanguagesError()
    {
        var mutation = Gen.Select(Gen.Int[0, Examples.Length - 1], Gen.Int[0, 1000], Gen.Int[0, 6], Gen.OneOf<string>(Fragments),
            (example, at, length, fragment) => Mutate(Examples[example], at, length, fragment));
        var twice = Gen.Select(mutation, Gen.Int[0, 1000], Gen.OneOf<string>(Fragments), (text, at, fragment) => Mutate(text, at, 1, fragment));
        WithinTime(() => Gen.OneOf(mutation, twice).Sample(ReadsOrRefuses, iter: 20_000));
    }

    [Fact]
    public void MutatedJson_EitherReadsOrFailsWithTheLanguagesError()
    {
        var json = Examples.Select(e => SegmentJson.Write(SegmentText.Parse(e))).ToArray();
        var jsonFragments = new[] { "{", "}", "[", "]", ",", ":", "\"kind\"", "\"and\"", "null", "1e400", "-0", "\"\\u0000\"", "true", "\"" };
        var mutation = Gen.Select(Gen.Int[0, json.Length - 1], Gen.Int[0, 2000], Gen.Int[0, 8], Gen.OneOf<string>(jsonFragments),
            (example, at, length, fragment) => Mutate(json[example], at, length, fragment));
        WithinTime(() => mutation.Sample(text =>
        {
            try
            {
                var condition = SegmentJson.Read(text);
                SegmentChecker.Check(condition, SegmentCatalogue.Default);
                Assert.Equal(condition, SegmentJson.Read(SegmentJson.Write(condition)));
            }
            catch (SegmentLanguageException)
            {
                // Refusing bad input with the language's own error is the expected outcome.
            }
        }, iter: 20_000));
    }

    [Theory]
    [InlineData("a = 1 or b = 2 and c = 3", "a = 1 or (b = 2 and c = 3)")]
    [InlineData("a = 1 and b = 2 or c = 3", "(a = 1 and b = 2) or c = 3")]
    [InlineData("not a = 1 and b = 2", "(not a = 1) and b = 2")]
    [InlineData("not a = 1 or b = 2 and not c = 3", "(not a = 1) or ((b = 2) and (not c = 3))")]
    [InlineData("a = 1 OR b = 2 AnD NOT c = 3", "a = 1 or (b = 2 and not c = 3)")]
    public void Precedence_IsNotThenAndThenOr(string text, string parenthesised)
    {
        Assert.Equal(SegmentText.Parse(parenthesised), SegmentText.Parse(text));
    }

    [Fact]
    public void Precedence_BuildsTheExpectedTree()
    {
        var a = new AttributeCondition("a", Comparison.Of(ComparisonOperator.Equal, Literal.Of(1m)));
        var b = a with { Attribute = "b" };
        var c = a with { Attribute = "c" };

        Assert.Equal(new OrCondition([a, new AndCondition([b, c])]), SegmentText.Parse("a = 1 or b = 1 and c = 1"));
        Assert.Equal(new AndCondition([new NotCondition(a), b]), SegmentText.Parse("not a = 1 and b = 1"));
    }

    [Theory]
    [InlineData("(a = 1 and b = 1) and c = 1")]
    [InlineData("a = 1 and (b = 1 and c = 1)")]
    [InlineData("a = 1 or (b = 1 or c = 1)")]
    [InlineData("(a = 1 or b = 1) and c = 1")]
    [InlineData("not (a = 1 and b = 1)")]
    [InlineData("not not a = 1")]
    [InlineData("did x where (a = 1 and (b = 1 or c = 1))")]
    [InlineData("sum(x.a where a = 1 and (b = 1 or c = 1)) > 1")]
    public void NeededParentheses_AreKeptInTheCanonicalText(string text)
    {
        Assert.Equal(text, SegmentText.Print(SegmentText.Parse(text)));
    }

    [Theory]
    [InlineData("((a = 1))", "a = 1")]
    [InlineData("a = 1 or (b = 1 and c = 1)", "a = 1 or b = 1 and c = 1")]
    [InlineData("DID  x  AT LEAST 1 TIME IN THE LAST 1 DAY WHERE (properties.a = 1)", "did x in last 1 day where a = 1")]
    [InlineData("did x exactly 1 time", "did x exactly 1 time")]
    [InlineData("x = 'it''s'", "x = 'it''s'")]
    [InlineData("x in (1.50,-2, 3)", "x in (1.50, -2, 3)")]
    [InlineData("x >= 2026-06-01T08:00:00.500+08:00 and y < 2026-06-01T00:00Z", "x >= 2026-06-01T08:00:00.5+08:00 and y < 2026-06-01T00:00:00Z")]
    [InlineData("x after 1 DAY AGO", "x after 1 day ago")]
    public void CanonicalText_UsesLowerCaseKeywordsSingleSpacesAndNoRedundantParentheses(string text, string canonical)
    {
        Assert.Equal(canonical, SegmentText.Print(SegmentText.Parse(text)));
    }

    private static void ReadsOrRefuses(string text)
    {
        ParsedText parsed;
        try
        {
            parsed = SegmentText.ParseWithPositions(text, SegmentCatalogue.Default);
        }
        catch (SegmentLanguageException e)
        {
            var error = e.Errors[0];
            Assert.True(error.Line >= 1 && error.Column >= 1, $"an error without a position: {error}");
            return;
        }
        foreach (var error in SegmentChecker.Check(parsed.Condition, SegmentCatalogue.Default, parsed.Positions))
        {
            Assert.True(error.Line >= 1 && error.Column >= 1, $"a checker error without a position: {error}");
        }
        Assert.Equal(parsed.Condition, SegmentText.Parse(SegmentText.Print(parsed.Condition)));
    }

    private static string Mutate(string text, int at, int length, string fragment)
    {
        at %= text.Length + 1;
        length = Math.Min(length, text.Length - at);
        return text[..at] + fragment + text[(at + length)..];
    }

    /// <summary>A parser that loops would hang the run; this turns that into a failure.</summary>
    private static void WithinTime(Action fuzz)
    {
        var watch = Stopwatch.StartNew();
        var task = Task.Run(fuzz);
        Assert.True(task.Wait(TimeSpan.FromMinutes(2)), $"the fuzzing did not finish in {watch.Elapsed}");
        task.GetAwaiter().GetResult();
    }
}
