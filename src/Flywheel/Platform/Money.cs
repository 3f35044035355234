using System.Globalization;

namespace Flywheel.Platform;

/// <summary>
/// Money crosses the API as decimal numbers in major units (12.50) and is kept as integer minor units (1250).
/// A value with more decimals than the currency has is refused rather than rounded.
/// </summary>
public static class Money
{
    /// <summary>Minor-unit digits of an ISO 4217 currency (JPY and KRW have none).</summary>
    public static int MinorDigits(string currency) => currency.ToUpperInvariant() switch
    {
        "JPY" or "KRW" or "VND" or "CLP" or "ISK" => 0,
        "BHD" or "KWD" or "OMR" or "JOD" or "TND" => 3,
        _ => 2,
    };

    public static bool TryToMinor(decimal amount, string currency, out long minor)
    {
        var scaled = amount * Pow10(MinorDigits(currency));
        minor = 0;
        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue || scaled < long.MinValue)
        {
            return false;
        }
        minor = (long)scaled;
        return true;
    }

    /// <summary>
    /// Minor units as a decimal carrying the currency's scale, so that 19900 fen serialises as 199.00, not 199.
    /// </summary>
    public static decimal ToMajor(long minor, string currency)
    {
        var magnitude = minor == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(minor);
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, minor < 0, (byte)MinorDigits(currency));
    }

    public static string Format(long minor, string currency) =>
        ToMajor(minor, currency).ToString(CultureInfo.InvariantCulture);

    private static long Pow10(int digits) => digits switch { 0 => 1, 2 => 100, 3 => 1000, _ => (long)Math.Pow(10, digits) };
}
