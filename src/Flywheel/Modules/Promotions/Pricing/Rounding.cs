namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// The one rounding rule of pricing: a percentage of an amount is rounded half-up to the minor unit
/// (10% of ¥1.06 = 0.106 → ¥0.11). It is applied once, to a line total or an order base, never per unit, so that
/// 10 units of ¥0.01 at 10% off still lose ¥0.01.
/// </summary>
public static class Rounding
{
    public static long PercentOf(long amount, decimal percent)
    {
        if (amount <= 0)
        {
            return 0;
        }
        // A whole percentage of an amount that cannot overflow is worked out in integers: (amount × p + 50) / 100 is
        // amount × p / 100 rounded half-up, the same as the decimal below, which is much slower.
        if (decimal.IsInteger(percent) && percent is > 0 and <= 100 && amount <= long.MaxValue / 100 - 1)
        {
            return (amount * (long)percent + 50) / 100;
        }
        // Amounts are below 10^15 minor units (validated) and percents at most 100, so decimal is exact here.
        return (long)Math.Round(amount * percent / 100m, MidpointRounding.AwayFromZero);
    }

    /// <summary>amount × numerator / denominator, rounded half-up; used for the part of a line that some units make.</summary>
    public static long Share(long amount, long numerator, long denominator)
    {
        var product = (Int128)amount * numerator;
        var quotient = product / denominator;
        var remainder = product % denominator;
        return (long)(remainder * 2 >= denominator ? quotient + 1 : quotient);
    }
}
