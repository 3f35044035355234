using Flywheel.Platform;

namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// The cart's currency: every amount in pricing is an integer count of its minor unit (fen for CNY, cents for USD),
/// and <see cref="Scale"/> says how many decimal places one major unit has.
/// </summary>
public readonly record struct Currency(string Code)
{
    public int Scale => Money.MinorDigits(Code);

    public static readonly Currency Cny = new("CNY");

    /// <summary>The symbol hints are written with; the ISO code where there is no common one.</summary>
    public string Symbol => Code.ToUpperInvariant() switch
    {
        "CNY" or "JPY" => "¥",
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        _ => Code.ToUpperInvariant() + " ",
    };

    /// <summary>An amount for people to read: whole amounts without decimals (¥200), others at full scale (¥199.50).</summary>
    public string Display(long minor)
    {
        var major = Money.ToMajor(minor, Code);
        var text = major == decimal.Truncate(major)
            ? decimal.Truncate(major).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : Money.Format(minor, Code);
        return Symbol + text;
    }

    /// <summary>The same without the symbol, for phrases such as 满200减20.</summary>
    public string Number(long minor) => Display(minor)[Symbol.Length..];
}
