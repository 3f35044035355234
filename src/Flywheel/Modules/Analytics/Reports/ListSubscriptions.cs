using System.Security.Claims;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>GET /api/v1/reports/subscriptions and /api/v1/reports/subscriptions/{id}: the workspace's report subscriptions.</summary>
public static class ListSubscriptions
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/reports/subscriptions", ListAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("ListReportSubscriptions").WithSummary("The workspace's report subscriptions, by name");
        group.MapGet("/reports/subscriptions/{id}", GetAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetReportSubscription").WithSummary("One report subscription");
    }

    public static async Task<Ok<IReadOnlyList<SubscriptionView>>> ListAsync(ClaimsPrincipal caller, FlywheelDb db, ReportDelivery delivery, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var zone = await SubscriptionLookups.TimeZoneAsync(db, workspaceId, ct);
        var list = await db.ReportSubscriptions.AsNoTracking().Where(s => s.WorkspaceId == workspaceId).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<SubscriptionView>>(list.OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => SubscriptionView.From(s, zone, delivery.Folder(workspaceId, s.Id))).ToList());
    }

    public static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal caller, FlywheelDb db, ReportDelivery delivery, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var s = await SubscriptionRules.FindAsync(db, workspaceId, id, ct);
        return s is null
            ? SubscriptionRules.NotFound(id)
            : TypedResults.Ok(SubscriptionView.From(s, await SubscriptionLookups.TimeZoneAsync(db, workspaceId, ct), delivery.Folder(workspaceId, s.Id)));
    }
}
