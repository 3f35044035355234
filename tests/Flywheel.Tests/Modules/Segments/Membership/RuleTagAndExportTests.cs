using System.Net;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Flywheel.Tests.Modules.Segments.Membership.SegmentShop;

namespace Flywheel.Tests.Modules.Segments.Membership;

/// <summary>
/// Rule tags carried by exactly the customers meeting their condition, kept current like segments; a segment's members
/// as CSV; and a segment's composition, all on <see cref="SegmentShop"/>.
/// </summary>
public sealed class RuleTagAndExportTests
{
    [Fact]
    public async Task ARuleTag_IsComputedOnCreation_AndFollowsNewOrders()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await BuildAsync(app);
        await SettleAsync(app);
        await Ok(app.PostJsonAsync("/api/v1/tags", new { name = "big-spender", kind = "rule", condition = "total_spend > 1000" }));
        // Spent over 1,000: c1 (1,100) and c5 (1,200).
        await WaitUntilAsync(async () => (await TagMembersAsync(app, "big-spender")).SequenceEqual(["c1", "c5"]));

        // c2 (550 so far) pays 500 more: 1,050.
        await Order(app, "c2", "2026-11-20T03:00:00Z", 500m, "baby");
        await WaitUntilAsync(async () => (await TagMembersAsync(app, "big-spender")).SequenceEqual(["c1", "c2", "c5"]));
        Assert.Equal(3, await CountAsync(app, "has tag 'big-spender'"));

        // Changing the condition recomputes the tag: over 1,100 leaves c2 (1,050) and c5 (1,200); c1 has exactly 1,100.
        using var changed = await Customers.Tags.TagTestData.SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/big-spender",
            new { condition = "total_spend > 1100" });
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        await WaitUntilAsync(async () => (await TagMembersAsync(app, "big-spender")).SequenceEqual(["c5"]));
    }

    [Fact]
    public async Task Members_ExportAsCsv_AndTheCompositionCountsThem()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await BuildAsync(app);
        await SettleAsync(app);
        await CreateAsync(app, "south", "city in ('上海', '杭州')");

        using var csv = await app.Client.GetAsync("/api/v1/segments/south/members.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        // Everyone in 上海 or 杭州: c1, c2, c4, c5, c7, c8, all since the segment was made.
        Assert.Equal("customer_id,since", lines[0]);
        Assert.Equal(["c1", "c2", "c4", "c5", "c7", "c8"], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",2026-11-20T04:00:00.000Z", l));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/segments/nope/members.csv")).StatusCode);

        var composition = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/segments/south/composition"));
        Assert.Equal(6, composition.GetProperty("members").GetInt64());
        // Cities: 上海 c1, c4, c8; 杭州 c2, c5, c7.
        var cities = composition.GetProperty("city").EnumerateArray()
            .ToDictionary(c => c.GetProperty("value").GetString()!, c => c.GetProperty("customers").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["上海"] = 3, ["杭州"] = 3 }, cities);
        // Lifecycle on 20 Nov: c1 dormant (last 20 Sep), c5 lost (20 May), c2 active (10 and 15 Nov), c4 new (one order,
        // 1 Nov), c7 new (12 Nov), c8 won back (3 Nov after 1 Aug, a gap over 30 days).
        var stages = composition.GetProperty("lifecycle").EnumerateArray()
            .ToDictionary(c => c.GetProperty("value").GetString()!, c => c.GetProperty("customers").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["dormant"] = 1, ["lost"] = 1, ["active"] = 1, ["new"] = 2, ["won_back"] = 1 }, stages);
    }

    private static async Task<string[]> TagMembersAsync(FlywheelApp app, string tag)
    {
        var page = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/tags/{tag}/customers?limit=500"));
        return [.. page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("customer_id").GetString()!)];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
