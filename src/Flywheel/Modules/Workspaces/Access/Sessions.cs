using System.Security.Claims;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Workspaces.Access;

/// <summary>Console sign-in with email and password (ASP.NET Core Identity's PBKDF2 hash), sign-out, who am I, workspace switch.</summary>
public static class Sessions
{
    public sealed record LoginRequest(string? Email, string? Password, string? WorkspaceId);

    public sealed record SwitchRequest(string? WorkspaceId);

    public sealed record WorkspaceSummary(string Id, string Name, string Role);

    public sealed record SessionView(string UserId, string Email, string DisplayName, string WorkspaceId, string Role,
        IReadOnlyList<string> Scopes, IReadOnlyList<WorkspaceSummary> Workspaces);

    public static void Map(RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Access");
        auth.MapPost("/login", LoginAsync).AllowAnonymous().WithSummary("Sign in to the console");
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization().WithSummary("Sign out");
        auth.MapGet("/me", SessionAsync).RequireAuthorization().WithSummary("The signed-in user and their workspaces");
        auth.MapPost("/switch", SwitchAsync).RequireAuthorization().WithSummary("Switch the console to another workspace");
    }

    public static async Task<Results<Ok<SessionView>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext http, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            errors.Add("email", "is required.");
        }
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", "is required.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var email = request.Email!.Trim().ToLowerInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, ct);
        var hasher = new PasswordHasher<User>();
        // The same answer for an unknown email and a wrong password: the API must not reveal who has an account.
        var verdict = user is null ? PasswordVerificationResult.Failed : hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password!);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            return Unauthorized();
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, request.Password!);
        }
        var memberships = await db.Memberships.Where(m => m.UserId == user.Id).ToListAsync(ct);
        var membership = request.WorkspaceId is null
            ? memberships.OrderBy(m => m.Role).ThenBy(m => m.WorkspaceId, StringComparer.Ordinal).FirstOrDefault()
            : memberships.FirstOrDefault(m => m.WorkspaceId == request.WorkspaceId);
        if (membership is null)
        {
            return request.WorkspaceId is null
                ? Unauthorized()
                : Problems.Validation("workspace_id", "you are not a member of this workspace.");
        }
        db.Record(membership.WorkspaceId, Caller.UserActor(user.Id), clock.GetUtcNow(), "login", "user", user.Id);
        await db.SaveChangesAsync(ct);
        await SignInAsync(http, user, membership);
        return TypedResults.Ok(await DescribeAsync(db, user, membership, ct));
    }

    public static async Task<NoContent> LogoutAsync(HttpContext http, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        if (caller.UserId() is { } userId)
        {
            db.Record(caller, clock.GetUtcNow(), "logout", "user", userId);
            await db.SaveChangesAsync(ct);
        }
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<SessionView>, ProblemHttpResult>> SessionAsync(ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var (user, membership) = await CurrentUserAsync(caller, db, ct);
        if (user is null || membership is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.",
                detail: "Only a signed-in console user has a profile; API keys do not.");
        }
        return TypedResults.Ok(await DescribeAsync(db, user, membership, ct));
    }

    public static async Task<Results<Ok<SessionView>, ValidationProblem, ProblemHttpResult>> SwitchAsync(
        SwitchRequest request, ClaimsPrincipal caller, HttpContext http, FlywheelDb db, CancellationToken ct)
    {
        var (user, _) = await CurrentUserAsync(caller, db, ct);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", detail: "Only console users switch workspaces.");
        }
        if (string.IsNullOrEmpty(request.WorkspaceId))
        {
            return Problems.Validation("workspace_id", "is required.");
        }
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.UserId == user.Id && m.WorkspaceId == request.WorkspaceId, ct);
        if (membership is null)
        {
            return Problems.Validation("workspace_id", "you are not a member of this workspace.");
        }
        await SignInAsync(http, user, membership);
        return TypedResults.Ok(await DescribeAsync(db, user, membership, ct));
    }

    /// <summary>The user and membership behind a cookie principal; nulls for API keys.</summary>
    public static async Task<(User? User, Membership? Membership)> CurrentUserAsync(ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        if (caller.UserId() is not { } userId)
        {
            return (null, null);
        }
        var workspaceId = caller.WorkspaceId();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.UserId == userId && m.WorkspaceId == workspaceId, ct);
        return (user, membership);
    }

    public static ClaimsPrincipal PrincipalFor(string userId, string workspaceId, Role role)
    {
        var claims = new List<Claim>
        {
            new(Caller.WorkspaceClaim, workspaceId),
            new(Caller.ActorClaim, Caller.UserActor(userId)),
            new(Caller.RoleClaim, role.ToString()),
        };
        claims.AddRange(Scopes.ForRole(role).Select(s => new Claim(Caller.ScopeClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>
    /// Re-reads the membership behind a session cookie on every request, so a changed role or a removed member takes
    /// effect at once rather than when the cookie expires.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal is null)
        {
            context.RejectPrincipal();
            return;
        }
        var db = context.HttpContext.RequestServices.GetRequiredService<FlywheelDb>();
        var userId = principal.UserId()!;
        var workspaceId = principal.WorkspaceId();
        var membership = await db.Memberships.AsNoTracking()
            .FirstOrDefaultAsync(m => m.UserId == userId && m.WorkspaceId == workspaceId, context.HttpContext.RequestAborted);
        if (membership is null)
        {
            context.RejectPrincipal();
            return;
        }
        if (principal.FindFirstValue(Caller.RoleClaim) != membership.Role.ToString())
        {
            context.ReplacePrincipal(PrincipalFor(userId, workspaceId, membership.Role));
            context.ShouldRenew = true;
        }
    }

    private static Task SignInAsync(HttpContext http, User user, Membership membership) =>
        http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PrincipalFor(user.Id, membership.WorkspaceId, membership.Role));

    private static async Task<SessionView> DescribeAsync(FlywheelDb db, User user, Membership membership, CancellationToken ct)
    {
        var workspaces = await (
            from m in db.Memberships
            join w in db.Workspaces on m.WorkspaceId equals w.Id
            where m.UserId == user.Id
            orderby w.Name
            select new { w.Id, w.Name, m.Role }).ToListAsync(ct);
        return new SessionView(user.Id, user.Email, user.DisplayName, membership.WorkspaceId, Roles.Name(membership.Role),
            Scopes.ForRole(membership.Role), workspaces.Select(w => new WorkspaceSummary(w.Id, w.Name, Roles.Name(w.Role))).ToList());
    }

    private static ProblemHttpResult Unauthorized() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed.", detail: "The email or password is not correct.");
}
