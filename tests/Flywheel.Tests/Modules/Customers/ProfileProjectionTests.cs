using Flywheel.Modules.Customers.Model;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Modules.Customers;

public sealed class ProfileProjectionTests
{
    [Fact]
    public async Task Events_MoveFirstAndLastSeen_AndIdentifyFillsTheProfile()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostEventsAsync(
            new { event_id = "1", type = "page_view", anonymous_id = "anon-9", customer_id = "c1", timestamp = "2026-11-11T10:00:00+08:00" },
            new
            {
                event_id = "2", type = "identify", customer_id = "c1", timestamp = "2026-11-11T09:30:00+08:00",
                properties = new { name = "李雷", email = "LiLei@Example.com", gender = "男", birthday = "1995-06-18", city = "杭州", vip_level = 3 },
            },
            new { event_id = "3", type = "search", customer_id = "c1", timestamp = "2026-11-12T08:00:00Z" });

        var customer = await LoadAsync(app, "c1");

        // First seen is the earliest timestamp (09:30 +08:00 = 01:30 UTC), whatever the arrival order.
        Assert.Equal(new DateTimeOffset(2026, 11, 11, 1, 30, 0, TimeSpan.Zero), customer.FirstSeenAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 12, 8, 0, 0, TimeSpan.Zero), customer.LastSeenAt);
        Assert.Equal("李雷", customer.Name);
        Assert.Equal("lilei@example.com", customer.Email);
        Assert.Equal("male", customer.Gender);
        Assert.Equal(new DateOnly(1995, 6, 18), customer.Birthday);
        Assert.Equal("杭州", customer.City);
        Assert.Contains("\"vip_level\":3", customer.Attributes, StringComparison.Ordinal);
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var link = await db.IdentityLinks.SingleAsync(l => l.AnonymousId == "anon-9");
        Assert.Equal("c1", link.CustomerExternalId);
    }

    [Fact]
    public async Task Projection_AfterRestart_AppliesEachEventOnce()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostEventsAsync(new { event_id = "1", type = "page_view", customer_id = "c2", timestamp = "2026-11-01T00:00:00Z" });
        await LoadAsync(app, "c2");
        await app.RestartAsync();
        await app.PostEventsAsync(new { event_id = "2", type = "page_view", customer_id = "c2", timestamp = "2026-11-03T00:00:00Z" });

        var customer = await LoadAsync(app, "c2");

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), customer.FirstSeenAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero), customer.LastSeenAt);
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        Assert.Equal(1, await db.Customers.CountAsync(c => c.ExternalId == "c2"));
    }

    [Fact]
    public async Task ManyCustomersInOneStep_AreAllCreatedWithTheirOwnFirstAndLastSeen()
    {
        await using var app = await FlywheelApp.StartAsync();
        // 450 customers: two full 200-row statements and a remainder of 50. Customer i is seen at minute i and i + 1000.
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var events = Enumerable.Range(0, 450).SelectMany(i => new object[]
        {
            new { event_id = $"a{i}", type = "page_view", customer_id = $"m{i}", anonymous_id = $"anon-m{i}", timestamp = start.AddMinutes(i + 1000).ToString("O") },
            new { event_id = $"b{i}", type = "page_view", customer_id = $"m{i}", anonymous_id = $"anon-m{i}", timestamp = start.AddMinutes(i).ToString("O") },
        }).ToArray();
        await app.PostEventsAsync(events[..900]);

        var last = await LoadAsync(app, "m449");

        Assert.Equal(start.AddMinutes(449), last.FirstSeenAt);
        Assert.Equal(start.AddMinutes(1449), last.LastSeenAt);
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        Assert.Equal(450, await db.Customers.CountAsync(c => EF.Functions.Like(c.ExternalId, "m%")));
        Assert.Equal(450, await db.IdentityLinks.CountAsync(l => l.AnonymousId.StartsWith("anon-m")));
        var m7 = await db.Customers.SingleAsync(c => c.ExternalId == "m7");
        Assert.Equal((start.AddMinutes(7), start.AddMinutes(1007)), (m7.FirstSeenAt!.Value, m7.LastSeenAt!.Value));
    }

    [Fact]
    public async Task AnonymousId_ThatSignsInAsSomeoneElse_FollowsTheNewCustomer()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostEventsAsync(new { event_id = "1", type = "sign_in", customer_id = "first", anonymous_id = "shared-device" });
        await LoadAsync(app, "first");
        // The same link again changes nothing; then the device signs in as another customer.
        await app.PostEventsAsync(new { event_id = "2", type = "page_view", customer_id = "first", anonymous_id = "shared-device" });
        await LoadAsync(app, "first");
        await app.PostEventsAsync(new { event_id = "3", type = "sign_in", customer_id = "second", anonymous_id = "shared-device" });
        await LoadAsync(app, "second");

        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var link = await db.IdentityLinks.SingleAsync(l => l.AnonymousId == "shared-device");
        Assert.Equal("second", link.CustomerExternalId);
    }

    [Fact]
    public async Task Profiles_RebuiltFromTheEventStore_MatchTheOnesBuiltLive()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostEventsAsync(
            new { event_id = "1", type = "page_view", customer_id = "r1", anonymous_id = "ra1", timestamp = "2026-11-02T00:00:00Z" },
            new { event_id = "2", type = "identify", customer_id = "r1", timestamp = "2026-11-03T00:00:00Z", properties = new { name = "韩梅梅", city = "上海" } },
            new { event_id = "3", type = "search", customer_id = "r2", anonymous_id = "ra2", timestamp = "2026-11-01T00:00:00Z" },
            new { event_id = "4", type = "search", customer_id = "r1", timestamp = "2026-11-05T00:00:00Z" });
        await LoadAsync(app, "r1");
        var live = await SnapshotAsync(app);

        // Forget the projection's work: on restart it starts from nothing and must read every event back from the
        // event store, the path a projection takes when it is behind the live feed.
        var store = app.Services.GetRequiredService<StateStore>();
        await using (var db = store.Open())
        {
            await db.Customers.ExecuteDeleteAsync();
            await db.IdentityLinks.ExecuteDeleteAsync();
            await db.ProjectionCheckpoints.Where(c => c.Name == "customers.profiles").ExecuteDeleteAsync();
        }
        await app.RestartAsync();
        await LoadAsync(app, "r1");

        Assert.Equal(live, await SnapshotAsync(app));
        Assert.Contains("r1 韩梅梅 上海 2026-11-02 2026-11-05", live);
    }

    private static async Task<List<string>> SnapshotAsync(FlywheelApp app)
    {
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var customers = (await db.Customers.AsNoTracking().ToListAsync())
            .Select(c => $"{c.ExternalId} {c.Name} {c.City} {c.FirstSeenAt:yyyy-MM-dd} {c.LastSeenAt:yyyy-MM-dd}");
        var links = (await db.IdentityLinks.AsNoTracking().ToListAsync()).Select(l => $"{l.AnonymousId}->{l.CustomerExternalId}");
        return customers.Concat(links).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<Customer> LoadAsync(FlywheelApp app, string externalId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        return await db.Customers.AsNoTracking().SingleAsync(c => c.ExternalId == externalId);
    }
}
