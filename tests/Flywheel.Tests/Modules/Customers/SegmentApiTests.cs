using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Customers;

public sealed class SegmentApiTests
{
    /// <summary>A client as Segment libraries configure it: the write key as Basic user name, empty password.</summary>
    private static HttpClient SegmentClient(FlywheelApp app, string writeKey)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<List<JsonElement>> TimelineAsync(FlywheelApp app, string customerId)
    {
        var body = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/customers/{customerId}/events?limit=500"));
        return body.GetProperty("items").EnumerateArray().ToList();
    }

    [Fact]
    public async Task Track_WithBasicAuth_IsStoredAsTheMappedType()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = SegmentClient(app, app.PublicKey);

        var response = await client.PostAsync("/v1/track", Json("""
            {"messageId":"t1","userId":"c1","event":"Product Added","timestamp":"2026-11-11T10:00:00+08:00",
             "properties":{"product_id":"P-1","name":"Cream","price":59.9,"quantity":2},
             "context":{"campaign":{"source":"wechat","medium":"social"},"userAgent":"ua/1"}}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await FlywheelApp.ReadJsonAsync(response);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(1, body.GetProperty("stored").GetInt32());
        var e = Assert.Single(await TimelineAsync(app, "c1"));
        Assert.Equal("t1", e.GetProperty("event_id").GetString());
        Assert.Equal("add_to_cart", e.GetProperty("type").GetString());
        Assert.Equal("P-1", e.GetProperty("properties").GetProperty("sku").GetString());
        Assert.Equal("wechat", e.GetProperty("context").GetProperty("utm_source").GetString());
        Assert.Equal("ua/1", e.GetProperty("context").GetProperty("user_agent").GetString());
        // No context.ip in the message: the request's address is used.
        Assert.Equal("127.0.0.1", e.GetProperty("context").GetProperty("ip").GetString());
        Assert.Equal(new DateTime(2026, 11, 11, 2, 0, 0, DateTimeKind.Utc), e.GetProperty("timestamp").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public async Task Identify_StoresTraitsAsProperties()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = SegmentClient(app, app.PublicKey);

        var response = await client.PostAsync("/v1/identify", Json("""
            {"messageId":"i1","userId":"c2","anonymousId":"anon-2","traits":{"email":"wang@example.com","gender":"f"}}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var e = Assert.Single(await TimelineAsync(app, "c2"));
        Assert.Equal("identify", e.GetProperty("type").GetString());
        Assert.Equal("anon-2", e.GetProperty("anonymous_id").GetString());
        Assert.Equal("wang@example.com", e.GetProperty("properties").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Page_StoresPageViewWithUrlAndReferrer()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = SegmentClient(app, app.SecretKey);

        var response = await client.PostAsync("/v1/page", Json("""
            {"messageId":"p1","userId":"c3","name":"Home",
             "properties":{"url":"https://shop.example/","path":"/","title":"Shop","referrer":"https://search.example/"}}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var e = Assert.Single(await TimelineAsync(app, "c3"));
        Assert.Equal("page_view", e.GetProperty("type").GetString());
        Assert.Equal("Home", e.GetProperty("properties").GetProperty("name").GetString());
        Assert.Equal("https://shop.example/", e.GetProperty("context").GetProperty("url").GetString());
        Assert.Equal("https://search.example/", e.GetProperty("context").GetProperty("referrer").GetString());
    }

    [Fact]
    public async Task Screen_And_Alias_AreStored()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = SegmentClient(app, app.PublicKey);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/screen", Json("""{"messageId":"s1","userId":"c4","name":"Cart"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/alias", Json("""{"messageId":"al1","userId":"c4","previousId":"anon-4"}"""))).StatusCode);

        var types = (await TimelineAsync(app, "c4")).Select(e => e.GetProperty("type").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["alias", "screen_view"], types);
    }

    [Fact]
    public async Task Batch_OrderCompleted_ArrivesAsOrderPaidWithAmountAndLines()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = SegmentClient(app, app.PublicKey);

        var response = await client.PostAsync("/v1/batch", Json("""
            {"batch":[
              {"type":"track","messageId":"o1","userId":"c5","event":"Order Completed","timestamp":"2026-11-11T00:00:00Z",
               "properties":{"order_id":"ORD-1","total":259.8,"revenue":249.8,"shipping":10,"currency":"CNY","coupon":"D11",
                 "products":[{"product_id":"P-1","name":"Cream","category":"beauty","brand":"Acme","price":129.9,"quantity":2}]}},
              {"type":"page","messageId":"o2","userId":"c5","name":"Thanks"}
            ],"sentAt":"2026-11-11T00:00:01Z"}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await FlywheelApp.ReadJsonAsync(response);
        Assert.Equal(2, body.GetProperty("stored").GetInt32());
        var order = Assert.Single(await TimelineAsync(app, "c5"), e => e.GetProperty("type").GetString() == "order_paid");
        var p = order.GetProperty("properties");
        Assert.Equal("ORD-1", p.GetProperty("order_id").GetString());
        Assert.Equal(259.8m, p.GetProperty("amount").GetDecimal());
        Assert.Equal("CNY", p.GetProperty("currency").GetString());
        Assert.Equal("D11", p.GetProperty("coupon").GetString());
        Assert.Equal("beauty", p.GetProperty("category").GetString());
        var line = Assert.Single(p.GetProperty("lines").EnumerateArray());
        Assert.Equal("P-1", line.GetProperty("sku").GetString());
        Assert.Equal(2, line.GetProperty("quantity").GetInt32());
        Assert.Equal(129.9m, line.GetProperty("price").GetDecimal());

        // The same order sent again, under another message id, counts once (orders dedupe by order_id).
        var again = await client.PostAsync("/v1/track", Json("""
            {"messageId":"o1-retry","userId":"c5","event":"Order Completed","properties":{"order_id":"ORD-1","total":259.8}}
            """));
        Assert.Equal(1, (await FlywheelApp.ReadJsonAsync(again)).GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task Batch_OrderWithMoreDecimalsThanTheCurrency_IsRefusedNotRounded()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = SegmentClient(app, app.PublicKey);

        var response = await client.PostAsync("/v1/batch", Json("""
            {"batch":[{"type":"track","messageId":"m","userId":"c6","event":"Order Completed","properties":{"order_id":"O","total":10.005}}]}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await FlywheelApp.ReadJsonAsync(response);
        var rejected = Assert.Single(body.GetProperty("rejected").EnumerateArray());
        Assert.True(rejected.GetProperty("errors").TryGetProperty("properties.amount", out _));
    }

    [Fact]
    public async Task MessageWithoutMessageId_SentTwice_IsStoredOnce()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = SegmentClient(app, app.PublicKey);
        const string message = """{"userId":"c7","event":"Wishlist Viewed","timestamp":"2026-11-11T00:00:00Z","properties":{"items":3}}""";

        var first = await FlywheelApp.ReadJsonAsync(await client.PostAsync("/v1/track", Json(message)));
        var second = await FlywheelApp.ReadJsonAsync(await client.PostAsync("/v1/track", Json(message)));

        Assert.Equal(1, first.GetProperty("stored").GetInt32());
        Assert.Equal(1, second.GetProperty("duplicates").GetInt32());
        var e = Assert.Single(await TimelineAsync(app, "c7"));
        Assert.Equal("wishlist_viewed", e.GetProperty("type").GetString());
    }

    [Fact]
    public async Task WriteKeyInBody_WithoutAuthorizationHeader_IsAccepted()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = app.CreateClient();

        var response = await client.PostAsync("/v1/track", Json(
            $$"""{"writeKey":"{{app.PublicKey}}","messageId":"w1","userId":"c8","event":"Signed In"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sign_in", Assert.Single(await TimelineAsync(app, "c8")).GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/v1/batch")]
    [InlineData("/v1/track")]
    [InlineData("/v1/identify")]
    [InlineData("/v1/page")]
    public async Task BadKey_IsUnauthorized(string path)
    {
        await using var app = await FlywheelApp.StartAsync();
        using var basic = SegmentClient(app, "fw_pk_notakeynotakeynotakeynotakey");
        using var none = app.CreateClient();

        var withBadBasic = await basic.PostAsync(path, Json("""{"batch":[],"userId":"u","event":"X"}"""));
        var withBadBodyKey = await none.PostAsync(path, Json("""{"writeKey":"fw_pk_wrong","batch":[],"userId":"u","event":"X"}"""));
        var withNoKey = await none.PostAsync(path, Json("""{"batch":[],"userId":"u","event":"X"}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, withBadBasic.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withBadBodyKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withNoKey.StatusCode);
    }

    [Fact]
    public async Task MalformedJson_IsABadRequestProblem()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = SegmentClient(app, app.PublicKey);

        var response = await client.PostAsync("/v1/batch", Json("""{"batch":[{"type":"track",}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await FlywheelApp.ReadJsonAsync(response);
        Assert.True(body.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task BodyOverOneMegabyte_IsRefused()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = SegmentClient(app, app.PublicKey);
        var padding = new string('x', 1024 * 1024);

        var response = await client.PostAsync("/v1/track", Json($$$"""{"messageId":"big","userId":"u","event":"X","properties":{"pad":"{{{padding}}}"}}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
