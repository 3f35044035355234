using System.Globalization;
using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// Past reports: GET /api/v1/reports/runs[?subscription_id&amp;limit&amp;cursor] (newest first),
/// GET /api/v1/reports/runs/{id} (with its figures), GET /api/v1/reports/runs/{id}/html[?download=true] (the page) and
/// GET /api/v1/reports/runs/{id}/charts/{name}.png.
/// </summary>
public static class ReportRunsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/reports/runs", ListAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("ListReportRuns").WithSummary("Past reports, newest first");
        group.MapGet("/reports/runs/{id}", GetAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetReportRun").WithSummary("A past report with its figures and links");
        group.MapGet("/reports/runs/{id}/html", HtmlAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetReportHtml").WithSummary("A past report as a self-contained HTML page");
        group.MapGet("/reports/runs/{id}/charts/{name}.png", ChartAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetReportChart").WithSummary("A chart of a past report as PNG");
    }

    public static async Task<Results<Ok<Page<RunView>>, ValidationProblem>> ListAsync(
        [FromQuery(Name = "subscription_id")] string? subscriptionId, int? limit, string? cursor, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        if (Cursor.CheckPaging(limit, cursor, out var take, out string? after) is { } problem)
        {
            return problem;
        }
        var workspaceId = caller.WorkspaceId();
        var runs = db.ReportRuns.AsNoTracking().Where(r => r.WorkspaceId == workspaceId);
        if (!string.IsNullOrEmpty(subscriptionId))
        {
            runs = runs.Where(r => r.SubscriptionId == subscriptionId);
        }
        if (after is not null)
        {
            var parts = after.Split('|', 2);
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return Problems.Validation("cursor", "is not a cursor returned by this endpoint.");
            }
            var at = new DateTimeOffset(ticks, TimeSpan.Zero);
            var id = parts[1];
            runs = runs.Where(r => r.CreatedAt < at || (r.CreatedAt == at && r.Id.CompareTo(id) < 0));
        }
        // Leave the page and its HTML aside: a list needs only the run's state.
        var fetched = await runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(take + 1)
            .Select(r => new ReportRun
            {
                Id = r.Id, WorkspaceId = r.WorkspaceId, SubscriptionId = r.SubscriptionId, Trigger = r.Trigger, ScheduleKey = r.ScheduleKey,
                PeriodFrom = r.PeriodFrom, PeriodTo = r.PeriodTo, CreatedAt = r.CreatedAt, Status = r.Status, FinishedAt = r.FinishedAt,
                Error = r.Error, FilePath = r.FilePath, WebhookStatus = r.WebhookStatus, WebhookAttempts = r.WebhookAttempts,
                WebhookError = r.WebhookError, WebhookNextAt = r.WebhookNextAt,
            })
            .ToListAsync(ct);
        var page = Cursor.PageOf(fetched, take, r => $"{r.CreatedAt.UtcTicks}|{r.Id}");
        return TypedResults.Ok(new Page<RunView>(page.Items.Select(r => RunView.From(r)).ToList(), page.NextCursor));
    }

    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var run = await FindAsync(db, caller.WorkspaceId(), id, ct);
        return run is null ? NotFound(id) : TypedResults.Ok(RunView.From(run, withFigures: true));
    }

    public static async Task<Results<ContentHttpResult, FileContentHttpResult, ProblemHttpResult>> HtmlAsync(
        string id, bool? download, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var run = await FindAsync(db, caller.WorkspaceId(), id, ct);
        if (run?.Html is null)
        {
            return NotFound(id);
        }
        return download == true
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(run.Html), "text/html; charset=utf-8", $"report_{run.PeriodFrom}_{run.PeriodTo}_{run.Id}.html")
            : TypedResults.Content(run.Html, "text/html; charset=utf-8");
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ChartAsync(
        string id, string name, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var chart = await db.ReportCharts.AsNoTracking()
            .Where(c => c.RunId == id && c.Name == name && db.ReportRuns.Any(r => r.Id == id && r.WorkspaceId == workspaceId))
            .FirstOrDefaultAsync(ct);
        return chart is null
            ? Problems.NotFound($"No chart '{name}' in report run '{id}'; charts are {string.Join(", ", ReportCharts.Names)}.")
            : TypedResults.File(chart.Png, "image/png", $"report_{id}_{name}.png");
    }

    private static Task<ReportRun?> FindAsync(FlywheelDb db, string workspaceId, string id, CancellationToken ct) =>
        db.ReportRuns.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.Id == id, ct);

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"No report run '{id}' in this workspace.");
}
