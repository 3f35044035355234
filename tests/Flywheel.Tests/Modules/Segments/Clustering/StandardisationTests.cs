using Flywheel.Modules.Segments.Clustering;

namespace Flywheel.Tests.Modules.Segments.Clustering;

public sealed class StandardisationTests
{
    [Fact]
    public void LoggedFeature_IsLog1p_ThenZScoredWithThePopulationDeviation()
    {
        // log(1 + x) of 0, e − 1, e² − 1 is 0, 1, 2: mean 1, population deviation √(2/3) = 0.81650 → z = ∓1.22474, 0.
        double[] raw = [0, Math.E - 1, (Math.E * Math.E) - 1];

        var s = Standardisation.Of(raw, [true]);

        Assert.Equal(1, s.Means[0], 12);
        Assert.Equal(Math.Sqrt(2.0 / 3), s.Deviations[0], 12);
        Assert.Equal(-1.224744871391589, s.Values[0], 12);
        Assert.Equal(0, s.Values[1], 12);
        Assert.Equal(1.224744871391589, s.Values[2], 12);
    }

    [Fact]
    public void ShareFeature_IsZScoredAsItIs()
    {
        // 0, 0, 1: mean 1/3, deviation √((1/9 + 1/9 + 4/9) / 3) = √2/3 = 0.47140 → z = −0.70711, −0.70711, 1.41421.
        var s = Standardisation.Of([0, 0, 1], [false]);

        Assert.Equal(-Math.Sqrt(0.5), s.Values[0], 12);
        Assert.Equal(-Math.Sqrt(0.5), s.Values[1], 12);
        Assert.Equal(Math.Sqrt(2), s.Values[2], 12);
    }

    [Fact]
    public void MissingValues_AreLeftOutOfMeanAndDeviation_AndStandardiseToZero()
    {
        // Second feature: NaN, 2, 4 → over the two present values mean 3 and deviation 1 → 0 (missing), −1, 1.
        double[] raw = [10, double.NaN, 20, 2, 30, 4];

        var s = Standardisation.Of(raw, [false, false]);

        Assert.Equal(3, s.Means[1]);
        Assert.Equal(1, s.Deviations[1]);
        Assert.Equal([0.0, -1.0, 1.0], new[] { s.Values[1], s.Values[3], s.Values[5] });
    }

    [Fact]
    public void ConstantFeature_HasNoDeviation_AndIsZeroForEveryone()
    {
        var s = Standardisation.Of([5, 5, 5], [true]);

        Assert.Equal(0, s.Deviations[0]);
        Assert.Equal([0.0, 0.0, 0.0], s.Values);
    }

    [Fact]
    public void ValuesThatAreNotWholeRows_AreAnError() =>
        Assert.Throws<ArgumentException>(() => Standardisation.Of([1, 2, 3], [false, false]));
}
