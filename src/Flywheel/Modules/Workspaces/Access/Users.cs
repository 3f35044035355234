using System.Net.Mail;
using System.Security.Claims;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Workspaces.Access;

/// <summary>The console users of a workspace and their roles. Only an owner can make or unmake owners; a workspace always keeps one.</summary>
public static class Users
{
    public const int MinPasswordLength = 10;

    public sealed record UserView(string Id, string Email, string DisplayName, string Role, DateTimeOffset CreatedAt);

    public sealed record AddUserRequest(string? Email, string? Password, string? DisplayName, string? Role);

    public sealed record UpdateUserRequest(string? DisplayName, string? Role);

    public static void Map(RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Access").RequireAuthorization(Scopes.Admin);
        users.MapGet("/", ListAsync).WithSummary("Members of the workspace");
        users.MapPost("/", AddAsync).WithSummary("Add a console user to the workspace (creating the account if new)");
        users.MapPatch("/{id}", UpdateAsync).WithSummary("Change a member's role or name");
        users.MapDelete("/{id}", RemoveAsync).WithSummary("Remove a member from the workspace");
    }

    public static async Task<Ok<List<UserView>>> ListAsync(ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var ws = caller.WorkspaceId();
        var rows = await (
            from m in db.Memberships
            join u in db.Users on m.UserId equals u.Id
            where m.WorkspaceId == ws
            orderby u.Email
            select new { u.Id, u.Email, u.DisplayName, m.Role, u.CreatedAt }).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => new UserView(r.Id, r.Email, r.DisplayName, Roles.Name(r.Role), r.CreatedAt)).ToList());
    }

    public static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> AddAsync(
        AddUserRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var email = request.Email?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email) || !MailAddress.TryCreate(email, out _))
        {
            errors.Add("email", "must be an email address.");
        }
        if (!Roles.TryParse(request.Role, out var role))
        {
            errors.Add("role", $"must be {Roles.Expected}.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (role == Role.Owner && !IsOwner(caller))
        {
            return Forbidden("Only an owner can add an owner.");
        }
        var ws = caller.WorkspaceId();
        var now = clock.GetUtcNow();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, ct);
        if (user is null)
        {
            if (request.Password is null || request.Password.Length < MinPasswordLength)
            {
                return Problems.Validation("password", $"is required for a new account and must have at least {MinPasswordLength} characters.");
            }
            user = new User { Id = Ids.New("usr"), Email = email!, DisplayName = request.DisplayName?.Trim() ?? "", PasswordHash = "", CreatedAt = now };
            user.PasswordHash = new PasswordHasher<User>().HashPassword(user, request.Password);
            db.Users.Add(user);
        }
        else if (await db.Memberships.AnyAsync(m => m.UserId == user.Id && m.WorkspaceId == ws, ct))
        {
            return Problems.Conflict($"{email} is already a member of this workspace.");
        }
        db.Memberships.Add(new Membership { WorkspaceId = ws, UserId = user.Id, Role = role });
        var view = new UserView(user.Id, user.Email, user.DisplayName, Roles.Name(role), user.CreatedAt);
        db.Record(caller, now, "created", "membership", user.Id, after: new { user.Email, role = view.Role });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/users/{user.Id}", view);
    }

    public static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, UpdateUserRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var ws = caller.WorkspaceId();
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.WorkspaceId == ws && m.UserId == id, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (membership is null || user is null)
        {
            return Problems.NotFound($"No member '{id}' in this workspace.");
        }
        var before = new { role = Roles.Name(membership.Role), user.DisplayName };
        if (request.Role is not null)
        {
            if (!Roles.TryParse(request.Role, out var role))
            {
                return Problems.Validation("role", $"must be {Roles.Expected}.");
            }
            if ((role == Role.Owner || membership.Role == Role.Owner) && role != membership.Role)
            {
                if (!IsOwner(caller))
                {
                    return Forbidden("Only an owner can make or unmake an owner.");
                }
                if (membership.Role == Role.Owner && await db.Memberships.CountAsync(m => m.WorkspaceId == ws && m.Role == Role.Owner, ct) == 1)
                {
                    return Problems.Conflict("A workspace must keep at least one owner.");
                }
            }
            membership.Role = role;
        }
        if (request.DisplayName is not null)
        {
            user.DisplayName = request.DisplayName.Trim();
        }
        db.Record(caller, clock.GetUtcNow(), "updated", "membership", id, before, new { role = Roles.Name(membership.Role), user.DisplayName });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new UserView(user.Id, user.Email, user.DisplayName, Roles.Name(membership.Role), user.CreatedAt));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        string id, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var ws = caller.WorkspaceId();
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.WorkspaceId == ws && m.UserId == id, ct);
        if (membership is null)
        {
            return Problems.NotFound($"No member '{id}' in this workspace.");
        }
        if (membership.Role == Role.Owner)
        {
            if (!IsOwner(caller))
            {
                return Forbidden("Only an owner can remove an owner.");
            }
            if (await db.Memberships.CountAsync(m => m.WorkspaceId == ws && m.Role == Role.Owner, ct) == 1)
            {
                return Problems.Conflict("A workspace must keep at least one owner.");
            }
        }
        db.Memberships.Remove(membership);
        db.Record(caller, clock.GetUtcNow(), "deleted", "membership", id, before: new { role = Roles.Name(membership.Role) });
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Secret keys with the admin scope act for the workspace's owner (they are how scripts administer it).</summary>
    private static bool IsOwner(ClaimsPrincipal caller) =>
        caller.FindFirstValue(Caller.RoleClaim) is null or nameof(Role.Owner);

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", detail: detail);
}
