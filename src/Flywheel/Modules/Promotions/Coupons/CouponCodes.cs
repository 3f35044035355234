using System.Security.Cryptography;

namespace Flywheel.Modules.Promotions.Coupons;

/// <summary>
/// Coupon codes: drawn by the cryptographic random generator from an alphabet without look-alike characters (no 0/O,
/// 1/I/L), so that a code read aloud or copied by hand is typed right, and 12 characters long: 31^12 ≈ 7.9 × 10^17
/// codes (59 bits), so guessing one of even a million issued codes takes about 10^12 tries.
/// </summary>
public static class CouponCodes
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public const int Length = 12;
    public const int MaxPrefixLength = 8;

    /// <summary>A new code, with the template's prefix if it has one.</summary>
    public static string New(string? prefix) => (prefix ?? "") + RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>The code as stored: upper case, without the spaces and dashes people type between groups.</summary>
    public static string Normalize(string entered) =>
        new(entered.Where(c => c is not (' ' or '-')).Select(char.ToUpperInvariant).ToArray());

    /// <summary>A prefix is upper-case letters and digits of the alphabet, so a whole code stays unambiguous.</summary>
    public static bool IsValidPrefix(string prefix) =>
        prefix.Length is > 0 and <= MaxPrefixLength && prefix.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
