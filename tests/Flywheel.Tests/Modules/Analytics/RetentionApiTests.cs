using System.Globalization;
using System.Net;
using System.Text.Json;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Analytics;

/// <summary>Repurchase cohorts through the API, on orders sent through the orders API; figures counted by hand.</summary>
public sealed class RetentionApiTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 15, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task MonthlyCohorts_OfFirstPaidOrders_WithRepurchaseAndRevenue()
    {
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        // Noon UTC is the same date in every time zone a workspace is likely to have.
        foreach (var (id, customer, at, total) in new[]
        {
            ("a1", "a", "2026-01-10", 100.00m), ("a2", "a", "2026-02-05", 50.00m),
            ("b1", "b", "2026-01-20", 200.00m), ("b2", "b", "2026-03-01", 30.00m),
            ("c1", "c", "2026-02-14", 80.00m),
            ("d1", "d", "2026-03-31", 10.00m), ("d2", "d", "2026-04-02", 10.00m),
        })
        {
            var paid = DateTimeOffset.Parse(at + "T12:00:00Z", CultureInfo.InvariantCulture);
            using var response = await app.PostJsonAsync("/api/v1/orders", new
            {
                order_id = id, customer_id = customer, status = "paid",
                lines = new[] { new { sku = "S", quantity = 1, price = total } }, total,
                placed_at = paid.AddMinutes(-1).ToString("O"), paid_at = paid.ToString("O"),
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await app.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
        }

        using var answer = await app.Client.GetAsync("/api/v1/analytics/retention?from=2026-01-01&to=2026-03-31&grain=month&periods=2");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var cohorts = (await FlywheelApp.ReadJsonAsync(answer)).GetProperty("cohorts").EnumerateArray().ToList();
        Assert.Equal(["2026-01-01", "2026-02-01", "2026-03-01"], cohorts.Select(c => c.GetProperty("start").GetString()));
        Assert.Equal([2, 1, 1], cohorts.Select(c => c.GetProperty("size").GetInt32()));
        // January: a back in February, b in March; revenue 300.00, 50.00, 30.00; revenue retention 50/300, 30/300.
        var january = cohorts[0].GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal([1.0, 0.5, 0.5], january.Select(p => p.GetProperty("rate").GetDouble()));
        Assert.Equal([300.00m, 50.00m, 30.00m], january.Select(p => p.GetProperty("revenue").GetDecimal()));
        Assert.Equal(0.1667, january[1].GetProperty("revenue_retention").GetDouble());
        // March: d's April order is in a period that has not ended on 15 April; nobody is eligible yet.
        var march = cohorts[2].GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal(0, march[1].GetProperty("eligible").GetInt32());

        foreach (var query in new[] { "grain=year", "periods=0", "mode=sliding", "measure=ever", "week_start=someday", "from=2026-03-01&to=2026-01-01" })
        {
            using var bad = await app.Client.GetAsync("/api/v1/analytics/retention?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
    }

    [Fact]
    public async Task MonthlyCohorts_OfFirstVisits_CountVisitorsWhoCameBack()
    {
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        // v1 visits on 10 Jan and 5 Feb; v2 (anonymous) on 20 Jan; v3 on 14 Feb and pays an order on 3 Mar, which is not a
        // visit. Noon UTC is the same date in the workspace's zone.
        using (var sent = await app.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                new { event_id = "1", type = "page_view", customer_id = "v1", timestamp = "2026-01-10T12:00:00Z" },
                new { event_id = "2", type = "page_view", customer_id = "v1", timestamp = "2026-02-05T12:00:00Z" },
                new { event_id = "3", type = "page_view", anonymous_id = "v2", timestamp = "2026-01-20T12:00:00Z" },
                new { event_id = "4", type = "page_view", customer_id = "v3", timestamp = "2026-02-14T12:00:00Z" },
                new { event_id = "5", type = "order_paid", customer_id = "v3", timestamp = "2026-03-03T12:00:00Z", properties = new { order_id = "o5", amount = 9.00m } },
            },
        }))
        {
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        }

        var body = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(
            "/api/v1/analytics/retention?from=2026-01-01&to=2026-02-28&grain=month&periods=2&basis=first_visit"));

        Assert.Equal("first_visit", body.GetProperty("basis").GetString());
        var cohorts = body.GetProperty("cohorts").EnumerateArray().ToList();
        Assert.Equal([2, 1], cohorts.Select(c => c.GetProperty("size").GetInt32()));
        // January (v1, v2): v1 back in February → 1/2; nobody in March → 0. February (v3): nobody visited in March.
        Assert.Equal([1.0, 0.5, 0.0], cohorts[0].GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("rate").GetDouble()));
        Assert.Equal([1.0, 0.0], cohorts[1].GetProperty("periods").EnumerateArray().Take(2).Select(p => p.GetProperty("rate").GetDouble()));
        // February's period 2 is April, not ended on 15 April.
        Assert.Equal(0, cohorts[1].GetProperty("periods")[2].GetProperty("eligible").GetInt32());
        Assert.Equal(JsonValueKind.Null, cohorts[0].GetProperty("periods")[0].GetProperty("revenue").ValueKind);
    }
}
