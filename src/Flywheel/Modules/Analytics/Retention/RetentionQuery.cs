using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Analytics.Retention;

/// <summary>Repurchase cohorts from the stored orders, for the API and the console alike.</summary>
public sealed class RetentionQuery(StateStore state, TimeProvider clock)
{
    public async Task<RetentionApi.RetentionView> GetAsync(
        string workspaceId, DateOnly? from, DateOnly? to, CohortGrain grain, PeriodMode mode, RetentionMeasure measure, DayOfWeek weekStart,
        int periods, CancellationToken ct)
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

        // Every paid order of the workspace's customers: a first order before the range puts a customer in an earlier cohort.
        var paid = await OrderQueries.PaidPerCustomerAsync(db, workspaceId, settings.Currency, DateTimeOffset.UnixEpoch, now, ct);
        var members = paid.Values.Select(orders =>
            new CohortMember([.. orders.Select(o => (TimeZoneInfo.ConvertTime(o.PaidAt, settings.Zone).DateTime, o.TotalMinor))]));
        var cohorts = CohortEngine.Build(members, start, end, grain, mode, measure, periods, weekStart, nowLocal);
        decimal Major(long minor) => Money.ToMajor(minor, settings.Currency);
        return new RetentionApi.RetentionView(start, end, settings.Zone.Id, settings.Currency, Name(grain), Name(mode),
            measure == RetentionMeasure.On ? "on" : "on_or_after", Name(weekStart), now, [.. cohorts.Select(c => new RetentionApi.CohortView(
                c.Start, c.Size, [.. c.Periods.Select(p => new RetentionApi.PeriodView(
                    p.K, p.Eligible, p.Retained, p.Rate is { } rate ? Math.Round(rate, 4) : null, Major(p.RevenueMinor),
                    p.StartRevenueMinor == 0 ? null : Math.Round((double)p.RevenueMinor / p.StartRevenueMinor, 4)))]))]);
    }

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
