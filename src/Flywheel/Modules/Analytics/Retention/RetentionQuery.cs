using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Analytics.Retention;

/// <summary>Repurchase cohorts from the stored orders, for the API and the console alike.</summary>
public sealed class RetentionQuery(StateStore state, IEventStore events, IngestPipeline pipeline, TimeProvider clock)
{
    public async Task<RetentionApi.RetentionView> GetAsync(
        string workspaceId, DateOnly? from, DateOnly? to, CohortGrain grain, PeriodMode mode, RetentionMeasure measure, DayOfWeek weekStart,
        int periods, CancellationToken ct, CohortBasis basis = CohortBasis.FirstOrder)
    {
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var nowLocal = TimeZoneInfo.ConvertTime(now, settings.Zone).DateTime;
        var end = to ?? DateOnly.FromDateTime(nowLocal);
        // Without from: as many cohorts as periods are asked for, the last being the one holding 'to'.
        var last = CohortEngine.PeriodStart(end, grain, weekStart);
        var start = from ?? grain switch
        {
            CohortGrain.Day => last.AddDays(-(periods - 1)),
            CohortGrain.Week => last.AddDays(-7 * (periods - 1)),
            _ => last.AddMonths(-(periods - 1)),
        };

        var cohorts = basis == CohortBasis.FirstVisit
            ? await VisitCohortsAsync(workspaceId, settings.Zone, start, end, grain, mode, measure, weekStart, periods, now, ct)
            : await OrderCohortsAsync(db, workspaceId, settings, start, end, grain, mode, measure, weekStart, periods, now, nowLocal, ct);
        decimal Major(long minor) => Money.ToMajor(minor, settings.Currency);
        return new RetentionApi.RetentionView(start, end, settings.Zone.Id, settings.Currency, Name(grain), Name(mode),
            measure == RetentionMeasure.On ? "on" : "on_or_after", Name(weekStart), basis == CohortBasis.FirstVisit ? "first_visit" : "first_order",
            now, [.. cohorts.Select(c => new RetentionApi.CohortView(
                c.Start, c.Size, [.. c.Periods.Select(p => new RetentionApi.PeriodView(
                    p.K, p.Eligible, p.Retained, p.Rate is { } rate ? Math.Round(rate, 4) : null,
                    basis == CohortBasis.FirstVisit ? null : Major(p.RevenueMinor),
                    p.StartRevenueMinor == 0 ? null : Math.Round((double)p.RevenueMinor / p.StartRevenueMinor, 4)))]))]);
    }

    private static async Task<IReadOnlyList<Cohort>> OrderCohortsAsync(
        FlywheelDb db, string workspaceId, WorkspaceSettings settings, DateOnly start, DateOnly end, CohortGrain grain, PeriodMode mode,
        RetentionMeasure measure, DayOfWeek weekStart, int periods, DateTimeOffset now, DateTime nowLocal, CancellationToken ct)
    {
        // Every paid order of the workspace's customers: a first order before the range puts a customer in an earlier cohort.
        var paid = await OrderQueries.PaidPerCustomerUntilAsync(db, workspaceId, settings.Currency, now, ct);
        var members = paid.Values.Select(orders =>
            new CohortMember([.. orders.Select(o => (TimeZoneInfo.ConvertTime(o.PaidAt, settings.Zone).DateTime, o.TotalMinor))]));
        return CohortEngine.Build(members, start, end, grain, mode, measure, periods, weekStart, nowLocal);
    }

    /// <summary>
    /// Cohorts of visitors by their first visit, counted by the event store: the cohorts' periods and as many after the
    /// last as the table shows (no further than the period holding now) become UTC boundaries of local midnights.
    /// </summary>
    private async Task<IReadOnlyList<Cohort>> VisitCohortsAsync(
        string workspaceId, TimeZoneInfo zone, DateOnly start, DateOnly end, CohortGrain grain, PeriodMode mode, RetentionMeasure measure,
        DayOfWeek weekStart, int periods, DateTimeOffset now, CancellationToken ct)
    {
        var today = LocalDays.DateOf(now, zone);
        var starts = new List<DateOnly>();
        for (var p = CohortEngine.PeriodStart(start, grain, weekStart); p <= CohortEngine.PeriodStart(end, grain, weekStart); p = CohortEngine.NextPeriodStart(p, grain))
        {
            starts.Add(p);
        }
        var cohortCount = starts.Count;
        // The periods after the last cohort that its row shows, up to the one holding now (later ones hold no visits yet).
        var current = CohortEngine.PeriodStart(LocalDays.DateOf(now, zone), grain, weekStart);
        for (var (extra, p) = (0, CohortEngine.NextPeriodStart(starts[^1], grain)); extra < periods && p <= current; extra++, p = CohortEngine.NextPeriodStart(p, grain))
        {
            starts.Add(p);
        }
        var bounds = starts.Append(CohortEngine.NextPeriodStart(starts[^1], grain)).Select(d => LocalDays.StartUtc(d, zone)).ToList();
        await pipeline.WaitForLoadedAsync(ct);
        var answer = await events.VisitCohortsAsync(new VisitCohortQuery(
            workspaceId, bounds, cohortCount, mode == PeriodMode.Rolling ? CohortEngine.Span(grain) : null, now.UtcDateTime), ct);
        var cohorts = new List<Cohort>();
        for (var c = 0; c < cohortCount; c++)
        {
            var reach = answer.Reach.Where(r => r.Cohort == c).ToList();
            var size = reach.Sum(r => r.Visitors);
            if (size == 0)
            {
                continue;
            }
            var list = new List<CohortPeriod>();
            for (var k = 0; k <= periods; k++)
            {
                // Calendar: period k has ended for the whole cohort or for nobody; rolling: for each visitor on their own clock.
                var calendarEnded = c + k + 1 < bounds.Count && bounds[c + k + 1] <= now.UtcDateTime;
                var eligible = reach.Where(r => mode == PeriodMode.Rolling ? r.LastEnded >= k : calendarEnded).ToList();
                var count = eligible.Sum(r => r.Visitors);
                var retained = count == 0 ? 0 : measure == RetentionMeasure.On
                    ? answer.Activity.Where(a => a.Cohort == c && a.K == k).Sum(a => a.Visitors)
                    : eligible.Where(r => r.LastVisited >= k).Sum(r => r.Visitors);
                list.Add(new CohortPeriod(k, (int)count, (int)retained, count == 0 ? null : (double)retained / count, 0, 0));
            }
            cohorts.Add(new Cohort(starts[c], (int)size, list));
        }
        return cohorts;
    }

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
