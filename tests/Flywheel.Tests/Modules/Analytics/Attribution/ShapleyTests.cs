using Flywheel.Modules.Analytics.Attribution;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>The Shapley model on a three-channel game computed by hand.</summary>
public sealed class ShapleyTests
{
    /// <summary>
    /// Conversions by channel set: {a} 3, {b} 1, {a,b} 2, {a,b,c} 3; {c} only has nulls. So v(∅) = 0, v(a) = 3,
    /// v(b) = 1, v(c) = 0, v(ab) = 6, v(ac) = 3, v(bc) = 1, v(abc) = 9. With three players the weights are 1/3 for the
    /// empty and the two-player coalition and 1/6 for each one-player coalition:
    /// φ_a = 1/3·(3−0) + 1/6·(6−1) + 1/6·(3−0) + 1/3·(9−1) = 1 + 5/6 + 1/2 + 8/3 = 5,
    /// φ_b = 1/3·(1−0) + 1/6·(6−3) + 1/6·(1−0) + 1/3·(9−3) = 1/3 + 1/2 + 1/6 + 2 = 3,
    /// φ_c = 1/3·0 + 1/6·(3−3) + 1/6·(1−1) + 1/3·(9−6) = 1; 5 + 3 + 1 = 9.
    /// Values: {a} 30.00, {b} 10.00, {a,b} 20.00, {a,b,c} 0.10, the same game in money: φ_a = 30 + 20/2 + 0.10/3,
    /// φ_b = 10 + 20/2 + 0.10/3, φ_c = 0.10/3, i.e. 40.0333…, 20.0333…, 0.0333…: in cents 4003, 2003 and 3 rounded
    /// down (6009), one cent of 6010 left over, three equal remainders of 1/3, so the first by name, a, takes it.
    /// </summary>
    private static readonly ConversionPath[] HandExample =
    [
        Paths.Of("a", 3, 30.00m), Paths.Of("b > b", 1, 10.00m), Paths.Of("b > a", 2, 20.00m),
        Paths.Of("a > c > b", 3, 0.10m), Paths.Of("c", 0, 0m, 7),
    ];

    [Fact]
    public void Conversions_MatchTheGameComputedByHand()
    {
        var result = Paths.Run(AttributionModel.Shapley, HandExample);

        Assert.Equal(5, result["a"].Conversions, 12);
        Assert.Equal(3, result["b"].Conversions, 12);
        Assert.Equal(1, result["c"].Conversions, 12);
    }

    [Fact]
    public void Value_MatchesTheGameComputedByHand_RoundedByLargestRemainder()
    {
        var result = Paths.Run(AttributionModel.Shapley, HandExample);

        Assert.Equal([40.04m, 20.03m, 0.03m], result.Channels.Select(c => c.Value));
        Assert.Equal(60.10m, result.Channels.Sum(c => c.Value));
    }

    [Fact]
    public void MoreChannelsThanTheEnumerationTakes_AreRefused()
    {
        var path = Paths.Of(string.Join(" > ", Enumerable.Range(0, ShapleyModel.MaxChannels + 1).Select(i => $"c{i}")));

        var error = Assert.Throws<AttributionInputException>(() => Paths.Run(AttributionModel.Shapley, path));

        Assert.Contains("at most 15 channels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChannelsOnlyOnPathsWithoutConversions_AreNullPlayers()
    {
        var result = Paths.Run(AttributionModel.Shapley, Paths.Of("a", 2, 4.00m), Paths.Of("z > a", 0, 0m, 9));

        Assert.Equal(new ChannelCredit("z", 0, 0.00m), result["z"]);
        Assert.Equal(new ChannelCredit("a", 2, 4.00m), result["a"]);
    }
}
