using Flywheel.Modules.Analytics.Attribution;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>Reading the ChannelAttribution layout, and refusing all of it when any line is bad.</summary>
public sealed class ChannelAttributionTextTests
{
    private const string Header = "path;total_conversions;total_conversion_value;total_null\n";

    [Fact]
    public void GoodText_IsReadIntoPaths()
    {
        var paths = ChannelAttributionText.Parse(Header + "eta > iota > alpha > eta;1;0.244;3\nbeta;0;0;2\n\nDirect > beta;2;5.5;0\n");

        Assert.Equal(3, paths.Count);
        Assert.Equal(["eta", "iota", "alpha", "eta"], paths[0].Touches.Select(t => t.Channel));
        Assert.Equal((1L, 0.244m, 3L), (paths[0].Conversions, paths[0].Value, paths[0].Nulls));
        Assert.Equal((0L, 0m, 2L), (paths[1].Conversions, paths[1].Value, paths[1].Nulls));
        Assert.True(paths[2].Touches[0].IsDirect);
        Assert.False(paths[2].Touches[1].IsDirect);
        Assert.All(paths.SelectMany(p => p.Touches), t => Assert.Null(t.At));
    }

    [Fact]
    public void ColumnsInAnotherOrder_AreReadByName()
    {
        var paths = ChannelAttributionText.Parse("total_null;path;total_conversion_value;total_conversions\n4;a > b;1.5;2\n");

        Assert.Equal((2L, 1.5m, 4L), (paths[0].Conversions, paths[0].Value, paths[0].Nulls));
    }

    public static TheoryData<string, string> BadLines => new()
    {
        { "a;x;0;1", "line 2, total_conversions: 'x' is not a whole number." },
        { "a;1.5;0;1", "line 2, total_conversions: '1.5' is not a whole number." },
        { "a;1;2,50;1", "line 2, total_conversion_value: '2,50' is not a number" },
        { "a;-1;0;1", "line 2, total_conversions: -1 is negative" },
        { "a;1;-3.2;1", "line 2, total_conversion_value: -3.2 is negative" },
        { "a;1;1;-4", "line 2, total_null: -4 is negative" },
        { ";1;1;0", "line 2, path: the path is empty." },
        { "a >  > b;1;1;0", "line 2, path: 'a >  > b' has an empty touch" },
        { "a > b;1;1", "line 2, total_null: the field is missing." },
        { "a > b;1;;0", "line 2, total_conversion_value: the field is empty." },
        { "a;0;2.5;1", "line 2, total_conversion_value: a path without conversions cannot have conversion value." },
        { "a;1;1;0;7", "line 2: the line has 5 fields but the header has 4." },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public void BadLine_IsRefusedNamingLineAndField(string line, string expected)
    {
        var error = Assert.Throws<AttributionInputException>(() => ChannelAttributionText.Parse(Header + "ok;1;1;0\n" + line + "\n"));

        var only = Assert.Single(error.Errors);
        // The good line comes first, so the bad one is line 3.
        Assert.StartsWith(expected.Replace("line 2", "line 3", StringComparison.Ordinal), only.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBadLine_IsReported_AndNothingIsAccepted()
    {
        var error = Assert.Throws<AttributionInputException>(() =>
            ChannelAttributionText.Parse(Header + "a;1;1;0\nb;two;1;0\nc;1;1;0\nd;1;1;-1\n"));

        Assert.Equal([(3, "total_conversions"), (5, "total_null")], error.Errors.Select(e => (e.Line, e.Field!)));
    }

    [Theory]
    [InlineData("path;total_conversions;total_conversion_value\n", "line 1, total_null: the column is missing from the header.")]
    [InlineData("path;total_conversions;total_conversion_value;total_null;extra\n", "line 1, extra: unknown column")]
    public void BadHeader_IsRefused(string text, string expected)
    {
        var error = Assert.Throws<AttributionInputException>(() => ChannelAttributionText.Parse(text + "a;1;1;0\n"));

        Assert.StartsWith(expected, error.Errors[0].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void EmptyText_IsRefused(string text)
    {
        var error = Assert.Throws<AttributionInputException>(() => ChannelAttributionText.Parse(text));

        Assert.Equal("line 1: the text is empty; its first line must be the header.", Assert.Single(error.Errors).ToString());
    }

    [Fact]
    public void BadQuoting_IsRefusedNamingTheLine()
    {
        var error = Assert.Throws<AttributionInputException>(() => ChannelAttributionText.Parse(Header + "a;1;1;0\n\"b\"x;1;1;0\n"));

        Assert.StartsWith("line 3: the line's quoting is malformed", Assert.Single(error.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AQuotedPath_MayHoldTheSeparator()
    {
        var paths = ChannelAttributionText.Parse(Header + "\"a;b > c\";1;1;0\n");

        Assert.Equal(["a;b", "c"], paths[0].Touches.Select(t => t.Channel));
    }

    [Fact]
    public void AFileBadOnEveryLine_ListsTheFirstHundredErrors_AndCountsTheRest()
    {
        var lines = string.Concat(Enumerable.Repeat("a;x;0;0\n", 250));

        var error = Assert.Throws<AttributionInputException>(() => ChannelAttributionText.Parse(Header + lines));

        Assert.Equal(101, error.Errors.Count);
        Assert.Equal("line 251: and 150 more errors up to this line; is this the right file?", error.Errors[^1].ToString());
    }
}
