using Flywheel.Platform.Events;

namespace Flywheel.Tests.Platform.Events;

/// <summary>Traffic summaries: a fixture worked out by hand, and a random sample against a second computation in C#.</summary>
public abstract partial class EventStoreContract
{
    private static readonly DateTime[] TwoDays = [T("2026-11-01T00:00:00Z"), T("2026-11-02T00:00:00Z"), T("2026-11-03T00:00:00Z")];

    private static EventContext Source(string utm) => new() { UtmSource = utm };

    /// <summary>
    /// c-1 on 1 Nov: session A 10:00 (wechat) – 10:49:59.999 (views at 10:00 and 10:49:59.999, a product view and a cart
    /// between), then a view at 11:19:59.999 — exactly 30 min after the last event, so session B (direct, one view: a
    /// bounce) — and an order placed at 11:25 (no session). a-1: a session from 23:50 (baidu) to 00:15 on 2 Nov: views at
    /// 23:50 and 00:10, then it adds to the cart (00:14) before it views a product (00:15). c-2, first seen 20 Oct, signs up
    /// (wechat) and views a page on 2 Nov. c-3 only enters a segment and pays an order on 2 Nov.
    /// </summary>
    private async Task<IEventStore> TrafficShopAsync()
    {
        var store = await OpenAsync();
        await using var append = store.BeginAppend();
        append.Append(
        [
            E(1, "w1", "page_view", "c-2", null, "2026-10-20T08:00:00Z"),
            E(2, "w1", "page_view", "c-1", null, "2026-11-01T10:00:00Z", context: Source("wechat")),
            E(3, "w1", "product_view", "c-1", null, "2026-11-01T10:10:00Z"),
            E(4, "w1", "add_to_cart", "c-1", null, "2026-11-01T10:20:00Z"),
            E(5, "w1", "page_view", "c-1", null, "2026-11-01T10:49:59.999Z"),
            E(6, "w1", "page_view", "c-1", null, "2026-11-01T11:19:59.999Z"),
            E(7, "w1", "order_placed", "c-1", null, "2026-11-01T11:25:00Z", dedupKey: "order:order_placed:o-1"),
            E(8, "w1", "page_view", null, "a-1", "2026-11-01T23:50:00Z", context: Source("baidu")),
            E(9, "w1", "page_view", null, "a-1", "2026-11-02T00:10:00Z"),
            E(10, "w1", "add_to_cart", null, "a-1", "2026-11-02T00:14:00Z"),
            E(11, "w1", "product_view", null, "a-1", "2026-11-02T00:15:00Z"),
            E(12, "w1", "sign_up", "c-2", null, "2026-11-02T09:00:00Z", context: Source("wechat")),
            E(13, "w1", "page_view", "c-2", null, "2026-11-02T09:01:00Z"),
            E(14, "w1", "segment_entered", "c-3", null, "2026-11-02T12:00:00Z"),
            E(15, "w1", "order_paid", "c-3", null, "2026-11-02T13:00:00Z", dedupKey: "order:order_paid:o-2"),
            E(16, "w2", "page_view", "c-1", null, "2026-11-01T10:00:00Z"),
            E(17, "w1", "page_view", "c-4", null, "2026-11-03T00:00:00Z"),
        ]);
        await append.CommitAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task Traffic_PerDayAndWhole_SessionsSplitAtThirtyMinutesAndBelongToTheirFirstDay()
    {
        await using var store = await TrafficShopAsync();
        var summary = await store.SummarizeTrafficAsync(new TrafficQuery("w1", TwoDays), CancellationToken.None);

        // Columns: views, UV, new, active visitors, active customers, sessions, bounces, session ms, viewers, cart after
        // view, order placers, sign-ups.
        // 1 Nov: views 2, 5, 6, 8; UV c-1, a-1, both first seen that day; sessions A (2,999,999 ms), B (bounce, 0 ms) and
        // a-1's (25 min); c-1 viewed then carted and placed an order.
        Assert.Equal(new TrafficFigures(4, 2, 2, 2, 1, 3, 1, 2_999_999 + 1_500_000, 1, 1, 1, 0), summary.PerInterval[0]);
        // 2 Nov: views 9, 13 (a-1's session began the day before); nobody new (a-1 first 1 Nov, c-2 20 Oct); active
        // customers c-2 and c-3 (an order event, not a visit; the segment event counts for nothing); c-2's session has
        // one view (a bounce, 60 s); a-1 carted before viewing.
        Assert.Equal(new TrafficFigures(2, 2, 0, 2, 2, 1, 1, 60_000, 1, 0, 0, 1), summary.PerInterval[1]);
        // Both days: a-1 counts once; c-1 and a-1 are new; c-1's cart is the only one after a view.
        Assert.Equal(new TrafficFigures(6, 3, 2, 3, 3, 4, 2, 4_559_999, 2, 1, 1, 1), summary.Total);
    }

    [Fact]
    public async Task Traffic_FromOneSource_KeepsOnlyItsSessionsAndTheirVisitors()
    {
        await using var store = await TrafficShopAsync();
        var summary = await store.SummarizeTrafficAsync(new TrafficQuery("w1", TwoDays, Source: "wechat"), CancellationToken.None);

        // wechat sessions: c-1's A (views 2 and 5) and c-2's on 2 Nov (sign-up first, then view 13). c-1 placed an order
        // on a day with a wechat visit; c-3 never visited from wechat, so is not active here.
        Assert.Equal(new TrafficFigures(2, 1, 1, 1, 1, 1, 0, 2_999_999, 1, 1, 1, 0), summary.PerInterval[0]);
        Assert.Equal(new TrafficFigures(1, 1, 0, 1, 1, 1, 1, 60_000, 0, 0, 0, 1), summary.PerInterval[1]);
        Assert.Equal(new TrafficFigures(3, 2, 1, 2, 2, 2, 1, 3_059_999, 1, 1, 1, 1), summary.Total);

        var direct = await store.SummarizeTrafficAsync(new TrafficQuery("w1", TwoDays, Source: "direct"), CancellationToken.None);
        // Only c-1's session B: one view, a bounce of 0 ms.
        Assert.Equal(new TrafficFigures(1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0), direct.Total);
    }

    [Fact]
    public async Task Traffic_AmongCustomers_LeavesOutEveryoneElseAndAnonymousVisitors()
    {
        await using var store = await TrafficShopAsync();
        var summary = await store.SummarizeTrafficAsync(new TrafficQuery("w1", TwoDays, Among: ["c-1", "c-3"]), CancellationToken.None);

        Assert.Equal(new TrafficFigures(3, 1, 1, 1, 1, 2, 1, 2_999_999, 1, 1, 1, 0), summary.PerInterval[0]);
        // 2 Nov: only c-3's order.
        Assert.Equal(new TrafficFigures(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0), summary.PerInterval[1]);
        Assert.Equal(new TrafficFigures(3, 1, 1, 1, 2, 2, 1, 2_999_999, 1, 1, 1, 0), summary.Total);

        var nobody = await store.SummarizeTrafficAsync(new TrafficQuery("w1", TwoDays, Among: []), CancellationToken.None);
        Assert.Equal(TrafficFigures.None, nobody.Total);
    }

    [Fact]
    public async Task Traffic_AnEarlierEventLoadedAfterAQuestion_MovesTheVisitorsFirstVisit()
    {
        await using var store = await TrafficShopAsync();
        var before = await store.SummarizeTrafficAsync(new TrafficQuery("w1", TwoDays), CancellationToken.None);
        Assert.Equal(2, before.PerInterval[0].NewVisitors);

        // a-1 turns out to have visited on 31 Oct (an event sent late), and c-5 is new on 2 Nov.
        await using (var append = store.BeginAppend())
        {
            append.Append(
            [
                E(18, "w1", "page_view", null, "a-1", "2026-10-31T12:00:00Z"),
                E(19, "w1", "page_view", "c-5", null, "2026-11-02T15:00:00Z"),
            ]);
            await append.CommitAsync(CancellationToken.None);
        }
        var after = await store.SummarizeTrafficAsync(new TrafficQuery("w1", TwoDays), CancellationToken.None);

        // 1 Nov: only c-1 is new now; 2 Nov: c-5 (a view, a visitor, new); both days: c-1 and c-5 of 4 visitors.
        Assert.Equal(1, after.PerInterval[0].NewVisitors);
        Assert.Equal((3, 3, 1), (after.PerInterval[1].PageViews, after.PerInterval[1].Visitors, after.PerInterval[1].NewVisitors));
        Assert.Equal((4, 2), (after.Total.Visitors, after.Total.NewVisitors));
    }

    [Fact]
    public async Task ActiveVisitors_OfTheWholeSpan_WorkedByHand()
    {
        await using var store = await TrafficShopAsync();
        async Task<long> Count(string? source = null, string[]? among = null) =>
            await store.CountActiveVisitorsAsync(new TrafficQuery("w1", TwoDays, among, source), CancellationToken.None);

        // Visits on 1–2 Nov: c-1, a-1 and c-2 (c-3 only paid an order and entered a segment; c-4 came on 3 Nov).
        Assert.Equal(3, await Count());
        // Sessions from wechat: c-1's A and c-2's; from direct: c-1's B; a-1 came from baidu.
        Assert.Equal(2, await Count("wechat"));
        Assert.Equal(1, await Count("direct"));
        Assert.Equal(1, await Count("baidu"));
        Assert.Equal(0, await Count("google"));
        Assert.Equal(1, await Count(among: ["c-1", "c-3"]));
        Assert.Equal(0, await Count(among: []));
        // Over 2 Nov alone, a-1's baidu session is cut at midnight: its first event inside is a view without a source
        // (direct). wechat keeps c-2 only.
        string[] secondDay = ["2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z"];
        Assert.Equal(1, await store.CountActiveVisitorsAsync(new TrafficQuery("w1", [.. secondDay.Select(T)], Source: "wechat"), CancellationToken.None));
        Assert.Equal(1, await store.CountActiveVisitorsAsync(new TrafficQuery("w1", [.. secondDay.Select(T)], Source: "direct"), CancellationToken.None));
        Assert.Equal(0, await store.CountActiveVisitorsAsync(new TrafficQuery("w1", [.. secondDay.Select(T)], Source: "baidu"), CancellationToken.None));
    }

    [Fact]
    public async Task Traffic_OnARandomSample_EqualsASecondComputationInCode()
    {
        var events = Generate(3000).Select((e, i) => e with
        {
            Type = i % 11 == 0 ? "sign_up" : i % 13 == 0 ? "order_placed" : e.Type,
            Context = i % 5 == 0 ? Source(i % 10 == 0 ? "wechat" : "baidu") : e.Context,
        }).ToList();
        await using var store = await OpenAsync();
        await using (var append = store.BeginAppend())
        {
            append.Append(events);
            await append.CommitAsync(CancellationToken.None);
        }
        var days = Enumerable.Range(0, 15).Select(d => T("2026-10-25T16:00:00Z").AddDays(d)).ToList();
        foreach (var (among, source) in new (string[]?, string?)[] { (null, null), (null, "wechat"), (null, "direct"), (["c-1", "c-2", "c-3", "c-5", "c-8"], null) })
        {
            var query = new TrafficQuery("w1", days, among, source);
            var expected = TrafficOracle.Summarize(events, query);
            var actual = await store.SummarizeTrafficAsync(query, CancellationToken.None);
            Assert.Equal(expected.PerInterval, actual.PerInterval);
            Assert.Equal(expected.Total, actual.Total);
            Assert.Equal(expected.Total.ActiveVisitors, await store.CountActiveVisitorsAsync(query, CancellationToken.None));
        }
    }
}
