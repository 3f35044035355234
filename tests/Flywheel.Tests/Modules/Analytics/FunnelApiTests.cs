using System.Net;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Analytics;

/// <summary>Funnels through the API on events sent through ingestion; the figures are counted by hand below.</summary>
public sealed class FunnelApiTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 17, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Funnel_CountsVisitors_WithAnonymousBrowsingLinkedToTheCustomer()
    {
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        await Ok(app.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                // c1: view, cart 30 min later, pays 30 min after that.
                new { event_id = "1", type = "product_view", customer_id = "c1", timestamp = "2026-11-02T10:00:00Z" },
                new { event_id = "2", type = "add_to_cart", customer_id = "c1", timestamp = "2026-11-02T10:30:00Z" },
                new { event_id = "3", type = "order_paid", customer_id = "c1", timestamp = "2026-11-02T11:00:00Z", properties = new { order_id = "o1", amount = 10.00m } },
                // An anonymous view, then the visitor signs in as c2 and adds to the cart 20 min after the view.
                new { event_id = "4", type = "product_view", anonymous_id = "a9", timestamp = "2026-11-03T09:00:00Z" },
                new { event_id = "5", type = "identify", customer_id = "c2", anonymous_id = "a9", timestamp = "2026-11-03T09:10:00Z" },
                new { event_id = "6", type = "add_to_cart", customer_id = "c2", timestamp = "2026-11-03T09:20:00Z" },
                // c3 only views.
                new { event_id = "7", type = "product_view", customer_id = "c3", timestamp = "2026-11-04T10:00:00Z" },
            },
        }));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await app.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
        }

        using var response = await app.PostJsonAsync("/api/v1/analytics/funnels", new
        {
            steps = new[] { "product_view", "add_to_cart", "order_paid" },
            from = "2026-11-01",
            to = "2026-11-10",
            window_days = 7,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var steps = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("steps").EnumerateArray().ToList();
        // Entered c1, c2 (through a9), c3; cart c1, c2; paid c1. Every window closed before 17 Nov: no one waits.
        Assert.Equal([3, 2, 1], steps.Select(s => s.GetProperty("reached").GetInt32()));
        Assert.Equal([0, 1, 1], steps.Select(s => s.GetProperty("dropped").GetInt32()));
        Assert.Equal([0, 0, 0], steps.Select(s => s.GetProperty("waiting").GetInt32()));
        Assert.Equal(0.6667, steps[1].GetProperty("conversion").GetDouble());
        Assert.Equal(0.5, steps[2].GetProperty("conversion").GetDouble());
        // View → cart: c1 30 min, c2 20 min → median 25 min. Cart → pay: c1 30 min.
        Assert.Equal(1500, steps[1].GetProperty("median_seconds_from_previous").GetDouble());
        Assert.Equal(1800, steps[2].GetProperty("median_seconds_from_previous").GetDouble());
    }

    [Fact]
    public async Task Funnel_FollowsLinksLearnedAfterAnEarlierQuestion_AndALaterLinkReplacesAnEarlierOne()
    {
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        var funnel = new { steps = new[] { "product_view", "add_to_cart" }, from = "2026-11-01", to = "2026-11-10", window_days = 7 };
        async Task<int[]> ReachedAsync()
        {
            using var response = await app.PostJsonAsync("/api/v1/analytics/funnels", funnel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return [.. (await FlywheelApp.ReadJsonAsync(response)).GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("reached").GetInt32())];
        }

        // An anonymous view only: one anonymous visitor entered, no cart.
        await Ok(app.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[] { new { event_id = "1", type = "product_view", anonymous_id = "a5", timestamp = "2026-11-03T09:00:00Z" } },
        }));
        Assert.Equal(new[] { 1, 0 }, await ReachedAsync());

        // a5 signs in as c5, who adds to the cart: the view is now c5's, and c5 reached the cart.
        await Ok(app.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                new { event_id = "2", type = "identify", customer_id = "c5", anonymous_id = "a5", timestamp = "2026-11-03T09:10:00Z" },
                new { event_id = "3", type = "add_to_cart", customer_id = "c5", timestamp = "2026-11-03T09:20:00Z" },
            },
        }));
        Assert.Equal(new[] { 1, 1 }, await ReachedAsync());

        // Later the same browser signs in as c6: the link follows the last event carrying both ids, so the view is c6's,
        // and c6 has no cart — one visitor entered (c6), none reached the cart; c5's cart has no entry of its own.
        await Ok(app.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[] { new { event_id = "4", type = "identify", customer_id = "c6", anonymous_id = "a5", timestamp = "2026-11-04T09:00:00Z" } },
        }));
        Assert.Equal(new[] { 1, 0 }, await ReachedAsync());
    }

    [Theory]
    [InlineData("""{"steps":["product_view"]}""", "steps")]
    [InlineData("""{"steps":["product_view","Add To Cart"]}""", "steps[1]")]
    [InlineData("""{"steps":["product_view","add_to_cart"],"order":"sideways"}""", "order")]
    [InlineData("""{"steps":["product_view","add_to_cart"],"window_days":0}""", "window_days")]
    [InlineData("""{"steps":["product_view","add_to_cart"],"from":"2026-11-10","to":"2026-11-01"}""", "from")]
    public async Task BadFunnels_AreRefusedNamingTheField(string body, string field)
    {
        await using var app = await FlywheelApp.StartAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await app.Client.PostAsync("/api/v1/analytics/funnels", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    private static async Task Ok(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
