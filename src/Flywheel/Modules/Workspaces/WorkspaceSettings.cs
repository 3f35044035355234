using System.Security.Claims;
using Flywheel.Modules.Workspaces.Access;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Workspaces;

/// <summary>The current workspace's settings (currency, time zone, locale), and creating further workspaces.</summary>
public static class WorkspaceSettings
{
    public static readonly string[] Locales = ["zh-CN", "en"];

    public sealed record WorkspaceView(string Id, string Name, string Currency, string TimeZone, string Locale, DateTimeOffset CreatedAt);

    public sealed record UpdateRequest(string? Name, string? Currency, string? TimeZone, string? Locale);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/workspace", GetAsync).WithTags("Workspace").RequireAuthorization().WithSummary("The current workspace");
        api.MapPatch("/workspace", UpdateAsync).WithTags("Workspace").RequireAuthorization(Scopes.Admin).WithSummary("Change workspace settings");
        api.MapPost("/workspaces", CreateAsync).WithTags("Workspace").RequireAuthorization().WithSummary("Create a workspace owned by the signed-in user");
    }

    public static async Task<Results<Ok<WorkspaceView>, ProblemHttpResult>> GetAsync(ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var ws = caller.WorkspaceId();
        var w = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(x => x.Id == ws, ct);
        return w is null ? Problems.NotFound("The workspace no longer exists.") : TypedResults.Ok(View(w));
    }

    public static async Task<Results<Ok<WorkspaceView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        UpdateRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var ws = caller.WorkspaceId();
        var w = await db.Workspaces.FirstOrDefaultAsync(x => x.Id == ws, ct);
        if (w is null)
        {
            return Problems.NotFound("The workspace no longer exists.");
        }
        var errors = Validate(request, creating: false);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var before = View(w);
        Apply(w, request);
        db.Record(caller, clock.GetUtcNow(), "updated", "workspace", w.Id, before, View(w));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(w));
    }

    public static async Task<Results<Created<WorkspaceView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        UpdateRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var (user, _) = await Sessions.CurrentUserAsync(caller, db, ct);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.",
                detail: "Workspaces are created by signed-in console users, who become their owners.");
        }
        var errors = Validate(request, creating: true);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var now = clock.GetUtcNow();
        var w = new Workspace { Id = Ids.New("ws"), Name = request.Name!.Trim(), CreatedAt = now };
        Apply(w, request);
        db.Workspaces.Add(w);
        db.Memberships.Add(new Membership { WorkspaceId = w.Id, UserId = user.Id, Role = Role.Owner });
        db.Record(w.Id, caller.Actor(), now, "created", "workspace", w.Id, after: View(w));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created("/api/v1/workspace", View(w));
    }

    private static FieldErrors Validate(UpdateRequest r, bool creating)
    {
        var errors = new FieldErrors();
        if ((creating || r.Name is not null) && string.IsNullOrWhiteSpace(r.Name))
        {
            errors.Add("name", "is required.");
        }
        if (r.Currency is not null && (r.Currency.Length != 3 || !r.Currency.All(char.IsAsciiLetterUpper)))
        {
            errors.Add("currency", "must be an ISO 4217 code in capitals, such as CNY.");
        }
        if (r.TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(r.TimeZone, out _))
        {
            errors.Add("time_zone", $"'{r.TimeZone}' is not an IANA time zone such as Asia/Shanghai.");
        }
        if (r.Locale is not null && !Locales.Contains(r.Locale, StringComparer.Ordinal))
        {
            errors.Add("locale", $"must be one of {string.Join(", ", Locales)}.");
        }
        return errors;
    }

    private static void Apply(Workspace w, UpdateRequest r)
    {
        if (r.Name is not null)
        {
            w.Name = r.Name.Trim();
        }
        w.Currency = r.Currency ?? w.Currency;
        w.TimeZone = r.TimeZone ?? w.TimeZone;
        w.Locale = r.Locale ?? w.Locale;
    }

    private static WorkspaceView View(Workspace w) =>
        new(w.Id, w.Name, w.Currency, w.TimeZone, w.Locale, w.CreatedAt);

}
