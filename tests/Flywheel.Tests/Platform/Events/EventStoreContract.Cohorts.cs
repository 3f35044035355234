using Flywheel.Platform.Events;

namespace Flywheel.Tests.Platform.Events;

/// <summary>Visitors by their first visit: a fixture worked out by hand, on calendar days and on rolling 24-hour periods.</summary>
public abstract partial class EventStoreContract
{
    private static readonly DateTime[] ThreeDays = [T("2026-11-01T00:00:00Z"), T("2026-11-02T00:00:00Z"), T("2026-11-03T00:00:00Z"), T("2026-11-04T00:00:00Z")];

    /// <summary>
    /// c-1: visits 1 Nov 10:00, 2 Nov 09:00 (a search), 3 Nov 11:00. a-2: 1 Nov 23:00 and 3 Nov 01:00. c-3 first visited on
    /// 30 Oct, before the first cohort. c-4: 2 Nov 12:00, then only an order event on 3 Nov (not a visit). c-5: a segment
    /// entry on 1 Nov (not a visit), a visit 2 Nov 08:00. c-6 first visits on 3 Nov, after the two cohorts.
    /// </summary>
    private async Task<IEventStore> CohortShopAsync()
    {
        var store = await OpenAsync();
        await using var append = store.BeginAppend();
        append.Append(
        [
            E(1, "w1", "page_view", "c-1", null, "2026-11-01T10:00:00Z"),
            E(2, "w1", "search", "c-1", null, "2026-11-02T09:00:00Z"),
            E(3, "w1", "page_view", "c-1", null, "2026-11-03T11:00:00Z"),
            E(4, "w1", "page_view", null, "a-2", "2026-11-01T23:00:00Z"),
            E(5, "w1", "page_view", null, "a-2", "2026-11-03T01:00:00Z"),
            E(6, "w1", "page_view", "c-3", null, "2026-10-30T12:00:00Z"),
            E(7, "w1", "page_view", "c-3", null, "2026-11-02T12:00:00Z"),
            E(8, "w1", "page_view", "c-4", null, "2026-11-02T12:00:00Z"),
            E(9, "w1", "order_paid", "c-4", null, "2026-11-03T12:00:00Z", dedupKey: "order:order_paid:o-4"),
            E(10, "w1", "segment_entered", "c-5", null, "2026-11-01T06:00:00Z"),
            E(11, "w1", "page_view", "c-5", null, "2026-11-02T08:00:00Z"),
            E(12, "w1", "page_view", "c-6", null, "2026-11-03T09:00:00Z"),
            E(13, "w2", "page_view", "c-1", null, "2026-11-01T09:00:00Z"),
        ]);
        await append.CommitAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task VisitCohorts_OnCalendarDays_CountVisitorsByFirstVisitAndTheDaysTheyCameBack()
    {
        await using var store = await CohortShopAsync();

        var answer = await store.VisitCohortsAsync(new VisitCohortQuery("w1", ThreeDays, 2, null, T("2026-11-10T00:00:00Z")), CancellationToken.None);

        // 1 Nov: c-1 (days 0, 1, 2) and a-2 (days 0, 2). 2 Nov: c-4 and c-5, day 0 only.
        Assert.Equal([new(0, 0, 2), new(0, 1, 1), new(0, 2, 2), new CohortActivity(1, 0, 2)], answer.Activity);
        Assert.Equal([new(0, -1, 2, 2), new CohortReach(1, -1, 0, 2)], answer.Reach);
    }

    [Fact]
    public async Task VisitCohorts_OnRollingDays_CountEachVisitorOnTheirOwnClock()
    {
        await using var store = await CohortShopAsync();

        var answer = await store.VisitCohortsAsync(
            new VisitCohortQuery("w1", ThreeDays, 2, TimeSpan.FromDays(1), T("2026-11-04T00:00:00Z")), CancellationToken.None);

        // c-1 from 1 Nov 10:00: back after 23 h (period 0) and 49 h (period 2); 62 h to now, so periods 0 and 1 have ended.
        // a-2 from 1 Nov 23:00: back after 26 h (period 1); 49 h to now, so periods 0 and 1 have ended.
        // c-4 from 2 Nov 12:00 (36 h to now) and c-5 from 2 Nov 08:00 (40 h): period 0 ended, nothing after.
        // c-1's return in period 2 is not counted as activity: that period has not ended for them.
        Assert.Equal([new(0, 0, 2), new(0, 1, 1), new CohortActivity(1, 0, 2)], answer.Activity);
        Assert.Equal([new(0, 1, 1, 1), new(0, 1, 2, 1), new CohortReach(1, 0, 0, 2)], answer.Reach);
    }
}
