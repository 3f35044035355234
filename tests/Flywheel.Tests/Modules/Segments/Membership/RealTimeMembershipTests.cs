using System.Diagnostics;
using System.Text.Json;
using Flywheel.Modules.Segments.Membership;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Flywheel.Tests.Modules.Segments.Membership.SegmentShop;

namespace Flywheel.Tests.Modules.Segments.Membership;

/// <summary>
/// Membership that follows events as they arrive, and time as it passes: a new order makes a customer enter at once;
/// the moment their last order turns 30 × 24 hours old they leave, by their own timer, with no recompute of anyone
/// else; every entry and exit is in the history and published as an event.
/// </summary>
public sealed class RealTimeMembershipTests
{
    [Fact]
    public async Task AnOrder_EntersAtOnce_AndTheTimerTakesTheCustomerOutWhenTheWindowPasses()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await BuildAsync(app);
        await SettleAsync(app);
        var created = await CreateAsync(app, "recent-buyers", "did order_paid in last 30 days");
        // Paid within 30 days of 20 Nov 04:00: c2 (10, 15 Nov), c4 (1 Nov), c7 (12 Nov), c8 (3 Nov).
        Assert.Equal(["c2", "c4", "c7", "c8"], await MembersAsync(app, "recent-buyers"));
        Assert.Equal(4, created.GetProperty("member_count").GetInt32());
        await CreateAsync(app, "dormant", "lifecycle = 'dormant'");
        Assert.Equal(["c1"], await MembersAsync(app, "dormant"));

        // c3 pays now: in the segment within a second of the order being acknowledged.
        var started = Stopwatch.GetTimestamp();
        await Order(app, "c3", "2026-11-20T03:59:00Z", 50m, "home");
        await WaitUntilAsync(async () => (await MembersAsync(app, "recent-buyers")).Contains("c3"));
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5), "entered far later than real time");
        var c3 = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/customers/c3/segments"));
        Assert.Equal(["recent-buyers"], c3.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("key").GetString()));

        // c4's only order (1 Nov 02:00) leaves the window at 1 Dec 02:00 plus a tick; a minute before, nothing moves.
        var timers = app.Services.GetRequiredService<SegmentTimers>();
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 1, 59, 0, TimeSpan.Zero));
        await timers.ProcessDueAsync(CancellationToken.None);
        Assert.Contains("c4", await MembersAsync(app, "recent-buyers"));
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 2, 0, 1, TimeSpan.Zero));
        await timers.ProcessDueAsync(CancellationToken.None);
        Assert.DoesNotContain("c4", await MembersAsync(app, "recent-buyers"));
        // c8's last order (3 Nov) is still inside, and so are c2's and c7's.
        Assert.Equal(["c2", "c3", "c7", "c8"], await MembersAsync(app, "recent-buyers"));

        // c2's last order (15 Nov 02:00) makes them dormant on 15 Dec 02:00; they left recent-buyers then as well.
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 15, 2, 0, 30, TimeSpan.Zero));
        await timers.ProcessDueAsync(CancellationToken.None);
        Assert.Contains("c2", await MembersAsync(app, "dormant"));
        Assert.DoesNotContain("c2", await MembersAsync(app, "recent-buyers"));

        // The history holds c4's exit at the moment it was applied, and the exit is published as an event.
        var history = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/segments/recent-buyers/history?from=2026-11-20&to=2026-12-15"));
        var recent = history.GetProperty("recent").EnumerateArray()
            .Select(c => $"{c.GetProperty("customer_id").GetString()} {c.GetProperty("change").GetString()}").ToList();
        Assert.Contains("c4 exited", recent);
        Assert.Contains("c3 entered", recent);
        // 20 Nov: four entered at creation, c3 on paying. 1 Dec: c4 left. 15 Dec: the timers due since (c8 on 3 Dec, c7 on
        // 12 Dec, c2 on 15 Dec) were processed together, leaving c3 alone.
        var days = history.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(26, days.Count);
        Assert.Equal((5, 0, 5L), Day(days[0]));
        Assert.Equal((0, 1, 4L), Day(days[11]));
        Assert.Equal((0, 3, 1L), Day(days[^1]));
        Assert.Equal(["c3"], await MembersAsync(app, "recent-buyers"));
        await WaitUntilAsync(async () => (await TimelineTypesAsync(app, "c4")).Contains("segment_exited"));
    }

    [Fact]
    public async Task AnEventStampedLaterThanNow_EntersItsWindowWhenNowReachesIt()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await BuildAsync(app);
        await SettleAsync(app);
        // c6's page view (19 Nov 02:00) is 26 hours old: no one has viewed a page in the last day.
        await CreateAsync(app, "viewed-today", "did page_view in last 1 days");
        Assert.Empty(await MembersAsync(app, "viewed-today"));

        // c5's device clock runs two hours ahead: the view is stamped 06:00 while it is 04:00.
        (await app.PostEventsAsync(new { event_id = "ahead", type = "page_view", customer_id = "c5", timestamp = "2026-11-20T06:00:00Z" }))
            .EnsureSuccessStatusCode();
        await SettleAsync(app);
        Assert.Empty(await MembersAsync(app, "viewed-today"));

        var timers = app.Services.GetRequiredService<SegmentTimers>();
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 20, 5, 59, 59, TimeSpan.Zero));
        await timers.ProcessDueAsync(CancellationToken.None);
        Assert.Empty(await MembersAsync(app, "viewed-today"));
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 20, 6, 0, 0, TimeSpan.Zero));
        await timers.ProcessDueAsync(CancellationToken.None);
        Assert.Equal(["c5"], await MembersAsync(app, "viewed-today"));
    }

    private static async Task<List<string>> TimelineTypesAsync(FlywheelApp app, string customer)
    {
        var timeline = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/customers/{customer}/events"));
        return [.. timeline.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()!)];
    }

    private static (int Entered, int Exited, long Size) Day(JsonElement day) =>
        (day.GetProperty("entered").GetInt32(), day.GetProperty("exited").GetInt32(), day.GetProperty("size").GetInt64());
}
