using System.Net;
using System.Text.Json;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.Bargains;

/// <summary>
/// 砍价 through HTTP: helps land exactly on the floor after the configured number, one help per helper even when
/// sent at once, the device and IP limits, expiry, buying at the floor price through checkout, and bad input. Amounts in yuan.
/// </summary>
public sealed class BargainTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FiveHelps_CutExactlyToTheFloor_EachWithinBounds_ThenTheFloorPriceIsBoughtOnce()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var campaign = await CampaignAsync(app, new { helpers = 5, min_cut = 1, max_cut = 40 });
        var bargain = await StartBargainAsync(app, campaign, "owner");
        Assert.Equal(100m, bargain.GetProperty("price").GetDecimal());
        var id = bargain.GetProperty("id").GetString()!;

        var cuts = new List<decimal>();
        for (var i = 0; i < 5; i++)
        {
            var help = await HelpAsync(app, campaign, id, $"friend{i}", $"device{i}", $"10.0.0.{i}");
            Assert.Equal(HttpStatusCode.OK, help.StatusCode);
            var cut = (await FlywheelApp.ReadJsonAsync(help)).GetProperty("cut").GetDecimal();
            Assert.InRange(cut, 1m, 40m);
            cuts.Add(cut);
        }
        // 100 − 1 = 99 cut in all, whatever the draws.
        Assert.Equal(99m, cuts.Sum());
        var done = await app.GetJsonAsync($"/api/v1/bargains/{campaign}/instances/{id}");
        Assert.Equal("succeeded", done.GetProperty("state").GetString());
        Assert.Equal(1m, done.GetProperty("price").GetDecimal());
        Assert.Equal(cuts, done.GetProperty("help_list").EnumerateArray().Select(h => h.GetProperty("cut").GetDecimal()));
        Assert.Equal(HttpStatusCode.Conflict, (await HelpAsync(app, campaign, id, "friend9", "device9", "10.0.0.9")).StatusCode);

        // Bought at the floor: the line listed at 100 costs 1; the shop commits it like any checkout.
        var reserved = await PromotionsClient.CreatedAsync(await app.PostJsonAsync($"/api/v1/bargains/{campaign}/instances/{id}/checkout", Cart("owner"), "buy-1"));
        Assert.Equal(1m, reserved.GetProperty("quote").GetProperty("payable").GetDecimal());
        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(reserved.GetProperty("id").GetString()!)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync($"/api/v1/bargains/{campaign}/instances/{id}/checkout", Cart("owner"), "buy-2")).StatusCode);
        // Someone else's cart does not buy it, and starting again gives back the same bargain.
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync($"/api/v1/bargains/{campaign}/instances/{id}/checkout", Cart("stranger"), "buy-3")).StatusCode);
        Assert.Equal(id, (await StartBargainAsync(app, campaign, "owner")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task OneHelpPerHelper_AndExactlyTheConfiguredHelps_UnderConcurrentHelps()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var campaign = await CampaignAsync(app, new { helpers = 5, per_device_limit = 100, per_ip_limit = 100 });
        var one = (await StartBargainAsync(app, campaign, "a")).GetProperty("id").GetString()!;
        var two = (await StartBargainAsync(app, campaign, "b")).GetProperty("id").GetString()!;

        // The same helper 20 times at once, from 20 devices: one help.
        var same = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => HelpAsync(app, campaign, one, "friend", $"d{i}", $"10.0.1.{i}")));
        Assert.Equal(1, same.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(19, same.Count(r => r.StatusCode == HttpStatusCode.Conflict));

        // 20 different helpers at once on a bargain of 5 helps: 5 get in, and they cut 100 − 1 = 99 exactly.
        var many = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => HelpAsync(app, campaign, two, $"f{i}", $"e{i}", $"10.0.2.{i}")));
        Assert.Equal(5, many.Count(r => r.StatusCode == HttpStatusCode.OK));
        var bargain = await app.GetJsonAsync($"/api/v1/bargains/{campaign}/instances/{two}");
        Assert.Equal(5, bargain.GetProperty("helps").GetInt32());
        Assert.Equal(99m, bargain.GetProperty("help_list").EnumerateArray().Sum(h => h.GetProperty("cut").GetDecimal()));
        Assert.Equal([1, 2, 3, 4, 5], bargain.GetProperty("help_list").EnumerateArray().Select(h => h.GetProperty("sequence").GetInt32()));
        Assert.Equal(1m, bargain.GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task TheSameDeviceOrAddress_IsLimited_AcrossTheCampaignsBargains()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var campaign = await CampaignAsync(app, new { helpers = 5, per_device_limit = 1, per_ip_limit = 2 });
        var a = (await StartBargainAsync(app, campaign, "a")).GetProperty("id").GetString()!;
        var b = (await StartBargainAsync(app, campaign, "b")).GetProperty("id").GetString()!;
        var c = (await StartBargainAsync(app, campaign, "c")).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await HelpAsync(app, campaign, a, "f1", "phone", "10.0.0.1")).StatusCode);
        // Another helper on the same phone, on another bargain: the phone's one help is used.
        var device = await HelpAsync(app, campaign, b, "f2", "phone", "10.0.0.2");
        Assert.Equal(HttpStatusCode.Conflict, device.StatusCode);
        Assert.Contains("Device phone", await device.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Two helps from one address (written as IPv4 and as IPv4-mapped IPv6), the third is refused.
        Assert.Equal(HttpStatusCode.OK, (await HelpAsync(app, campaign, b, "f3", "tablet", "10.0.0.9")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HelpAsync(app, campaign, c, "f4", "laptop", "::ffff:10.0.0.9")).StatusCode);
        var address = await HelpAsync(app, campaign, a, "f5", "watch", "10.0.0.9");
        Assert.Equal(HttpStatusCode.Conflict, address.StatusCode);
        Assert.Contains("IP address 10.0.0.9", await address.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The owner cannot help their own bargain.
        Assert.Equal(HttpStatusCode.Conflict, (await HelpAsync(app, campaign, a, "a", "own", "10.0.0.3")).StatusCode);
    }

    [Fact]
    public async Task AnExpiredBargain_TakesNoHelps_AndItsPriceCannotBeBought()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await CheckoutTests.StartAsync(clock);
        var campaign = await CampaignAsync(app, new { helpers = 1, time_limit_hours = 2 });
        var open = (await StartBargainAsync(app, campaign, "a")).GetProperty("id").GetString()!;
        var done = (await StartBargainAsync(app, campaign, "b")).GetProperty("id").GetString()!;
        // One help of at most 100 − 1 = 99: it cuts exactly 99.
        var help = await FlywheelApp.ReadJsonAsync(await HelpAsync(app, campaign, done, "f1", "d1", "10.0.0.1"));
        Assert.Equal(99m, help.GetProperty("cut").GetDecimal());

        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(HttpStatusCode.Conflict, (await HelpAsync(app, campaign, open, "f2", "d2", "10.0.0.2")).StatusCode);
        Assert.Equal("expired", (await app.GetJsonAsync($"/api/v1/bargains/{campaign}/instances/{open}")).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync($"/api/v1/bargains/{campaign}/instances/{done}/checkout", Cart("b"), "buy")).StatusCode);
        var expired = Assert.Single((await app.GetJsonAsync($"/api/v1/bargains/{campaign}/instances?state=expired")).EnumerateArray());
        Assert.Equal(open, expired.GetProperty("id").GetString());
    }

    [Fact]
    public async Task AKeyReusedForADifferentCart_IsRefusedWith422_AndTheFirstPurchaseStandsAlone()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var campaign = await CampaignAsync(app, new { helpers = 1 });
        var id = (await StartBargainAsync(app, campaign, "b")).GetProperty("id").GetString()!;
        await HelpAsync(app, campaign, id, "f1", "d1", "10.0.0.1");
        var path = $"/api/v1/bargains/{campaign}/instances/{id}/checkout";
        var bought = await PromotionsClient.CreatedAsync(await app.PostJsonAsync(path, Cart("b"), "buy"));

        // The key again, with a code entered this time: a different checkout, refused; the same cart again is a retry.
        var withCode = new { customer = new { id = "b" }, lines = new[] { new { id = "l1", sku = "kettle", category = "home", quantity = 1, unit_price = 100 } }, coupon_codes = new[] { "EXTRA" } };
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await app.PostJsonAsync(path, withCode, "buy")).StatusCode);
        var retry = await app.PostJsonAsync(path, Cart("b"), "buy");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(bought.GetProperty("id").GetString(), (await FlywheelApp.ReadJsonAsync(retry)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task BadInput_Is400NamingTheField_AndChangesNothing()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        Assert.Equal(["floor_price"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/bargains", Body(new { helpers = 5, floor_price = 100 }))));
        Assert.Equal(["helpers"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/bargains", Body(new { helpers = 0 }))));
        // 5 helps of at least ¥30 cut at least 150, more than the 99 between start and floor.
        Assert.Equal(["min_cut"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/bargains", Body(new { helpers = 5, min_cut = 30 }))));
        // 5 helps of at most ¥10 cut at most 50, less than 99.
        Assert.Equal(["max_cut"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/bargains", Body(new { helpers = 5, max_cut = 10 }))));
        Assert.Equal(["per_ip_limit"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/bargains", Body(new { helpers = 5, per_ip_limit = 0 }))));
        Assert.Empty((await app.GetJsonAsync("/api/v1/bargains")).EnumerateArray());

        var campaign = await CampaignAsync(app, new { helpers = 5 });
        Assert.Equal(["customer_id"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync($"/api/v1/bargains/{campaign}/instances", new { })));
        var id = (await StartBargainAsync(app, campaign, "a")).GetProperty("id").GetString()!;
        Assert.Equal(["ip"], await PromotionsClient.ErrorFieldsAsync(await HelpAsync(app, campaign, id, "f1", "d1", "not-an-ip")));
        Assert.Equal(["device_id", "helper_id"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync($"/api/v1/bargains/{campaign}/instances/{id}/help", new { ip = "10.0.0.1" })));
        Assert.Equal(0, (await app.GetJsonAsync($"/api/v1/bargains/{campaign}/instances/{id}")).GetProperty("helps").GetInt32());
    }

    /// <summary>An active campaign cutting SKU "kettle" from ¥100 to ¥1, with the given fields added.</summary>
    private static async Task<string> CampaignAsync(FlywheelApp app, object fields) =>
        (await PromotionsClient.CreatedAsync(await app.PostJsonAsync("/api/v1/bargains", Body(fields, "active")))).GetProperty("id").GetString()!;

    private static Dictionary<string, object?> Body(object fields, string status = "draft")
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Kettle 砍价", ["status"] = status, ["sku"] = "kettle", ["start_price"] = 100, ["floor_price"] = 1, ["time_limit_hours"] = 24,
        };
        foreach (var p in JsonSerializer.SerializeToElement(fields).EnumerateObject())
        {
            body[p.Name] = p.Value;
        }
        return body;
    }

    private static async Task<JsonElement> StartBargainAsync(FlywheelApp app, string campaign, string customer)
    {
        var response = await app.PostJsonAsync($"/api/v1/bargains/{campaign}/instances", new { customer_id = customer });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await FlywheelApp.ReadJsonAsync(response);
    }

    private static Task<HttpResponseMessage> HelpAsync(FlywheelApp app, string campaign, string bargain, string helper, string device, string ip) =>
        app.PostJsonAsync($"/api/v1/bargains/{campaign}/instances/{bargain}/help", new { helper_id = helper, device_id = device, ip });

    /// <summary>One kettle listed at ¥100.</summary>
    private static object Cart(string customer) => new
    {
        customer = new { id = customer },
        lines = new[] { new { id = "l1", sku = "kettle", category = "home", quantity = 1, unit_price = 100 } },
    };
}
