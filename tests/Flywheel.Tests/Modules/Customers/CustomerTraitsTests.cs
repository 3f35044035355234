using System.Globalization;
using System.Net;
using System.Text.Json;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Customers;

/// <summary>
/// A customer's computed traits and lifecycle stage through the API, for customers whose orders were sent through the
/// orders API; every expected value is worked out by hand in the comments. "Now" is 17 Nov 2026 04:00 UTC.
/// </summary>
public sealed class CustomerTraitsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 17, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Traits_OfACustomerWithPaidRefundedCancelledAndForeignOrders_FollowTheDefinitions()
    {
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("a", "t1", "2026-06-01T10:00:00Z", "WELCOME", "wechat",
            ("baby", 2, 50.00m), ("beauty", 1, 30.00m))));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("b", "t1", "2026-09-15T10:00:00Z", null, "app",
            ("beauty", 1, 80.00m), ("food", 1, 20.00m))));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("c", "t1", "2026-11-10T10:00:00Z", "D11", "app", ("toys", 1, 15.50m))));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("d", "t1", "2026-11-12T10:00:00Z", null, null, ("toys", 1, 999.00m)) with { Status = "cancelled", PaidAt = null }));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("e", "t1", "2026-11-01T10:00:00Z", null, null, ("toys", 1, 9.99m)) with { Currency = "USD" }));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("f", "t1", "2026-11-13T10:00:00Z", null, null, ("toys", 1, 5.00m)) with { Status = "placed", PaidAt = null }));
        await Ok(app.PostJsonAsync("/api/v1/orders/b/refunds", new { refund_id = "r1", amount = 20.00m, refunded_at = "2026-09-20T10:00:00Z" }));
        await Ok(app.PostJsonAsync("/api/v1/orders/b/refunds", new { refund_id = "r2", amount = 10.00m, refunded_at = "2026-09-21T10:00:00Z" }));
        await WaitForProjectionsAsync(app);

        var t = await TraitsAsync(app, "t1");
        Assert.Equal("CNY", t.GetProperty("currency").GetString());
        // a 130.00 (2 × 50.00 + 30.00), b 100.00, c 15.50; d was cancelled, f only placed, e is in USD.
        Assert.Equal(3, t.GetProperty("paid_orders").GetInt32());
        Assert.Equal(245.50m, t.GetProperty("total_spend").GetDecimal());
        Assert.Equal(30.00m, t.GetProperty("refunded").GetDecimal());
        Assert.Equal(215.50m, t.GetProperty("net_spend").GetDecimal());
        // 245.50 / 3 = 81.8333… → 81.83.
        Assert.Equal(81.83m, t.GetProperty("average_order_value").GetDecimal());
        Assert.Equal(2, t.GetProperty("refund_count").GetInt32());
        Assert.Equal(DateTimeOffset.Parse("2026-06-01T10:00:00Z", CultureInfo.InvariantCulture), t.GetProperty("first_order_at").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2026-11-10T10:00:00Z", CultureInfo.InvariantCulture), t.GetProperty("last_order_at").GetDateTimeOffset());
        // 10 Nov 10:00 → 17 Nov 04:00 is 6 days 18 hours: 6 whole days.
        Assert.Equal(6, t.GetProperty("days_since_last_order").GetInt32());
        // 1 Jun → 10 Nov = 29 + 31 + 31 + 30 + 31 + 10 = 162 days over two gaps: 81.
        Assert.Equal(81.0, t.GetProperty("average_days_between_orders").GetDouble(), 9);
        // a and c used coupons: 2 of 3.
        Assert.Equal(2.0 / 3, t.GetProperty("coupon_use_rate").GetDouble(), 9);
        // beauty 30.00 + 80.00 = 110.00, baby 100.00, food 20.00, toys 15.50.
        Assert.Equal(["beauty", "baby", "food"], t.GetProperty("favourite_categories").EnumerateArray().Select(c => c.GetString()));
        // No registration channel: the first paid order's.
        Assert.Equal("wechat", t.GetProperty("acquisition_channel").GetString());
        Assert.Equal(1, t.GetProperty("other_currency_orders").GetInt32());
        // Back on 10 Nov after 56 days without an order (15 Sep → 10 Nov = 15 + 31 + 10): won back until 10 Dec.
        AssertLifecycle(t, "won_back", "2026-11-10T10:00:00Z", "2026-12-10T10:00:00Z");
    }

    [Fact]
    public async Task Lifecycle_OfCustomersAtEachStage_AsOfNow()
    {
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        await Ok(app.PostJsonAsync("/api/v1/customers", new { external_id = "prospect", registration_channel = "douyin" }));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("l1", "lost", "2026-07-01T00:00:00Z", null, null, ("food", 1, 10.00m))));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("v1", "active", "2026-11-01T04:00:00Z", null, null, ("food", 1, 10.00m))));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("v2", "active", "2026-11-05T04:00:00Z", null, null, ("food", 1, 10.00m))));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("s1", "dormant", "2026-09-18T04:00:00Z", null, null, ("food", 1, 10.00m))));
        await WaitForProjectionsAsync(app);

        var prospect = await TraitsAsync(app, "prospect");
        Assert.Equal(0, prospect.GetProperty("paid_orders").GetInt32());
        Assert.Equal(JsonValueKind.Null, prospect.GetProperty("average_order_value").ValueKind);
        Assert.Equal("douyin", prospect.GetProperty("acquisition_channel").GetString());
        AssertLifecycle(prospect, "prospect", null, null);
        // 1 Jul + 90 days = 29 Sep (30 days to 31 Jul, 31 to 31 Aug, 29 more): lost since then, for good.
        AssertLifecycle(await TraitsAsync(app, "lost"), "lost", "2026-09-29T00:00:00Z", null);
        // Last order 5 Nov, the one before 4 days earlier: active until 5 Dec.
        AssertLifecycle(await TraitsAsync(app, "active"), "active", "2026-11-05T04:00:00Z", "2026-12-05T04:00:00Z");
        // 18 Sep → 17 Nov is 12 + 31 + 17 = 60 days: dormant since 18 Oct, lost on 17 Dec (90 days).
        AssertLifecycle(await TraitsAsync(app, "dormant"), "dormant", "2026-10-18T04:00:00Z", "2026-12-17T04:00:00Z");

        using var missing = await app.Client.GetAsync("/api/v1/customers/nobody/traits");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private sealed record OrderRequest(
        string OrderId, string CustomerId, string Status, string Currency, object[] Lines, decimal Total, string? Coupon, string? Channel,
        string PlacedAt, string? PaidAt);

    /// <summary>An order of the given lines, paid (unless changed) at <paramref name="at"/> and placed a minute before.</summary>
    private static OrderRequest Order(string id, string customer, string at, string? coupon, string? channel, params (string Category, int Quantity, decimal Price)[] lines)
    {
        var paid = DateTimeOffset.Parse(at, CultureInfo.InvariantCulture);
        return new OrderRequest(id, customer, "paid", "CNY",
            lines.Select((l, i) => (object)new { sku = $"SKU-{l.Category}-{i}", category = l.Category, quantity = l.Quantity, price = l.Price }).ToArray(),
            lines.Sum(l => l.Quantity * l.Price), coupon, channel, paid.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture), at);
    }

    private static async Task Ok(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonElement> TraitsAsync(FlywheelApp app, string customer)
    {
        using var response = await app.Client.GetAsync($"/api/v1/customers/{customer}/traits");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await FlywheelApp.ReadJsonAsync(response);
        Assert.Equal(customer, body.GetProperty("customer_id").GetString());
        return body;
    }

    private static void AssertLifecycle(JsonElement traits, string stage, string? since, string? changesAt)
    {
        var lifecycle = traits.GetProperty("lifecycle");
        Assert.Equal(stage, lifecycle.GetProperty("stage").GetString());
        Assert.Equal(Instant(since), Instant(lifecycle.GetProperty("since")));
        Assert.Equal(Instant(changesAt), Instant(lifecycle.GetProperty("changes_at")));
    }

    private static DateTimeOffset? Instant(string? text) => text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static DateTimeOffset? Instant(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDateTimeOffset();

    private static async Task WaitForProjectionsAsync(FlywheelApp app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
        await app.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
    }
}
