using System.Globalization;
using System.Security.Claims;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Modules.Analytics.Overview;

/// <summary>
/// GET /api/v1/analytics/overview?from=2026-11-01&amp;to=2026-11-07&amp;repurchase_window=30: the overview KPIs of the
/// local dates [from, to] of the workspace time zone against the previous period, and a daily series. Without dates:
/// the 30 local days ending yesterday (whole days only, so that the comparison is like for like); to alone means the
/// 30 days ending then; from alone runs to yesterday, or just that day when it is today or later.
/// </summary>
public static class GetOverview
{
    public sealed record OverviewView(
        DateOnly From,
        DateOnly To,
        DateOnly PreviousFrom,
        DateOnly PreviousTo,
        string TimeZone,
        string Currency,
        DateTimeOffset AsOf,
        Kpi<decimal> Gmv,
        Kpi<long> PaidOrders,
        Kpi<decimal?> Aov,
        Kpi<long> Uv,
        Kpi<long> NewCustomers,
        Kpi<long> PayingCustomers,
        RepurchaseView RepurchaseRate,
        long OrdersInOtherCurrencies,
        IReadOnlyList<DayView> Daily);

    public sealed record RepurchaseView(
        decimal? Current, decimal? Previous, decimal? Change, int WindowDays, RepurchaseCohort CurrentCohort, RepurchaseCohort PreviousCohort);

    public sealed record DayView(DateOnly Date, decimal Gmv, long PaidOrders, long Uv, long NewCustomers);

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/analytics/overview", HandleAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetOverview").WithSummary("Overview KPIs of a date range against the previous period, with a daily series");

    public static async Task<Results<Ok<OverviewView>, ValidationProblem>> HandleAsync(
        string? from, string? to, [FromQuery(Name = "repurchase_window")] string? repurchaseWindow,
        ClaimsPrincipal caller, FlywheelDb db, OverviewQuery overview, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var fromDate = Fields.Date(from, "from", errors);
        var toDate = Fields.Date(to, "to", errors);
        var window = OverviewQuery.DefaultRepurchaseWindowDays;
        if (!string.IsNullOrEmpty(repurchaseWindow) && !int.TryParse(repurchaseWindow, NumberStyles.None, CultureInfo.InvariantCulture, out window))
        {
            errors.Add("repurchase_window", $"'{repurchaseWindow}' is not one of {string.Join(", ", OverviewQuery.RepurchaseWindows)} (days).");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var (start, end) = ReportRange.Resolve(fromDate, toDate, overview.Today(settings.Zone), OverviewQuery.DefaultDays);
        OverviewQuery.Validate(start, end, window, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        return TypedResults.Ok(View(await overview.GetAsync(workspaceId, start, end, window, ct)));
    }

    public static OverviewView View(OverviewResult r)
    {
        decimal Major(long minor) => Money.ToMajor(minor, r.Currency);
        return new OverviewView(
            r.From, r.To, r.PreviousFrom, r.PreviousTo, r.TimeZone, r.Currency, r.AsOf,
            new Kpi<decimal>(Major(r.GmvMinor.Current), Major(r.GmvMinor.Previous), r.GmvMinor.Change),
            r.PaidOrders,
            new Kpi<decimal?>(
                r.AovMinor.Current is { } c ? Major(c) : null, r.AovMinor.Previous is { } p ? Major(p) : null, r.AovMinor.Change),
            r.Uv,
            r.NewCustomers,
            r.PayingCustomers,
            new RepurchaseView(r.RepurchaseRate.Current, r.RepurchaseRate.Previous, r.RepurchaseRate.Change, r.RepurchaseWindowDays,
                r.Repurchase, r.PreviousRepurchase),
            r.OrdersInOtherCurrencies,
            r.Daily.Select(d => new DayView(d.Date, Major(d.GmvMinor), d.PaidOrders, d.Uv, d.NewCustomers)).ToList());
    }
}
