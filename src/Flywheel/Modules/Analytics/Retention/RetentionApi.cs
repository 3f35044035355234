using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Modules.Analytics.Retention;

/// <summary>
/// GET /api/v1/analytics/retention?from&amp;to&amp;grain=month&amp;periods=6&amp;mode=calendar&amp;measure=on&amp;week_start=monday:
/// repurchase cohorts — customers by the period of their first paid order (in the workspace currency), and in each later
/// period how many of those for whom it has ended bought again, with the revenue; with basis=first_visit, visitors by
/// their first visit and whether they visited again. Definitions: docs/metrics.md.
/// </summary>
public static class RetentionApi
{
    public const int MaxPeriods = 36;

    public sealed record PeriodView(int K, int Eligible, int Retained, double? Rate, decimal? Revenue, double? RevenueRetention);

    public sealed record CohortView(DateOnly Start, int Size, IReadOnlyList<PeriodView> Periods);

    public sealed record RetentionView(
        DateOnly From, DateOnly To, string TimeZone, string Currency, string Grain, string Mode, string Measure, string WeekStart,
        string Basis, DateTimeOffset AsOf, IReadOnlyList<CohortView> Cohorts);

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/analytics/retention", HandleAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetRetention").WithSummary("Repurchase cohorts by the period of the first paid order");

    public static async Task<Results<Ok<RetentionView>, ValidationProblem>> HandleAsync(
        string? from, string? to, string? grain, string? periods, string? mode, string? measure, [FromQuery(Name = "week_start")] string? weekStart, string? basis,
        ClaimsPrincipal caller, RetentionQuery query, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var fromDate = Fields.Date(from, "from", errors);
        var toDate = Fields.Date(to, "to", errors);
        var g = Fields.Choice(grain, "grain", "month", new Dictionary<string, CohortGrain> { ["day"] = CohortGrain.Day, ["week"] = CohortGrain.Week, ["month"] = CohortGrain.Month }, errors);
        var m = Fields.Choice(mode, "mode", "calendar", new Dictionary<string, PeriodMode> { ["calendar"] = PeriodMode.Calendar, ["rolling"] = PeriodMode.Rolling }, errors);
        var r = Fields.Choice(measure, "measure", "on", new Dictionary<string, RetentionMeasure> { ["on"] = RetentionMeasure.On, ["on_or_after"] = RetentionMeasure.OnOrAfter }, errors);
        var w = Fields.Choice(weekStart, "week_start", "monday", Enum.GetValues<DayOfWeek>().ToDictionary(d => d.ToString().ToLowerInvariant(), d => d), errors);
        var b = Fields.Choice(basis, "basis", "first_order", new Dictionary<string, CohortBasis> { ["first_order"] = CohortBasis.FirstOrder, ["first_visit"] = CohortBasis.FirstVisit }, errors);
        var count = Fields.WholeNumber(periods, "periods", 6, 1, MaxPeriods, errors);
        if (fromDate > toDate)
        {
            errors.Add("from", $"{fromDate:yyyy-MM-dd} is after 'to' ({toDate:yyyy-MM-dd}).");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        return TypedResults.Ok(await query.GetAsync(caller.WorkspaceId(), fromDate, toDate, g, m, r, w, count, ct, b));
    }
}
