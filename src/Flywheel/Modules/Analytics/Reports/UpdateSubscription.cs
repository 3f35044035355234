using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// PATCH /api/v1/reports/subscriptions/{id}: changes the fields given and leaves the others; "" or null clears background,
/// goals and webhook_url; targets replace the whole set; rotate_secret: true makes a new webhook secret (shown in the
/// answer). A change of cadence, send time or enabled moves the next due time.
/// </summary>
public static class UpdateSubscription
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPatch("/reports/subscriptions/{id}", PatchAsync).RequireAuthorization(Scopes.ReportsWrite)
            .WithName("UpdateReportSubscription").WithSummary("Change a report subscription");

    public static async Task<Results<Ok<SubscriptionView>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, ReportDelivery delivery, ReportScheduler scheduler,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, SubscriptionInput.ChangeFields);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var input = SubscriptionInput.Read(document.RootElement, errors);
        return errors.Any ? Problems.Validation(errors.ToDictionary()) : await HandleAsync(id, input, caller, db, clock, delivery, scheduler, ct);
    }

    public static async Task<Results<Ok<SubscriptionView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string id, SubscriptionInput input, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, ReportDelivery delivery, ReportScheduler scheduler,
        CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var s = await SubscriptionRules.FindAsync(db, workspaceId, id, ct);
        if (s is null)
        {
            return SubscriptionRules.NotFound(id);
        }
        if (input.Name == "")
        {
            return Problems.Validation("name", "must be 1 to 200 characters.");
        }
        if (input.Name is { } name && name != s.Name && await SubscriptionRules.NameTakenAsync(db, workspaceId, name, s.Id, ct))
        {
            return SubscriptionRules.NameTaken(name);
        }
        var before = SubscriptionAuditView.From(s);
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var reschedule = (input.Cadence is { } c && c != s.Cadence)
            || (input.SendAt is { } t && t.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) != s.SendAt)
            || (input.Enabled is { } e && e != s.Enabled);
        s.Name = input.Name ?? s.Name;
        s.Cadence = input.Cadence ?? s.Cadence;
        s.SendAt = input.SendAt?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? s.SendAt;
        s.Locale = input.Locale ?? s.Locale;
        s.Background = input.Background is null ? s.Background : input.Background.Length == 0 ? null : input.Background;
        s.Goals = input.Goals is null ? s.Goals : input.Goals.Length == 0 ? null : input.Goals;
        s.Targets = input.Targets is null ? s.Targets : ReportTargets.Serialize(input.Targets);
        s.WebhookUrl = input.WebhookUrl is null ? s.WebhookUrl : input.WebhookUrl.Length == 0 ? null : input.WebhookUrl;
        s.FileDrop = input.FileDrop ?? s.FileDrop;
        s.Enabled = input.Enabled ?? s.Enabled;
        if (input.RotateSecret)
        {
            s.WebhookSecret = SubscriptionRules.NewSecret();
        }
        if (reschedule)
        {
            s.NextRunAt = SubscriptionRules.NextRunAt(s, settings.Zone, now);
        }
        s.UpdatedAt = now;
        db.Record(caller, now, input.RotateSecret ? "rotated_secret" : "updated", "report_subscription", s.Id, before, SubscriptionAuditView.From(s));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return SubscriptionRules.NameTaken(s.Name);
        }
        scheduler.Nudge();
        return TypedResults.Ok(SubscriptionView.From(s, settings.Zone.Id, delivery.Folder(workspaceId, s.Id), showSecret: input.RotateSecret));
    }
}
