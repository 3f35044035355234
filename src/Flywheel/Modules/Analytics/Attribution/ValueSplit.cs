using System.Numerics;

namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// Rounds exact shares of money to a fixed number of decimals so that the rounded shares add up exactly to the total
/// (largest remainder): each share is rounded down, and the units left over go one each to the shares that lost most
/// in rounding, ties broken by channel name so that the result does not depend on input order.
/// </summary>
internal static class ValueSplit
{
    /// <summary>Cents at least, finer when an input value has more decimals (so that the total itself is representable).</summary>
    public static int DecimalsFor(IEnumerable<ConversionPath> paths) =>
        paths.Select(p => DecimalPlaces(p.Value)).Append(2).Max();

    public static Dictionary<string, decimal> Round(IReadOnlyDictionary<string, Rational> shares, decimal total, int decimals)
    {
        var unit = Rational.Of(BigInteger.Pow(10, decimals), BigInteger.One);
        var totalUnits = (Rational.Of(total) * unit).Floor();
        var rounded = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        var remainders = new List<(string Channel, Rational Remainder)>();
        foreach (var (channel, share) in shares)
        {
            var scaled = share * unit;
            var floor = scaled.Floor();
            rounded[channel] = floor;
            remainders.Add((channel, scaled - Rational.Of(floor, BigInteger.One)));
        }
        var leftOver = totalUnits - rounded.Values.Aggregate(BigInteger.Zero, (a, b) => a + b);
        if (leftOver.Sign < 0 || leftOver > remainders.Count)
        {
            throw new InvalidOperationException($"The shares do not add up to the total {total}; {leftOver} units are left over.");
        }
        var takers = remainders
            .OrderByDescending(r => r.Remainder, Comparer<Rational>.Create((a, b) => a.CompareTo(b)))
            .ThenBy(r => r.Channel, StringComparer.Ordinal)
            .Take((int)leftOver);
        foreach (var (channel, _) in takers)
        {
            rounded[channel] += 1;
        }
        return rounded.ToDictionary(r => r.Key, r => ToDecimal(r.Value, decimals), StringComparer.Ordinal);
    }

    private static int DecimalPlaces(decimal value)
    {
        var places = value.Scale;
        while (places > 0 && decimal.Round(value, places - 1) == value)
        {
            places--;
        }
        return places;
    }

    /// <summary>Whole units of 10^-decimals as a decimal that carries that scale (12.50, not 12.5).</summary>
    private static decimal ToDecimal(BigInteger units, int decimals)
    {
        var magnitude = BigInteger.Abs(units);
        var lo = (int)(uint)(magnitude & uint.MaxValue);
        var mid = (int)(uint)((magnitude >> 32) & uint.MaxValue);
        var hi = (int)(uint)((magnitude >> 64) & uint.MaxValue);
        if (magnitude >> 96 != BigInteger.Zero || decimals > 28)
        {
            throw new OverflowException("The value is too large for a decimal.");
        }
        return new decimal(lo, mid, hi, units.Sign < 0, (byte)decimals);
    }
}
