using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Platform.Auth;

/// <summary>A key as authentication needs it.</summary>
public sealed record KeyGrant(string KeyId, string WorkspaceId, ApiKeyKind Kind, IReadOnlyList<string> Scopes);

/// <summary>
/// Issues and resolves API keys. Keys look like "fw_pk_..." (public) and "fw_sk_..." (secret) followed by 32 base32
/// characters (160 bits). Valid keys are cached (unknown ones never are, so a new key needs no clearing); revoking a
/// key clears the cache.
/// </summary>
public sealed class ApiKeys(StateStore state, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, KeyGrant?> cache = new(StringComparer.Ordinal);

    public static string NewKey(ApiKeyKind kind) => (kind == ApiKeyKind.Public ? "fw_pk_" : "fw_sk_") + Ids.RandomToken(32);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>True when the text has the shape of a key of that kind (for keys supplied by configuration).</summary>
    public static bool IsWellFormed(string key, ApiKeyKind kind) =>
        key.StartsWith(kind == ApiKeyKind.Public ? "fw_pk_" : "fw_sk_", StringComparison.Ordinal) && key.Length >= 6 + 24;

    /// <summary>Creates a key row (not saved) for a plain key.</summary>
    public ApiKey Create(string workspaceId, ApiKeyKind kind, string name, IEnumerable<string> scopes, string plainKey)
    {
        return new ApiKey
        {
            Id = Ids.New("key"),
            WorkspaceId = workspaceId,
            Kind = kind,
            Name = name,
            Prefix = plainKey[..Math.Min(12, plainKey.Length)],
            KeyHash = Hash(plainKey),
            Scopes = kind == ApiKeyKind.Public ? Scopes.EventsWrite : string.Join(' ', scopes.Distinct(StringComparer.Ordinal)),
            CreatedAt = clock.GetUtcNow(),
        };
    }

    /// <summary>Drops cached keys, so that a revocation takes effect on the next request.</summary>
    public void Forget() => cache.Clear();

    public async ValueTask<KeyGrant?> ResolveAsync(string plainKey, CancellationToken ct)
    {
        var hash = Hash(plainKey);
        if (cache.TryGetValue(hash, out var grant))
        {
            return grant;
        }
        await using var db = state.Open();
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash, ct);
        grant = key is null || key.RevokedAt is not null
            ? null
            : new KeyGrant(key.Id, key.WorkspaceId, key.Kind, key.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // Unknown keys are not cached: a flood of random keys must not grow memory.
        if (grant is not null)
        {
            cache[hash] = grant;
        }
        return grant;
    }
}
