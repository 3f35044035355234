using System.Security.Claims;

namespace Flywheel.Platform.Auth;

/// <summary>Claims Flywheel puts on every authenticated caller, and typed access to them.</summary>
public static class Caller
{
    public const string WorkspaceClaim = "fw:workspace";
    public const string ActorClaim = "fw:actor";
    public const string ScopeClaim = "fw:scope";
    public const string RoleClaim = "fw:role";

    /// <summary>The workspace the caller acts in; every query filters by it.</summary>
    public static string WorkspaceId(this ClaimsPrincipal user) =>
        user.FindFirstValue(WorkspaceClaim) ?? throw new InvalidOperationException("The caller has no workspace.");

    /// <summary>"user:&lt;id&gt;" or "key:&lt;id&gt;", as written to the audit log.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.FindFirstValue(ActorClaim) ?? "system";

    public static bool HasScope(this ClaimsPrincipal user, string scope) => user.HasClaim(ScopeClaim, scope);

    /// <summary>The actor name of a console user.</summary>
    public static string UserActor(string userId) => UserPrefix + userId;

    /// <summary>The console user behind the caller; null for an API key.</summary>
    public static string? UserId(this ClaimsPrincipal user) =>
        user.Actor() is var actor && actor.StartsWith(UserPrefix, StringComparison.Ordinal) ? actor[UserPrefix.Length..] : null;

    private const string UserPrefix = "user:";
}
