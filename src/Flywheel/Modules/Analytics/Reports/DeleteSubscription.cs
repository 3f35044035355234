using System.Security.Claims;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>DELETE /api/v1/reports/subscriptions/{id}: ends the subscription and deletes its past reports with it.</summary>
public static class DeleteSubscription
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapDelete("/reports/subscriptions/{id}", HandleAsync).RequireAuthorization(Scopes.ReportsWrite)
            .WithName("DeleteReportSubscription").WithSummary("Delete a report subscription and its past reports");

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        string id, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var s = await SubscriptionRules.FindAsync(db, workspaceId, id, ct);
        if (s is null)
        {
            return SubscriptionRules.NotFound(id);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var runs = db.ReportRuns.Where(r => r.WorkspaceId == workspaceId && r.SubscriptionId == id);
        await db.ReportCharts.Where(c => runs.Select(r => r.Id).Contains(c.RunId)).ExecuteDeleteAsync(ct);
        await runs.ExecuteDeleteAsync(ct);
        db.ReportSubscriptions.Remove(s);
        db.Record(caller, clock.GetUtcNow(), "deleted", "report_subscription", s.Id, before: SubscriptionAuditView.From(s));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
