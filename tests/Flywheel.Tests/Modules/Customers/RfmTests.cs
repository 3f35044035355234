using System.Globalization;
using System.Net;
using System.Text.Json;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Customers;

/// <summary>
/// RFM scoring through the API on a small shop whose quintiles are worked out by hand below, then again after one
/// customer orders, and the daily scoring a day later. "Now" starts at 17 Nov 2026 04:00 UTC.
/// </summary>
public sealed class RfmTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 17, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Scoring_PutsCustomersInQuintilesAndGroups_RecordsGroupChanges_AndRunsDaily()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        // The daily scoring runs at start, on the empty shop; wait for it so that it cannot interleave with the orders.
        await WaitUntilAsync(async () => (await RfmAsync(app)).GetProperty("scored_at").ValueKind != JsonValueKind.Null);

        await Order(app, "c1", "2026-09-01T10:00:00Z", 100m, "CNY");
        await Order(app, "c1", "2026-10-01T10:00:00Z", 100m, "CNY");
        await Order(app, "c1", "2026-11-10T10:00:00Z", 100m, "CNY");
        await Order(app, "c1", "2026-11-15T10:00:00Z", 100m, "CNY");
        await Order(app, "c2", "2026-11-16T10:00:00Z", 50m, "CNY");
        await Order(app, "c3", "2026-08-01T10:00:00Z", 30m, "CNY");
        await Order(app, "c3", "2026-08-05T10:00:00Z", 30m, "CNY");
        await Order(app, "c3", "2026-08-09T10:00:00Z", 30m, "CNY");
        foreach (var month in new[] { "01", "02", "03", "04", "05" })
        {
            await Order(app, "c4", $"2026-{month}-10T10:00:00Z", 500m, "CNY");
        }
        await Order(app, "c5", "2026-02-01T10:00:00Z", 20m, "CNY");
        await Order(app, "c7", "2026-11-01T10:00:00Z", 99m, "USD");
        await Ok(app.PostJsonAsync("/api/v1/customers", new { external_id = "c6" }));
        await WaitForProjectionsAsync(app);

        // n = 5 buying customers in CNY (c6 has no order, c7 only one in USD).
        // Recency, earliest last order first: c5 (1 Feb), c4 (10 May), c3 (9 Aug), c1 (15 Nov), c2 (16 Nov): R 1..5.
        // Frequency: c2 1, c5 1, c3 3, c1 4, c4 5 → below: 0, 0, 2, 3, 4 → F 1, 1, 3, 4, 5.
        // Money: c5 20, c2 50, c3 90, c1 400, c4 2,500 → M 1..5 in that order.
        // Groups (R, F): c1 (4, 4) loyal; c2 (5, 1) recent; c3 (3, 3) need_attention; c4 (2, 5) cant_lose; c5 (1, 1) lost.
        var first = await ScoreAsync(app);
        Assert.Equal(5, first.GetProperty("customers").GetInt32());
        await AssertScoreAsync(app, "c1", 4, 4, 4, "loyal");
        await AssertScoreAsync(app, "c2", 5, 1, 2, "recent");
        await AssertScoreAsync(app, "c3", 3, 3, 3, "need_attention");
        await AssertScoreAsync(app, "c4", 2, 5, 5, "cant_lose");
        await AssertScoreAsync(app, "c5", 1, 1, 1, "lost");
        Assert.Equal(JsonValueKind.Null, (await TraitsAsync(app, "c6")).GetProperty("rfm").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await TraitsAsync(app, "c7")).GetProperty("rfm").ValueKind);
        Assert.Equal(1, first.GetProperty("groups").GetProperty("loyal").GetInt32());
        Assert.Equal(0, first.GetProperty("groups").GetProperty("champions").GetInt32());
        var grid = first.GetProperty("grid");
        Assert.Equal(1, grid[3][3].GetInt32()); // R 4, F 4: c1
        Assert.Equal(1, grid[0][0].GetInt32()); // R 1, F 1: c5
        Assert.Equal(5, grid.EnumerateArray().SelectMany(row => row.EnumerateArray()).Sum(c => c.GetInt32()));

        // An hour later c5 orders 80.00: last order 16 Nov 12:00 (the latest), 2 orders, 100.00.
        // R: c4, c3, c1, c2, c5 → 1..5. F: c2 1, c5 2, c3 3, c1 4, c4 5 → 1..5. M: c2 50, c3 90, c5 100, c1 400, c4 2,500.
        // Groups: c1 (3, 4) loyal; c2 (4, 1) promising; c3 (2, 3) at_risk; c4 (1, 5) cant_lose; c5 (5, 2) potential_loyalists.
        clock.Advance(TimeSpan.FromHours(1));
        await Order(app, "c5", "2026-11-16T12:00:00Z", 80m, "CNY");
        await WaitForProjectionsAsync(app);
        await ScoreAsync(app);
        await AssertScoreAsync(app, "c1", 3, 4, 4, "loyal");
        await AssertScoreAsync(app, "c2", 4, 1, 1, "promising");
        await AssertScoreAsync(app, "c3", 2, 3, 2, "at_risk");
        await AssertScoreAsync(app, "c4", 1, 5, 5, "cant_lose");
        var c5 = await AssertScoreAsync(app, "c5", 5, 2, 3, "potential_loyalists");
        var secondAt = Start.AddHours(1);
        Assert.Equal(secondAt, c5.GetProperty("group_since").GetDateTimeOffset());
        Assert.Equal(
            [$"lost→potential_loyalists@{secondAt:O}", $"→lost@{Start:O}"],
            c5.GetProperty("transitions").EnumerateArray().Select(t =>
                $"{t.GetProperty("from").GetString()}→{t.GetProperty("to").GetString()}@{t.GetProperty("at").GetDateTimeOffset():O}"));
        // c1 stayed loyal: still since the first scoring, and one transition only.
        var c1 = (await TraitsAsync(app, "c1")).GetProperty("rfm");
        Assert.Equal(Start, c1.GetProperty("group_since").GetDateTimeOffset());
        Assert.Equal(1, c1.GetProperty("transitions").GetArrayLength());

        // A day after the last scoring, the daily scoring runs by itself.
        clock.Advance(TimeSpan.FromHours(25));
        await WaitUntilAsync(async () => (await RfmAsync(app)).GetProperty("scored_at").GetDateTimeOffset() == Start.AddHours(26));
    }

    [Fact]
    public async Task Scoring_NeedsTheWriteScope()
    {
        await using var app = await FlywheelApp.StartAsync();
        var response = await app.Client.PostAsJsonAsync("/api/v1/keys", new { kind = "secret", name = "reader", scopes = new[] { "customers:read" } });
        using var reader = app.CreateClient((await FlywheelApp.ReadJsonAsync(response)).GetProperty("secret").GetString()!);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/v1/rfm/score", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/rfm")).StatusCode);
    }

    private static async Task Order(FlywheelApp app, string customer, string paidAt, decimal total, string currency)
    {
        var paid = DateTimeOffset.Parse(paidAt, CultureInfo.InvariantCulture);
        await Ok(app.PostJsonAsync("/api/v1/orders", new
        {
            order_id = $"{customer}-{paid:yyyyMMddHHmm}",
            customer_id = customer,
            status = "paid",
            currency,
            lines = new[] { new { sku = "SKU-1", quantity = 1, price = total } },
            total,
            placed_at = paid.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture),
            paid_at = paidAt,
        }));
    }

    private static async Task<JsonElement> ScoreAsync(FlywheelApp app)
    {
        using var response = await app.Client.PostAsync("/api/v1/rfm/score", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await FlywheelApp.ReadJsonAsync(response);
    }

    private static async Task<JsonElement> RfmAsync(FlywheelApp app) => await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/rfm"));

    private static async Task<JsonElement> TraitsAsync(FlywheelApp app, string customer) =>
        await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/customers/{customer}/traits"));

    private static async Task<JsonElement> AssertScoreAsync(FlywheelApp app, string customer, int r, int f, int m, string group)
    {
        var rfm = (await TraitsAsync(app, customer)).GetProperty("rfm");
        Assert.Equal($"{customer}: {r}/{f}/{m} {group}",
            $"{customer}: {rfm.GetProperty("r").GetInt32()}/{rfm.GetProperty("f").GetInt32()}/{rfm.GetProperty("m").GetInt32()} {rfm.GetProperty("group").GetString()}");
        return rfm;
    }

    private static async Task Ok(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task WaitForProjectionsAsync(FlywheelApp app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
        await app.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
    }

    /// <summary>Polls what background work does on its own; fails after a bound far above its expected time.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the scoring");
            await Task.Delay(50);
        }
    }
}
