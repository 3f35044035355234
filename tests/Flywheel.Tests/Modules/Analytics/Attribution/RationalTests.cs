using System.Globalization;
using System.Numerics;
using CsCheck;
using Flywheel.Modules.Analytics.Attribution;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>The exact fractions every model adds up in.</summary>
public sealed class RationalTests
{
    [Fact]
    public void EveryFiniteDouble_IsAFraction_ThatConvertsBackToItself()
    {
        Gen.Double.Where(double.IsFinite).Sample(d => Assert.Equal(d, Rational.Of(d).ToDouble()), iter: 20_000);
    }

    [Fact]
    public void Decimals_AreReadExactly()
    {
        // 0.244 = 244/1000 = 61/250; −12.50 = −25/2; the largest decimal is a whole number.
        Assert.Equal(Rational.Of(61, 250), Rational.Of(0.244m));
        Assert.Equal(Rational.Of(-25, 2), Rational.Of(-12.50m));
        Assert.Equal(Rational.Of(BigInteger.Parse("79228162514264337593543950335", CultureInfo.InvariantCulture), 1), Rational.Of(decimal.MaxValue));
    }

    [Fact]
    public void Arithmetic_KeepsLowestTerms()
    {
        // 1/6 + 1/3 = 1/2; 2/3 × 3/4 = 1/2; (1/2) / (1/4) = 2; 1/3 − 1/2 = −1/6; floor(−1/6) = −1.
        Assert.Equal(Rational.Of(1, 2), Rational.Of(1, 6) + Rational.Of(1, 3));
        Assert.Equal(Rational.Of(1, 2), Rational.Of(2, 3) * Rational.Of(3, 4));
        Assert.Equal(Rational.Of(2), Rational.Of(1, 2) / Rational.Of(1, 4));
        Assert.Equal("-1/6", (Rational.Of(1, 3) - Rational.Of(1, 2)).ToString());
        Assert.Equal(-1, (Rational.Of(1, 3) - Rational.Of(1, 2)).Floor());
    }
}
