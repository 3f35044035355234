using System.Security.Cryptography;
using System.Text;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// The signature of a report webhook: header <c>Flywheel-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where hex is
/// HMAC-SHA256 keyed with the subscription's webhook secret (its UTF-8 bytes) over "&lt;t&gt;.&lt;body&gt;". Signing the time
/// with the body lets a receiver refuse replays of an old delivery.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Flywheel-Signature";

    public static string Sign(string secret, long unixSeconds, string body) =>
        $"t={unixSeconds},v1={Hex(secret, unixSeconds, body)}";

    public static string Hex(string secret, long unixSeconds, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unixSeconds}.{body}")));

    /// <summary>Checks a header against a body, in constant time.</summary>
    public static bool Verify(string secret, string header, string body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, out var seconds) || !parts.TryGetValue("v1", out var v1))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hex(secret, seconds, body)), Encoding.ASCII.GetBytes(v1));
    }
}
