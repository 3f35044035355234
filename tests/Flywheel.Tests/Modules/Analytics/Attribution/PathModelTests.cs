using Flywheel.Modules.Analytics.Attribution;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>The models that share each path among its own touches, on examples worked out by hand.</summary>
public sealed class PathModelTests
{
    private static readonly DateTimeOffset Converted = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FirstAndLastTouch_GiveTheWholeConversionToOneEnd()
    {
        ConversionPath[] paths = [Paths.Of("a > b > c", 2, 30.00m), Paths.Of("b > c", 1, 5.00m), Paths.Of("c > a", 0, 0m, 4)];

        // First touch: a gets the 2 conversions (30.00) of a > b > c, b the 1 (5.00) of b > c; the null path nothing.
        var first = Paths.Run(AttributionModel.FirstTouch, paths);
        Assert.Equal(new ChannelCredit("a", 2, 30.00m), first["a"]);
        Assert.Equal(new ChannelCredit("b", 1, 5.00m), first["b"]);
        Assert.Equal(new ChannelCredit("c", 0, 0.00m), first["c"]);

        // Last touch: both converting paths end in c.
        var last = Paths.Run(AttributionModel.LastTouch, paths);
        Assert.Equal(new ChannelCredit("c", 3, 35.00m), last["c"]);
        Assert.Equal(0, last["a"].Conversions);
    }

    [Fact]
    public void LastNonDirect_SkipsDirectVisits_AndFallsBackToTheLastTouchWhenAllAreDirect()
    {
        var result = Paths.Run(AttributionModel.LastNonDirect,
            Paths.Of("a > email > direct > direct", 1, 10.00m),
            Paths.Of("direct > direct", 1, 4.00m));

        Assert.Equal(new ChannelCredit("email", 1, 10.00m), result["email"]);
        Assert.Equal(new ChannelCredit("direct", 1, 4.00m), result["direct"]);
        Assert.Equal(0, result["a"].Conversions);
    }

    [Fact]
    public void Linear_GivesEachOccurrenceAnEqualShare()
    {
        // a > b > a: a has 2 of 3 touches, b 1. Value 1.00 = 100 cents: a 66.67 → 66, b 33.33 → 33, one cent left,
        // which goes to the larger remainder (a's 0.67): a 0.67, b 0.33.
        var result = Paths.Run(AttributionModel.Linear, Paths.Of("a > b > a", 1, 1.00m));

        Assert.Equal(2.0 / 3, result["a"].Conversions, 12);
        Assert.Equal(1.0 / 3, result["b"].Conversions, 12);
        Assert.Equal(0.67m, result["a"].Value);
        Assert.Equal(0.33m, result["b"].Value);
    }

    [Fact]
    public void PositionBased_Gives40PercentToEachEnd_AndSharesTwentyAmongTheMiddle()
    {
        // a > b > c > d, value 10.00: a 40 % = 4.00, b and c 20 % / 2 = 1.00 each, d 4.00.
        var four = Paths.Run(AttributionModel.PositionBased, Paths.Of("a > b > c > d", 1, 10.00m));
        Assert.Equal([4.00m, 1.00m, 1.00m, 4.00m], four.Channels.Select(c => c.Value));
        Assert.Equal([0.4, 0.1, 0.1, 0.4], four.Channels.Select(c => Math.Round(c.Conversions, 12)));

        // The same channel at both ends collects both 40 %: a 0.8, b 0.2.
        var ends = Paths.Run(AttributionModel.PositionBased, Paths.Of("a > b > a", 5, 1.00m));
        Assert.Equal(4.0, ends["a"].Conversions, 12);
        Assert.Equal(0.80m, ends["a"].Value);

        // Two touches: no middle to give 20 % to, so 50/50; one touch: all of it.
        var two = Paths.Run(AttributionModel.PositionBased, Paths.Of("a > b", 1, 3.00m), Paths.Of("c", 1, 2.00m));
        Assert.Equal(new ChannelCredit("a", 0.5, 1.50m), two["a"]);
        Assert.Equal(new ChannelCredit("b", 0.5, 1.50m), two["b"]);
        Assert.Equal(new ChannelCredit("c", 1, 2.00m), two["c"]);
    }

    [Fact]
    public void TimeDecay_HalvesATouchsWeightPerHalfLifeBeforeTheConversion()
    {
        // Half-life 1 day; touches 2 days, 1 day and 0 days before: weights 1/4, 1/2, 1, sum 7/4, so shares 1/7, 2/7,
        // 4/7 of 7 conversions (7.00): 1, 2 and 4.
        var path = new ConversionPath(
            [new Touch("a", Converted.AddDays(-2)), new Touch("b", Converted.AddDays(-1)), new Touch("c", Converted)],
            conversions: 7, value: 7.00m, nulls: 0, convertedAt: Converted);

        var result = AttributionEngine.Run(AttributionModel.TimeDecay, [path], new AttributionSettings(TimeSpan.FromDays(1)));

        Assert.Equal([1.0, 2.0, 4.0], result.Channels.Select(c => Math.Round(c.Conversions, 12)));
        Assert.Equal([1.00m, 2.00m, 4.00m], result.Channels.Select(c => c.Value));
    }

    [Fact]
    public void TimeDecay_WithoutTimestamps_IsRefusedNamingThePath()
    {
        var error = Assert.Throws<AttributionInputException>(() =>
            Paths.Run(AttributionModel.TimeDecay, Paths.Of("search > email", 1, 2.00m)));

        Assert.Contains("search > email", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimeDecay_IgnoresMissingTimestampsOnPathsWithoutConversions()
    {
        var converting = new ConversionPath([new Touch("a", Converted)], 1, 1.00m, 0, Converted);

        var result = AttributionEngine.Run(AttributionModel.TimeDecay, [converting, Paths.Of("b", 0, 0m, 3)]);

        Assert.Equal(new ChannelCredit("a", 1, 1.00m), result["a"]);
        Assert.Equal(new ChannelCredit("b", 0, 0.00m), result["b"]);
    }

    [Fact]
    public void Value_WithMoreDecimalsThanCents_IsSplitInTheInputsFinestUnit()
    {
        // 0.001 split three ways in thousandths: 1/3 each → floors 0, one unit left, equal remainders → first by name.
        var result = Paths.Run(AttributionModel.Linear, Paths.Of("c > b > a", 1, 0.001m));

        Assert.Equal([0.001m, 0.000m, 0.000m], result.Channels.Select(c => c.Value));
        Assert.Equal(0.001m, result.Channels.Sum(c => c.Value));
    }
}
