using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Modules.Analytics.Insights;

/// <summary>
/// GET /api/v1/analytics/insights/anomalies?from&amp;to: each day's main KPIs against the same weekday of the previous
/// weeks, with festivals taken into account, and the alarms. GET /api/v1/analytics/insights/explain?metric=gmv&amp;from&amp;to
/// [&amp;compare_from&amp;compare_to]: a change between two periods split into factors and dimension values, with the drill path.
/// </summary>
public static class InsightsApi
{
    /// <summary>Days checked by default: four weeks ending yesterday.</summary>
    public const int DefaultAnomalyDays = 28;
    /// <summary>Days explained by default: the week ending yesterday, against the week before.</summary>
    public const int DefaultExplainDays = 7;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/analytics/insights/anomalies", AnomaliesAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetInsightAnomalies").WithSummary("Anomalies of the main KPIs, day by day, against a same-weekday baseline with a festival calendar");
        group.MapGet("/analytics/insights/explain", ExplainAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("ExplainKpiChange").WithSummary("A KPI's change between two periods split into factors and dimension values, with a drill path");
    }

    public static async Task<Results<Ok<InsightsViews.AnomaliesView>, ValidationProblem>> AnomaliesAsync(
        string? from, string? to, ClaimsPrincipal caller, FlywheelDb db, InsightsQuery insights, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var fromDate = Fields.Date(from, "from", errors);
        var toDate = Fields.Date(to, "to", errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var (start, end) = ReportRange.Resolve(fromDate, toDate, insights.Today(settings.Zone), DefaultAnomalyDays);
        CheckRange(start, end, InsightsQuery.MaxAnomalyDays, "from", "to", errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        return TypedResults.Ok(InsightsViews.View(await insights.AnomaliesAsync(workspaceId, start, end, ct)));
    }

    public static async Task<Results<Ok<InsightsViews.ExplainView>, ValidationProblem>> ExplainAsync(
        string? metric, string? from, string? to, [FromQuery(Name = "compare_from")] string? compareFrom,
        [FromQuery(Name = "compare_to")] string? compareTo, ClaimsPrincipal caller, FlywheelDb db, InsightsQuery insights, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var explained = ExplainedMetric.Gmv;
        switch (metric)
        {
            case null or "" or "gmv":
                break;
            case "paid_orders":
                explained = ExplainedMetric.PaidOrders;
                break;
            default:
                errors.Add("metric", $"'{metric}' is not one of gmv, paid_orders.");
                break;
        }
        var fromDate = Fields.Date(from, "from", errors);
        var toDate = Fields.Date(to, "to", errors);
        var compareFromDate = Fields.Date(compareFrom, "compare_from", errors);
        var compareToDate = Fields.Date(compareTo, "compare_to", errors);
        if (compareFromDate.HasValue != compareToDate.HasValue && !errors.Has("compare_from") && !errors.Has("compare_to"))
        {
            errors.Add(compareFromDate.HasValue ? "compare_to" : "compare_from", "give both compare_from and compare_to, or neither (the previous period).");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var (start, end) = ReportRange.Resolve(fromDate, toDate, insights.Today(settings.Zone), DefaultExplainDays);
        CheckRange(start, end, InsightsQuery.MaxExplainDays, "from", "to", errors);
        var days = end.DayNumber - start.DayNumber + 1;
        var (compareStart, compareEnd) = compareFromDate is { } cf && compareToDate is { } ct2 ? (cf, ct2) : (start.AddDays(-days), start.AddDays(-1));
        CheckRange(compareStart, compareEnd, InsightsQuery.MaxExplainDays, "compare_from", "compare_to", errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        return TypedResults.Ok(InsightsViews.View(await insights.ExplainAsync(workspaceId, explained, start, end, compareStart, compareEnd, ct)));
    }

    private static readonly DateOnly Earliest = new(1970, 3, 1);
    private static readonly DateOnly Latest = new(9000, 12, 31);

    /// <summary>A range of local dates: inside the stores' years, from ≤ to, at most <paramref name="maxDays"/> days.</summary>
    public static void CheckRange(DateOnly from, DateOnly to, int maxDays, string fromField, string toField, FieldErrors errors)
    {
        // The anomaly baseline reaches 8 weeks before 'from'; the earliest date leaves room for it.
        if (from < Earliest || from > Latest)
        {
            errors.Add(fromField, $"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
        }
        if (to < Earliest || to > Latest)
        {
            errors.Add(toField, $"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
        }
        if (from > to)
        {
            errors.Add(fromField, $"{from:yyyy-MM-dd} is after {toField} ({to:yyyy-MM-dd}).");
        }
        else if (to.DayNumber - from.DayNumber + 1 > maxDays)
        {
            errors.Add(toField, $"the range has {to.DayNumber - from.DayNumber + 1} days; at most {maxDays} are allowed.");
        }
    }
}
