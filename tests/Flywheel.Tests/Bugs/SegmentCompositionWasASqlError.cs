using Flywheel.Tests.Modules.Segments.Membership;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Bugs;

/// <summary>
/// A segment's composition joined the members to the customers' joined traits and RFM scores with a second ON after
/// the LEFT JOINs, which SQLite rejects as a syntax error, so the composition answered 500 for every segment.
/// </summary>
public sealed class SegmentCompositionWasASqlError
{
    [Fact]
    public async Task Composition_CountsTheMembersByCity()
    {
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(SegmentShop.Now)));
        await SegmentShop.BuildAsync(app);
        await SegmentShop.SettleAsync(app);
        await SegmentShop.CreateAsync(app, "hangzhou", "city = '杭州'");

        var composition = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/segments/hangzhou/composition"));

        // c2, c5 and c7 live in 杭州 (SegmentShop).
        Assert.Equal(3, composition.GetProperty("members").GetInt64());
        var city = composition.GetProperty("city").EnumerateArray().Select(s => (s.GetProperty("value").GetString(), s.GetProperty("customers").GetInt64()));
        Assert.Equal([("杭州", 3L)], city);
    }
}
