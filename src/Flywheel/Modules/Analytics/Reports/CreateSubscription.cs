using System.Security.Claims;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// POST /api/v1/reports/subscriptions {name, cadence, send_at, locale, background, goals, targets, webhook_url, file_drop,
/// enabled}: subscribes the workspace to a weekly, monthly or quarterly report. The answer carries the webhook secret,
/// shown only here and when rotated.
/// </summary>
public static class CreateSubscription
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/reports/subscriptions", PostAsync).RequireAuthorization(Scopes.ReportsWrite).WithIdempotency()
            .WithName("CreateReportSubscription").WithSummary("Subscribe to a weekly, monthly or quarterly report");

    public static async Task<Results<Created<SubscriptionView>, ValidationProblem, ProblemHttpResult>> PostAsync(
        HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, ReportDelivery delivery, ReportScheduler scheduler, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, SubscriptionInput.CreateFields);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var input = SubscriptionInput.Read(document.RootElement, errors);
        return errors.Any ? Problems.Validation(errors.ToDictionary()) : await HandleAsync(input, caller, db, clock, delivery, scheduler, ct);
    }

    public static async Task<Results<Created<SubscriptionView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        SubscriptionInput input, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, ReportDelivery delivery, ReportScheduler scheduler, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(input.Name))
        {
            errors.Add("name", "is required.");
        }
        if (input.Cadence is null)
        {
            errors.Add("cadence", $"is required: one of {string.Join(", ", ReportCadences.All)}.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        if (await SubscriptionRules.NameTakenAsync(db, workspaceId, input.Name!, null, ct))
        {
            return SubscriptionRules.NameTaken(input.Name!);
        }
        var workspace = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == workspaceId, ct);
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var s = new ReportSubscription
        {
            Id = Ids.New("rsub"),
            WorkspaceId = workspaceId,
            Name = input.Name!,
            Cadence = input.Cadence!,
            SendAt = (input.SendAt ?? TimeOnly.ParseExact(SubscriptionRules.DefaultSendAt, "HH:mm", System.Globalization.CultureInfo.InvariantCulture))
                .ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            Locale = input.Locale ?? (ReportText.Locales.Contains(workspace.Locale) ? workspace.Locale : "en"),
            Background = string.IsNullOrEmpty(input.Background) ? null : input.Background,
            Goals = string.IsNullOrEmpty(input.Goals) ? null : input.Goals,
            Targets = ReportTargets.Serialize(input.Targets ?? []),
            WebhookUrl = string.IsNullOrEmpty(input.WebhookUrl) ? null : input.WebhookUrl,
            WebhookSecret = SubscriptionRules.NewSecret(),
            FileDrop = input.FileDrop ?? true,
            Enabled = input.Enabled ?? true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        s.NextRunAt = SubscriptionRules.NextRunAt(s, settings.Zone, now);
        db.ReportSubscriptions.Add(s);
        db.Record(caller, now, "created", "report_subscription", s.Id, after: SubscriptionAuditView.From(s));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique index on (workspace, name): created meanwhile by another request.
            db.ChangeTracker.Clear();
            return SubscriptionRules.NameTaken(s.Name);
        }
        scheduler.Nudge();
        return TypedResults.Created($"/api/v1/reports/subscriptions/{s.Id}",
            SubscriptionView.From(s, settings.Zone.Id, delivery.Folder(workspaceId, s.Id), showSecret: true));
    }
}
