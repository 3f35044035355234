using System.Security.Claims;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// POST /api/v1/reports/subscriptions/{id}/run: makes the subscription's report now, for its last whole period before
/// today (the previous week, month or quarter, local dates), and delivers it like a scheduled one: the file drop at
/// once, the webhook queued. Answers the run, done or failed.
/// </summary>
public static class RunReportNow
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/reports/subscriptions/{id}/run", HandleAsync).RequireAuthorization(Scopes.ReportsWrite).WithIdempotency()
            .WithName("RunReportNow").WithSummary("Make a subscription's report now, for its last whole period");

    public static async Task<Results<Created<RunView>, ProblemHttpResult>> HandleAsync(
        string id, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, ReportRunner runner, ReportScheduler scheduler, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var s = await SubscriptionRules.FindAsync(db, workspaceId, id, ct);
        if (s is null)
        {
            return SubscriptionRules.NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var (from, to) = ReportSchedule.PeriodBefore(s.Cadence, LocalDays.DateOf(now, settings.Zone));
        var run = ReportRunner.NewRun(s, ReportRunTriggers.Manual, from, to, now, scheduleKey: null);
        db.ReportRuns.Add(run);
        db.Record(caller, now, "ran", "report_subscription", s.Id, after: new { run_id = run.Id, period_from = run.PeriodFrom, period_to = run.PeriodTo });
        await db.SaveChangesAsync(ct);
        await runner.MakeAsync(run.Id, ct);
        scheduler.Nudge();
        await db.Entry(run).ReloadAsync(ct);
        return TypedResults.Created(ReportLinks.Run(run.Id), RunView.From(run));
    }
}
