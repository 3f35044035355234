using System.Net;
using System.Text.Json;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Analytics;

/// <summary>
/// Spend joined to attribution, and the channel-path Sankey, on the shop of <see cref="MarketingDashboardTests"/>:
/// paths c1 baidu → o1 100.00; c2 douyin > direct → o2 60.00; c3 wechat → o3 40.00; c4 baidu → o4 50.00. Spend over
/// 8–9 Nov: baidu 50 + 30 = 80.00, douyin 40.00, wechat none.
/// </summary>
public sealed class AttributionSpendTests
{
    [Fact]
    public async Task EveryModel_ShowsRevenueConversionsRoasAndRoi_PerChannel()
    {
        await using var app = await FlywheelApp.StartAsync();
        await MarketingDashboardTests.BuildShopAsync(app);

        using var response = await app.Client.GetAsync("/api/v1/analytics/attribution?from=2026-11-08&to=2026-11-09&gross_margin=0.4");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await FlywheelApp.ReadJsonAsync(response);
        Assert.Equal(0.4m, body.GetProperty("gross_margin").GetDecimal());
        var channels = body.GetProperty("attribution").GetProperty("channels").EnumerateArray()
            .ToDictionary(c => c.GetProperty("channel").GetString()!);
        Assert.Equal(80.00m, channels["baidu"].GetProperty("spend").GetDecimal());
        Assert.Equal(40.00m, channels["douyin"].GetProperty("spend").GetDecimal());
        Assert.Equal(JsonValueKind.Null, channels["wechat"].GetProperty("spend").ValueKind);

        // First touch: baidu o1 + o4 = 2, 150.00: ROAS 150 / 80 = 1.875, ROI (150 × 0.4 − 80) / 80 = −0.25;
        // douyin o2 = 1, 60.00: ROAS 60 / 40 = 1.5, ROI (24 − 40) / 40 = −0.4.
        AssertCredit(channels["baidu"], "first_touch", 2, 150.00m, 1.875m, -0.25m);
        AssertCredit(channels["douyin"], "first_touch", 1, 60.00m, 1.5m, -0.4m);
        // Last touch gives o2 to direct: douyin earns nothing, ROAS 0, ROI (0 − 40) / 40 = −1.
        AssertCredit(channels["douyin"], "last_touch", 0, 0m, 0m, -1m);
        // Last non-direct skips the direct visit: o2 is douyin's again.
        AssertCredit(channels["douyin"], "last_non_direct", 1, 60.00m, 1.5m, -0.4m);
        // Linear halves o2: douyin 0.5, 30.00: ROAS 30 / 40 = 0.75, ROI (12 − 40) / 40 = −0.7.
        AssertCredit(channels["douyin"], "linear", 0.5, 30.00m, 0.75m, -0.7m);
        // wechat has no spend: no returns under any model.
        var wechat = channels["wechat"].GetProperty("by_model").GetProperty("first_touch");
        Assert.Equal(JsonValueKind.Null, wechat.GetProperty("roas").ValueKind);
        Assert.Equal(JsonValueKind.Null, wechat.GetProperty("roi").ValueKind);
    }

    [Fact]
    public async Task WithoutAMargin_RoasIsShown_AndRoiIsUnknown()
    {
        await using var app = await FlywheelApp.StartAsync();
        await MarketingDashboardTests.BuildShopAsync(app);

        var body = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/analytics/attribution?from=2026-11-08&to=2026-11-09"));
        var baidu = body.GetProperty("attribution").GetProperty("channels").EnumerateArray()
            .Single(c => c.GetProperty("channel").GetString() == "baidu").GetProperty("by_model").GetProperty("last_non_direct");
        // o1 + o4 = 150.00 over 80.00.
        Assert.Equal(1.875m, baidu.GetProperty("roas").GetDecimal());
        Assert.Equal(JsonValueKind.Null, baidu.GetProperty("roi").ValueKind);
    }

    [Fact]
    public async Task Sankey_OfTheShopsPaths_WeighsEachLinkByItsPaths()
    {
        await using var app = await FlywheelApp.StartAsync();
        await MarketingDashboardTests.BuildShopAsync(app);

        using var response = await app.Client.GetAsync("/api/v1/analytics/attribution/sankey?from=2026-11-08&to=2026-11-09&paths=5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sankey = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("sankey");

        // Paths: baidu twice (c1, c4); douyin > direct once; wechat once.
        var links = sankey.GetProperty("links").EnumerateArray()
            .ToDictionary(l => (l.GetProperty("source").GetString(), l.GetProperty("target").GetString()), l => l.GetProperty("weight").GetInt64());
        Assert.Equal(
            new Dictionary<(string?, string?), long>
            {
                [("1:baidu", "conversion")] = 2,
                [("1:douyin", "2:direct")] = 1,
                [("2:direct", "conversion")] = 1,
                [("1:wechat", "conversion")] = 1,
            },
            links);
        // 2 + 1 + 1 conversions flow into the outcome.
        Assert.Equal(4, sankey.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "conversion").GetProperty("weight").GetInt64());

        using var bad = await app.Client.GetAsync("/api/v1/analytics/attribution/sankey?paths=0&include_non_converting=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await FlywheelApp.ReadJsonAsync(bad)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("paths", out _));
        Assert.True(errors.TryGetProperty("include_non_converting", out _));
    }

    private static void AssertCredit(JsonElement channel, string model, double conversions, decimal value, decimal roas, decimal roi)
    {
        var credit = channel.GetProperty("by_model").GetProperty(model);
        Assert.Equal(conversions, credit.GetProperty("conversions").GetDouble(), 9);
        Assert.Equal(value, credit.GetProperty("value").GetDecimal());
        Assert.Equal(roas, credit.GetProperty("roas").GetDecimal());
        Assert.Equal(roi, credit.GetProperty("roi").GetDecimal());
    }
}
