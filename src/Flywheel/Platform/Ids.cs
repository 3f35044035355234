using System.Security.Cryptography;

namespace Flywheel.Platform;

/// <summary>
/// Identifiers with a readable prefix ("ws_", "cus_", ...) and 80 random bits in Crockford base32,
/// so that they are URL-safe, sortable as text, unguessable and the same on every state provider.
/// </summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(string prefix) => prefix + "_" + RandomToken(16);

    public static string RandomToken(int length)
    {
        Span<byte> bytes = stackalloc byte[length];
        RandomNumberGenerator.Fill(bytes);
        return string.Create(length, bytes.ToArray(), static (chars, b) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[b[i] & 31];
            }
        });
    }
}
