using System.Globalization;
using System.Security.Claims;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Retention;

/// <summary>
/// GET /api/v1/analytics/retention?from&amp;to&amp;grain=month&amp;periods=6&amp;mode=calendar&amp;measure=on&amp;week_start=monday:
/// repurchase cohorts — customers by the period of their first paid order (in the workspace currency), and in each later
/// period how many of those for whom it has ended bought again, with the revenue. Definitions: docs/metrics.md.
/// </summary>
public static class RetentionApi
{
    public const int MaxPeriods = 36;

    public sealed record PeriodView(int K, int Eligible, int Retained, double? Rate, decimal Revenue, double? RevenueRetention);

    public sealed record CohortView(DateOnly Start, int Size, IReadOnlyList<PeriodView> Periods);

    public sealed record RetentionView(
        DateOnly From, DateOnly To, string TimeZone, string Currency, string Grain, string Mode, string Measure, string WeekStart,
        DateTimeOffset AsOf, IReadOnlyList<CohortView> Cohorts);

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/analytics/retention", HandleAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetRetention").WithSummary("Repurchase cohorts by the period of the first paid order");

    public static async Task<Results<Ok<RetentionView>, ValidationProblem>> HandleAsync(
        string? from, string? to, string? grain, string? periods, string? mode, string? measure, [FromQuery(Name = "week_start")] string? weekStart,
        ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var fromDate = Fields.Date(from, "from", errors);
        var toDate = Fields.Date(to, "to", errors);
        var g = Choice(grain, "grain", "month", new Dictionary<string, CohortGrain> { ["day"] = CohortGrain.Day, ["week"] = CohortGrain.Week, ["month"] = CohortGrain.Month }, errors);
        var m = Choice(mode, "mode", "calendar", new Dictionary<string, PeriodMode> { ["calendar"] = PeriodMode.Calendar, ["rolling"] = PeriodMode.Rolling }, errors);
        var r = Choice(measure, "measure", "on", new Dictionary<string, RetentionMeasure> { ["on"] = RetentionMeasure.On, ["on_or_after"] = RetentionMeasure.OnOrAfter }, errors);
        var w = Choice(weekStart, "week_start", "monday", Enum.GetValues<DayOfWeek>().ToDictionary(d => d.ToString().ToLowerInvariant(), d => d), errors);
        var count = 6;
        if (!string.IsNullOrEmpty(periods) && (!int.TryParse(periods, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxPeriods))
        {
            errors.Add("periods", $"'{periods}' is not a whole number from 1 to {MaxPeriods}.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var nowLocal = TimeZoneInfo.ConvertTime(now, settings.Zone).DateTime;
        var today = DateOnly.FromDateTime(nowLocal);
        var end = toDate ?? today;
        // Without from: as many cohorts as periods are asked for, the last being the one holding 'to'.
        var last = CohortEngine.PeriodStart(end, g, w);
        var start = fromDate ?? g switch
        {
            CohortGrain.Day => last.AddDays(-(count - 1)),
            CohortGrain.Week => last.AddDays(-7 * (count - 1)),
            _ => last.AddMonths(-(count - 1)),
        };
        if (start > end)
        {
            errors.Add("from", $"{start:yyyy-MM-dd} is after 'to' ({end:yyyy-MM-dd}).");
            return Problems.Validation(errors.ToDictionary());
        }

        // Every paid order of the workspace's customers: a first order before the range puts a customer in an earlier cohort.
        var activity = new Dictionary<string, List<(DateTime Local, long AmountMinor)>>(StringComparer.Ordinal);
        var orders = OrderQueries.PaidBetween(db, workspaceId, DateTimeOffset.UnixEpoch, now)
            .Where(o => o.CustomerId != null && o.Currency == settings.Currency)
            .Select(o => new { o.CustomerId, o.PaidAt, o.TotalMinor })
            .AsNoTracking().AsAsyncEnumerable();
        await foreach (var o in orders.WithCancellation(ct))
        {
            if (!activity.TryGetValue(o.CustomerId!, out var list))
            {
                activity[o.CustomerId!] = list = [];
            }
            list.Add((TimeZoneInfo.ConvertTime(o.PaidAt, settings.Zone).DateTime, o.TotalMinor));
        }
        var members = activity.Values.Select(a => new CohortMember([.. a.OrderBy(x => x.Local)]));
        var cohorts = CohortEngine.Build(members, start, end, g, m, r, count, w, nowLocal);
        decimal Major(long minor) => Money.ToMajor(minor, settings.Currency);
        return TypedResults.Ok(new RetentionView(start, end, settings.Zone.Id, settings.Currency, Name(g), Name(m), measure ?? "on",
            w.ToString().ToLowerInvariant(), now, [.. cohorts.Select(c => new CohortView(c.Start, c.Size, [.. c.Periods.Select(p =>
                new PeriodView(p.K, p.Eligible, p.Retained, p.Rate is { } rate ? Math.Round(rate, 4) : null, Major(p.RevenueMinor),
                    p.StartRevenueMinor == 0 ? null : Math.Round((double)p.RevenueMinor / p.StartRevenueMinor, 4)))]))]));
    }

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static T Choice<T>(string? text, string field, string fallback, Dictionary<string, T> choices, FieldErrors errors) where T : struct
    {
        if (choices.TryGetValue(string.IsNullOrEmpty(text) ? fallback : text, out var value))
        {
            return value;
        }
        errors.Add(field, $"'{text}' is not one of {string.Join(", ", choices.Keys)}.");
        return choices[fallback];
    }
}
