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
}
