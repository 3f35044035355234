using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Customers;

/// <summary>GET /api/v1/customers/{id}/events after identify: what the visitor did anonymously is the customer's too.</summary>
public sealed class CustomerTimelineTests
{
    [Fact]
    public async Task Timeline_AfterIdentify_IncludesTheLinkedVisitorsAnonymousEvents_AndNoOthers()
    {
        await using var app = await FlywheelApp.StartAsync();
        (await app.PostEventsAsync(
            new { event_id = "anon-view", type = "page_view", anonymous_id = "a-1", timestamp = "2026-11-11T01:00:00Z" },
            new { event_id = "other-visitor", type = "page_view", anonymous_id = "a-2", timestamp = "2026-11-11T01:00:00Z" },
            // Same device, but another customer signed in on it: that event is theirs, not c-1's.
            new { event_id = "shared-device", type = "page_view", anonymous_id = "a-1", customer_id = "c-2", timestamp = "2026-11-11T01:30:00Z" },
            new { event_id = "known-view", type = "page_view", customer_id = "c-1", timestamp = "2026-11-11T03:00:00Z" })).EnsureSuccessStatusCode();
        Assert.Equal(["known-view"], await IdsAsync(app, "c-1"));

        (await app.PostEventsAsync(
            new { event_id = "login", type = "identify", anonymous_id = "a-1", customer_id = "c-1", timestamp = "2026-11-11T02:00:00Z" }))
            .EnsureSuccessStatusCode();

        // The link is written by the profile projection shortly after the identify is acknowledged.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        List<string> ids;
        while ((ids = await IdsAsync(app, "c-1")).Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        // Newest first, by event time.
        Assert.Equal(["known-view", "login", "anon-view"], ids);
        Assert.Equal(["shared-device"], await IdsAsync(app, "c-2"));
    }

    private static async Task<List<string>> IdsAsync(FlywheelApp app, string customerId)
    {
        var page = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/customers/{customerId}/events"));
        return [.. page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("event_id").GetString()!)];
    }
}
