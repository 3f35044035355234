using System.Globalization;
using System.Numerics;

namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// An exact fraction. Credits are added up as fractions so that the attributed conversions of a model sum exactly to the
/// total, money splits can be rounded by the largest remainder without floating-point ties, and the result does not
/// depend on the order of the input rows (floating-point sums do, in their last bits).
/// </summary>
internal readonly record struct Rational
{
    private Rational(BigInteger numerator, BigInteger denominator)
    {
        Numerator = numerator;
        Denominator = denominator;
    }

    public BigInteger Numerator { get; }

    /// <summary>Always positive; the fraction is kept in lowest terms.</summary>
    public BigInteger Denominator { get; }

    public static Rational Zero => new(BigInteger.Zero, BigInteger.One);

    public static Rational One => new(BigInteger.One, BigInteger.One);

    public bool IsZero => Numerator.IsZero;

    public static Rational Of(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("A fraction cannot have a zero denominator.");
        }
        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        return gcd.IsOne || gcd.IsZero ? new(numerator, denominator) : new(numerator / gcd, denominator / gcd);
    }

    public static Rational Of(long whole) => new(whole, BigInteger.One);

    public static Rational Of(decimal value)
    {
        var bits = decimal.GetBits(value);
        var magnitude = (new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | new BigInteger((uint)bits[0]);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        return Of(negative ? -magnitude : magnitude, BigInteger.Pow(10, scale));
    }

    /// <summary>The exact value of a finite double (every finite double is a fraction with a power-of-two denominator).</summary>
    public static Rational Of(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite numbers are fractions.");
        }
        if (value == 0)
        {
            return Zero;
        }
        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1; // subnormal: no implicit leading bit
        }
        else
        {
            mantissa |= 1L << 52;
        }
        var power = exponent - 1075; // value = mantissa × 2^power
        BigInteger numerator = negative ? -mantissa : mantissa;
        return power >= 0 ? Of(numerator << power, BigInteger.One) : Of(numerator, BigInteger.One << -power);
    }

    public static Rational operator +(Rational a, Rational b) =>
        a.Denominator == b.Denominator
            ? Of(a.Numerator + b.Numerator, a.Denominator)
            : Of((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) => a + new Rational(-b.Numerator, b.Denominator);

    public static Rational operator *(Rational a, Rational b) => Of(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Rational operator /(Rational a, Rational b) => Of(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public int CompareTo(Rational other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    /// <summary>The largest whole number not above the fraction.</summary>
    public BigInteger Floor()
    {
        var quotient = BigInteger.DivRem(Numerator, Denominator, out var remainder);
        return remainder.Sign < 0 ? quotient - 1 : quotient;
    }

    /// <summary>The nearest double (to within one unit in the last place), computed from 64 significant bits.</summary>
    public double ToDouble()
    {
        if (Numerator.IsZero)
        {
            return 0;
        }
        var magnitude = BigInteger.Abs(Numerator);
        var shift = (long)Denominator.GetBitLength() - (long)magnitude.GetBitLength() + 64;
        var scaled = shift >= 0 ? (magnitude << (int)shift) / Denominator : magnitude / (Denominator << (int)-shift);
        var result = Math.ScaleB((double)scaled, (int)-shift);
        return Numerator.Sign < 0 ? -result : result;
    }

    public override string ToString() => Denominator.IsOne
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");
}
