using System.Globalization;
using Flywheel.Platform;

namespace Flywheel.Ui;

/// <summary>
/// Amounts as people read them: the currency's symbol, exactly the currency's number of decimals, and the digit
/// grouping of the reader's culture (¥12,345.60). The amount is never rounded: minor units have the currency's scale.
/// </summary>
public static class MoneyText
{
    public static string Format(long minor, string currency, CultureInfo culture) =>
        Format(Money.ToMajor(minor, currency), currency, culture);

    public static string Format(decimal major, string currency, CultureInfo culture)
    {
        var digits = Money.MinorDigits(currency);
        var number = Math.Abs(major).ToString("N" + digits.ToString(CultureInfo.InvariantCulture), culture);
        return (major < 0 ? "-" : "") + Symbol(currency) + number;
    }

    public static string Symbol(string currency) => currency.ToUpperInvariant() switch
    {
        "CNY" or "JPY" => "¥",
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "HKD" => "HK$",
        "TWD" => "NT$",
        "KRW" => "₩",
        var code => code + " ",
    };
}
