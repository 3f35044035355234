using System.Net;
using System.Text.Json;
using Flywheel.Modules.Promotions.GroupBuys;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.GroupBuys;

/// <summary>
/// 拼团 through HTTP: seats never overfill under concurrent joins, a full group settles every member, a timed-out one
/// releases everything (or completes virtually per its setting), the group price goes through pricing and combines with
/// coupons only when the campaign says so, and bad input is refused naming its field. Amounts in yuan.
/// </summary>
public sealed class GroupBuyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FortyParallelJoins_ToAGroupOfThree_SeatExactlyTwo_AndTheFullGroupSettlesEveryMember()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var campaign = await CampaignAsync(app, new { group_size = 3 });
        var opened = await PromotionsClient.CreatedAsync(await OpenAsync(app, campaign, "leader", "open-1"));
        var groupId = opened.GetProperty("group").GetProperty("id").GetString()!;
        // The leader pays the group price: 59 for a line listed at 99.
        Assert.Equal(59m, opened.GetProperty("reservation").GetProperty("quote").GetProperty("payable").GetDecimal());

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => JoinAsync(app, campaign, groupId, $"c{i}", $"join-{i}")));

        // 3 seats, the leader has one: 2 joins get in, 38 are told the group is full.
        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(38, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var group = await app.GetJsonAsync($"/api/v1/group-buys/{campaign}/groups/{groupId}");
        Assert.Equal("succeeded", group.GetProperty("state").GetString());
        Assert.Equal(3, group.GetProperty("members_joined").GetInt32());
        Assert.Equal(0, group.GetProperty("virtual_members").GetInt32());
        var members = group.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(3, members.Count);
        Assert.All(members, m => Assert.Equal("committed", m.GetProperty("state").GetString()));
        // Each member's reservation is committed with the order it named, and its seat is spent.
        var leaderSeat = members.Single(m => m.GetProperty("customer_id").GetString() == "leader").GetProperty("reservation_id").GetString();
        var leader = await app.GetJsonAsync($"/api/v1/checkout/{leaderSeat}");
        Assert.Equal("order-open-1", leader.GetProperty("order_id").GetString());
        Assert.Contains(leader.GetProperty("holds").EnumerateArray(), h => h.GetProperty("resource").GetString() == GroupBuyKeys.Seats(groupId));
    }

    [Fact]
    public async Task AFullGroup_RefusesMore_ACustomerSitsOnce_AndTheSameKeyAnswersAsBefore()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var campaign = await CampaignAsync(app, new { group_size = 2 });
        var groupId = (await PromotionsClient.CreatedAsync(await OpenAsync(app, campaign, "leader", "open-1"))).GetProperty("group").GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Conflict, (await JoinAsync(app, campaign, groupId, "leader", "again")).StatusCode);
        var joined = await PromotionsClient.CreatedAsync(await JoinAsync(app, campaign, groupId, "c1", "join-1"));
        var retry = await JoinAsync(app, campaign, groupId, "c1", "join-1");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(joined.GetProperty("reservation").GetProperty("id").GetString(), (await FlywheelApp.ReadJsonAsync(retry)).GetProperty("reservation").GetProperty("id").GetString());
        var full = await JoinAsync(app, campaign, groupId, "c2", "join-2");
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        Assert.Contains("succeeded", await full.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A seat is settled by its group, never through checkout.
        var seat = joined.GetProperty("reservation").GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Conflict, (await app.ReleaseAsync(seat)).StatusCode);
    }

    [Fact]
    public async Task TheGroupPrice_CombinesWithACoupon_OnlyWhenTheCampaignSaysSo()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var template = (await app.CreateTemplateAsync(new { name = "¥10 off", @class = "order", reward = new { kind = "amount_off", amount = 10 }, combines_with = new[] { "item" } }))
            .GetProperty("id").GetString()!;
        var combining = await CampaignAsync(app, new { group_size = 2, combines_with = new[] { "order" } });
        var alone = await CampaignAsync(app, new { group_size = 2 });

        // Combining: 99 → group price 59, then the ¥10 order coupon: 59 − 10 = 49; the coupon is held with the seat.
        var code = await app.ClaimAsync(template, "leader");
        var withCoupon = await PromotionsClient.CreatedAsync(await OpenAsync(app, combining, "leader", "open-1", code));
        var reservation = withCoupon.GetProperty("reservation");
        Assert.Equal(49m, reservation.GetProperty("quote").GetProperty("payable").GetDecimal());
        Assert.Contains(reservation.GetProperty("holds").EnumerateArray(), h => h.GetProperty("resource").GetString() == "coupon:" + code);
        // The member's order replays like any checkout: the group price is kept with what it was priced with.
        Assert.True((await app.GetJsonAsync($"/api/v1/checkout/{reservation.GetProperty("id").GetString()}/replay")).GetProperty("identical").GetBoolean());

        // Standing alone: the coupon is not priced with the group price: 59, and nothing of the coupon is held.
        var other = await app.ClaimAsync(template, "second");
        var without = await PromotionsClient.CreatedAsync(await OpenAsync(app, alone, "second", "open-2", other));
        Assert.Equal(59m, without.GetProperty("reservation").GetProperty("quote").GetProperty("payable").GetDecimal());
        Assert.DoesNotContain(without.GetProperty("reservation").GetProperty("holds").EnumerateArray(), h => h.GetProperty("resource").GetString() == "coupon:" + other);
    }

    [Fact]
    public async Task ATimedOutGroup_ReleasesEveryMemberAndTheirCoupons_AndTakesNoMoreJoins()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await CheckoutTests.StartAsync(clock);
        var template = (await app.CreateTemplateAsync(new { name = "¥10 off", @class = "order", reward = new { kind = "amount_off", amount = 10 }, combines_with = new[] { "item" } }))
            .GetProperty("id").GetString()!;
        var campaign = await CampaignAsync(app, new { group_size = 3, time_limit_hours = 2, combines_with = new[] { "order" } });
        var code = await app.ClaimAsync(template, "leader");
        var groupId = (await PromotionsClient.CreatedAsync(await OpenAsync(app, campaign, "leader", "open-1", code))).GetProperty("group").GetProperty("id").GetString()!;
        await PromotionsClient.CreatedAsync(await JoinAsync(app, campaign, groupId, "c1", "join-1"));
        Assert.Equal(1, (await app.GetJsonAsync($"/api/v1/coupon-templates/{template}")).GetProperty("locked").GetInt32());

        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(HttpStatusCode.Conflict, (await JoinAsync(app, campaign, groupId, "c2", "join-2")).StatusCode);
        await app.Services.GetRequiredService<GroupBuyService>().SweepAsync(CancellationToken.None);

        var group = await app.GetJsonAsync($"/api/v1/group-buys/{campaign}/groups/{groupId}");
        Assert.Equal("failed", group.GetProperty("state").GetString());
        Assert.All(group.GetProperty("members").EnumerateArray(), m => Assert.Equal("released", m.GetProperty("state").GetString()));
        Assert.Equal(0, group.GetProperty("members_joined").GetInt32());
        // The coupon the leader used is free again.
        var templateView = await app.GetJsonAsync($"/api/v1/coupon-templates/{template}");
        Assert.Equal(0, templateView.GetProperty("locked").GetInt32());
        Assert.Equal(0, templateView.GetProperty("redeemed").GetInt32());
    }

    [Fact]
    public async Task VirtualCompletion_FillsAGroupWithEnoughMembers_AndFailsOneWithTooFew()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await CheckoutTests.StartAsync(clock);
        // Groups of 4 that complete virtually at the deadline with at least 2 real members.
        var campaign = await CampaignAsync(app, new { group_size = 4, time_limit_hours = 1, virtual_completion_min_members = 2 });
        var enough = (await PromotionsClient.CreatedAsync(await OpenAsync(app, campaign, "a", "open-a"))).GetProperty("group").GetProperty("id").GetString()!;
        await PromotionsClient.CreatedAsync(await JoinAsync(app, campaign, enough, "b", "join-b"));
        var tooFew = (await PromotionsClient.CreatedAsync(await OpenAsync(app, campaign, "c", "open-c"))).GetProperty("group").GetProperty("id").GetString()!;

        clock.Advance(TimeSpan.FromHours(1));
        await app.Services.GetRequiredService<GroupBuyService>().SweepAsync(CancellationToken.None);

        var completed = await app.GetJsonAsync($"/api/v1/group-buys/{campaign}/groups/{enough}");
        Assert.Equal("succeeded", completed.GetProperty("state").GetString());
        Assert.Equal(2, completed.GetProperty("virtual_members").GetInt32()); // 4 seats − 2 real members.
        Assert.All(completed.GetProperty("members").EnumerateArray(), m => Assert.Equal("committed", m.GetProperty("state").GetString()));
        var failed = await app.GetJsonAsync($"/api/v1/group-buys/{campaign}/groups/{tooFew}");
        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal("released", Assert.Single(failed.GetProperty("members").EnumerateArray()).GetProperty("state").GetString());

        var listed = await app.GetJsonAsync($"/api/v1/group-buys/{campaign}");
        Assert.Equal(1, listed.GetProperty("groups_succeeded").GetInt32());
        Assert.Equal(1, listed.GetProperty("groups_failed").GetInt32());
    }

    [Fact]
    public async Task BadInput_Is400NamingTheField_AndChangesNothing()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        Assert.Equal(["group_size"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/group-buys", Body(new { group_size = 1 }))));
        Assert.Equal(["virtual_completion_min_members"], await PromotionsClient.ErrorFieldsAsync(
            await app.PostJsonAsync("/api/v1/group-buys", Body(new { group_size = 3, virtual_completion_min_members = 3 }))));
        Assert.Equal(["combines_with[0]"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/group-buys", Body(new { group_size = 3, combines_with = new[] { "item" } }))));
        Assert.Equal(["group_price", "sku", "time_limit_hours"], await PromotionsClient.ErrorFieldsAsync(
            await app.PostJsonAsync("/api/v1/group-buys", new { name = "x", group_size = 3, time_limit_hours = 0 })));
        Assert.Empty((await app.GetJsonAsync("/api/v1/group-buys")).EnumerateArray());

        var campaign = await CampaignAsync(app, new { group_size = 3 });
        Assert.Equal(["Idempotency-Key"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync($"/api/v1/group-buys/{campaign}/groups", Cart("c1", "o1"))));
        var otherSku = new { customer = new { id = "c1" }, lines = new[] { new { id = "l1", sku = "tea", quantity = 1, unit_price = 99 } } };
        Assert.Equal(["lines"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync($"/api/v1/group-buys/{campaign}/groups", otherSku, "k1")));
        Assert.Empty((await app.GetJsonAsync($"/api/v1/group-buys/{campaign}/groups")).EnumerateArray());
    }

    [Fact]
    public async Task AKeyReusedForADifferentCart_IsRefusedWith422_AndHoldsNothingMore()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var campaign = await CampaignAsync(app, new { group_size = 3 });
        var groupId = (await PromotionsClient.CreatedAsync(await OpenAsync(app, campaign, "leader", "k-1"))).GetProperty("group").GetProperty("id").GetString()!;

        // The leader's key, sent again for another customer's cart (opening or joining): refused, not answered with the leader's seat.
        var reusedToOpen = await OpenAsync(app, campaign, "c1", "k-1");
        var reusedToJoin = await app.PostJsonAsync($"/api/v1/group-buys/{campaign}/groups/{groupId}/join", Cart("c1", "order-x"), "k-1");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity), (reusedToOpen.StatusCode, reusedToJoin.StatusCode));
        var group = await app.GetJsonAsync($"/api/v1/group-buys/{campaign}/groups/{groupId}");
        Assert.Equal(["leader"], group.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("customer_id").GetString()));
        Assert.Single((await app.GetJsonAsync($"/api/v1/group-buys/{campaign}/groups")).EnumerateArray());
        // The same cart with the same key is a retry: 200 with the leader's seat.
        Assert.Equal(HttpStatusCode.OK, (await OpenAsync(app, campaign, "leader", "k-1")).StatusCode);
    }

    /// <summary>An active campaign selling SKU "bag" at ¥59 in groups, with the given fields added.</summary>
    internal static async Task<string> CampaignAsync(FlywheelApp app, object fields) =>
        (await PromotionsClient.CreatedAsync(await app.PostJsonAsync("/api/v1/group-buys", Body(fields, "active")))).GetProperty("id").GetString()!;

    private static Dictionary<string, object?> Body(object fields, string status = "draft")
    {
        var body = new Dictionary<string, object?> { ["name"] = "Bag 拼团", ["status"] = status, ["sku"] = "bag", ["group_price"] = 59, ["time_limit_hours"] = 24 };
        foreach (var p in JsonSerializer.SerializeToElement(fields).EnumerateObject())
        {
            body[p.Name] = p.Value;
        }
        return body;
    }

    /// <summary>One bag listed at ¥99, for the shop's order <paramref name="orderId"/>.</summary>
    internal static object Cart(string customer, string orderId, params string[] codes) => new
    {
        customer = new { id = customer },
        lines = new[] { new { id = "l1", sku = "bag", category = "bags", quantity = 1, unit_price = 99 } },
        coupon_codes = codes,
        order_id = orderId,
    };

    internal static Task<HttpResponseMessage> OpenAsync(FlywheelApp app, string campaign, string customer, string key, params string[] codes) =>
        app.PostJsonAsync($"/api/v1/group-buys/{campaign}/groups", Cart(customer, "order-" + key, codes), key);

    internal static Task<HttpResponseMessage> JoinAsync(FlywheelApp app, string campaign, string groupId, string customer, string key) =>
        app.PostJsonAsync($"/api/v1/group-buys/{campaign}/groups/{groupId}/join", Cart(customer, "order-" + key), key);
}
