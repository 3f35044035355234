using System.Text.Json;
using Flywheel.Modules.Customers.Ingestion;

namespace Flywheel.Tests.Modules.Customers;

/// <summary>Expected values are written by hand from the Segment e-commerce spec v2 and docs/events.md.</summary>
public sealed class SegmentMapperTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 11, 12, 0, 0, TimeSpan.Zero);
    private static readonly SegmentMapper.Envelope Envelope = new("203.0.113.9", Received);

    private static IncomingEvent Map(string json, string? kind = null, SegmentMapper.Envelope? envelope = null)
    {
        // The mapper may hand back parts of the message itself, so the message must outlive the result.
        using var doc = JsonDocument.Parse(json);
        return SegmentMapper.Map(doc.RootElement.Clone(), kind, envelope ?? Envelope);
    }

    [Theory]
    [InlineData("Products Searched", "search")]
    [InlineData("Product Viewed", "product_view")]
    [InlineData("Product Added", "add_to_cart")]
    [InlineData("Product Removed", "remove_from_cart")]
    [InlineData("Checkout Started", "checkout_started")]
    [InlineData("Order Completed", "order_paid")]
    [InlineData("Order Placed", "order_placed")]
    [InlineData("Order Updated", "order_updated")]
    [InlineData("Order Refunded", "order_refunded")]
    [InlineData("Order Cancelled", "order_cancelled")]
    [InlineData("Coupon Applied", "coupon_redeemed")]
    [InlineData("Product Reviewed", "review_submitted")]
    [InlineData("Product Shared", "share")]
    [InlineData("Cart Shared", "share")]
    [InlineData("Signed Up", "sign_up")]
    [InlineData("Signed In", "sign_in")]
    [InlineData("Email Delivered", "message_delivered")]
    [InlineData("Email Opened", "message_opened")]
    [InlineData("Email Link Clicked", "message_clicked")]
    [InlineData("Unsubscribed", "unsubscribed")]
    [InlineData("order completed", "order_paid")]
    [InlineData("Wishlist Viewed", "wishlist_viewed")]
    [InlineData("  Gift Card -- Redeemed! ", "gift_card_redeemed")]
    [InlineData("checkoutStep2Viewed", "checkout_step2_viewed")]
    [InlineData("Level 10 Reached", "level_10_reached")]
    public void TrackName_MapsToFlywheelType(string name, string expected) =>
        Assert.Equal(expected, SegmentMapper.TypeForTrackName(name));

    [Fact]
    public void SnakeCase_OfNameWithoutAsciiLettersOrDigits_IsLeftForTheValidatorToRefuse() =>
        Assert.Equal("加入购物车", SegmentMapper.SnakeCase("加入购物车"));

    [Fact]
    public void Track_ProductViewed_CarriesSkuFromProductIdAndKeepsTheRest()
    {
        var e = Map("""
            {"type":"track","messageId":"m1","userId":"u1","anonymousId":"a1","event":"Product Viewed",
             "timestamp":"2026-11-11T08:00:00+08:00",
             "properties":{"product_id":"P-1","name":"Face cream","category":"beauty","brand":"Acme","price":129.9,"quantity":1,"variant":"50ml"}}
            """);

        Assert.Equal("m1", e.EventId);
        Assert.Equal("product_view", e.Type);
        Assert.Equal("u1", e.CustomerId);
        Assert.Equal("a1", e.AnonymousId);
        Assert.Equal("2026-11-11T08:00:00+08:00", e.Timestamp);
        var p = e.Properties;
        Assert.Equal("P-1", p.GetProperty("sku").GetString());
        Assert.Equal("P-1", p.GetProperty("product_id").GetString());
        Assert.Equal("Face cream", p.GetProperty("name").GetString());
        Assert.Equal("beauty", p.GetProperty("category").GetString());
        Assert.Equal("Acme", p.GetProperty("brand").GetString());
        Assert.Equal("129.9", p.GetProperty("price").GetRawText());
        Assert.Equal(1, p.GetProperty("quantity").GetInt32());
        Assert.Equal("50ml", p.GetProperty("variant").GetString());
    }

    [Fact]
    public void Track_ProductAdded_WithOwnSku_KeepsIt()
    {
        var e = Map("""{"type":"track","messageId":"m","userId":"u","event":"Product Added","properties":{"sku":"S-9","product_id":"P-1"}}""");
        Assert.Equal("add_to_cart", e.Type);
        Assert.Equal("S-9", e.Properties.GetProperty("sku").GetString());
    }

    [Fact]
    public void Track_OrderCompleted_BecomesOrderPaidWithAmountLinesAndMainCategory()
    {
        // Segment spec example shape: total is what was paid, revenue excludes shipping and tax.
        var e = Map("""
            {"type":"track","messageId":"m2","userId":"u1","event":"Order Completed",
             "properties":{"order_id":"O-1","total":338.5,"revenue":320,"shipping":18.5,"discount":20,"coupon":"NEW20","currency":"CNY",
               "products":[
                 {"product_id":"P-1","name":"Cream","category":"beauty","brand":"Acme","price":100,"quantity":1},
                 {"sku":"S-2","product_id":"P-2","name":"Diapers","category":"baby","price":120,"quantity":2,"url":"https://shop.example/p/2"}]}}
            """);

        Assert.Equal("order_paid", e.Type);
        var p = e.Properties;
        Assert.Equal("O-1", p.GetProperty("order_id").GetString());
        Assert.Equal("338.5", p.GetProperty("amount").GetRawText());
        Assert.Equal("CNY", p.GetProperty("currency").GetString());
        Assert.Equal("NEW20", p.GetProperty("coupon").GetString());
        Assert.Equal("20", p.GetProperty("discount").GetRawText());
        Assert.Equal("18.5", p.GetProperty("shipping").GetRawText());
        // baby: 120 × 2 = 240 > beauty: 100 × 1.
        Assert.Equal("baby", p.GetProperty("category").GetString());
        Assert.False(p.TryGetProperty("products", out _));
        var lines = p.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("P-1", lines[0].GetProperty("sku").GetString());
        Assert.Equal("Cream", lines[0].GetProperty("name").GetString());
        Assert.Equal("beauty", lines[0].GetProperty("category").GetString());
        Assert.Equal("Acme", lines[0].GetProperty("brand").GetString());
        Assert.Equal(1, lines[0].GetProperty("quantity").GetInt32());
        Assert.Equal("100", lines[0].GetProperty("price").GetRawText());
        Assert.Equal("S-2", lines[1].GetProperty("sku").GetString());
        Assert.Equal("https://shop.example/p/2", lines[1].GetProperty("url").GetString());
    }

    [Fact]
    public void Track_OrderCompleted_WithoutTotal_UsesRevenue()
    {
        var e = Map("""{"type":"track","messageId":"m","userId":"u","event":"Order Completed","properties":{"order_id":"O-2","revenue":99.9}}""");
        Assert.Equal("99.9", e.Properties.GetProperty("amount").GetRawText());
    }

    [Fact]
    public void Track_OrderCompleted_WithTooManyDecimals_IsPassedOnUnrounded()
    {
        // Money is never rounded on the way in; the validator refuses 3 decimals for CNY.
        var e = Map("""{"type":"track","messageId":"m","userId":"u","event":"Order Completed","properties":{"order_id":"O-3","total":199.505}}""");
        Assert.Equal("199.505", e.Properties.GetProperty("amount").GetRawText());
    }

    [Fact]
    public void Track_CouponApplied_NamesTheCoupon()
    {
        var e = Map("""{"type":"track","messageId":"m","userId":"u","event":"Coupon Applied","properties":{"order_id":"O-1","coupon_id":"C-7","coupon_name":"DOUBLE11"}}""");
        Assert.Equal("coupon_redeemed", e.Type);
        Assert.Equal("DOUBLE11", e.Properties.GetProperty("coupon").GetString());
        Assert.Equal("C-7", e.Properties.GetProperty("coupon_id").GetString());
    }

    [Fact]
    public void Page_BecomesPageViewWithNameAndPageContext()
    {
        var e = Map("""
            {"messageId":"p1","anonymousId":"a1","name":"Home","channel":"browser",
             "properties":{"url":"https://shop.example/?utm_source=wechat","path":"/","title":"Shop","referrer":"https://search.example/"},
             "context":{"ip":"198.51.100.7","userAgent":"Mozilla/5.0","device":{"type":"mobile"},
               "campaign":{"source":"wechat","medium":"social","name":"double11","content":"banner","term":"cream"}}}
            """, SegmentMapper.Page);

        Assert.Equal("page_view", e.Type);
        Assert.Null(e.CustomerId);
        Assert.Equal("a1", e.AnonymousId);
        Assert.Equal("Home", e.Properties.GetProperty("name").GetString());
        Assert.Equal("/", e.Properties.GetProperty("path").GetString());
        Assert.Equal("Shop", e.Properties.GetProperty("title").GetString());
        var c = e.Context;
        Assert.Equal("browser", c.Channel);
        Assert.Equal("wechat", c.UtmSource);
        Assert.Equal("social", c.UtmMedium);
        Assert.Equal("double11", c.UtmCampaign);
        Assert.Equal("banner", c.UtmContent);
        Assert.Equal("cream", c.UtmTerm);
        Assert.Equal("https://shop.example/?utm_source=wechat", c.Url);
        Assert.Equal("https://search.example/", c.Referrer);
        Assert.Equal("mobile", c.Device);
        Assert.Equal("198.51.100.7", c.Ip);
        Assert.Equal("Mozilla/5.0", c.UserAgent);
    }

    [Fact]
    public void Track_ContextPage_GivesUrlAndReferrer_AndRemoteIpFillsMissingIp()
    {
        var e = Map("""
            {"type":"track","messageId":"m","userId":"u","event":"Product Viewed",
             "context":{"channel":"app","page":{"url":"https://shop.example/p/1","referrer":"https://ads.example/"}}}
            """);
        Assert.Equal("app", e.Context.Channel);
        Assert.Equal("https://shop.example/p/1", e.Context.Url);
        Assert.Equal("https://ads.example/", e.Context.Referrer);
        Assert.Equal("203.0.113.9", e.Context.Ip);
    }

    [Fact]
    public void BatchContext_FillsFieldsTheMessageLacks()
    {
        using var batchContext = JsonDocument.Parse("""{"userAgent":"batch-agent","campaign":{"source":"email"}}""");
        var envelope = Envelope with { BatchContext = batchContext.RootElement };
        var e = Map("""{"type":"track","messageId":"m","userId":"u","event":"X","context":{"userAgent":"own-agent"}}""", envelope: envelope);
        Assert.Equal("own-agent", e.Context.UserAgent);
        Assert.Equal("email", e.Context.UtmSource);
    }

    [Fact]
    public void Identify_CarriesTraitsAsProperties()
    {
        var e = Map("""{"messageId":"i1","userId":42,"anonymousId":"a1","traits":{"email":"li@example.com","city":"Hangzhou"}}""", SegmentMapper.Identify);
        Assert.Equal("identify", e.Type);
        Assert.Equal("42", e.CustomerId);
        Assert.Equal("li@example.com", e.Properties.GetProperty("email").GetString());
        Assert.Equal("Hangzhou", e.Properties.GetProperty("city").GetString());
    }

    [Fact]
    public void Screen_IsAScreenView_AndAliasKeepsThePreviousId()
    {
        var screen = Map("""{"messageId":"s1","userId":"u","name":"Cart"}""", SegmentMapper.Screen);
        Assert.Equal("screen_view", screen.Type);
        Assert.Equal("Cart", screen.Properties.GetProperty("name").GetString());

        var alias = Map("""{"messageId":"al1","userId":"u","previousId":"a1"}""", SegmentMapper.Alias);
        Assert.Equal("alias", alias.Type);
        Assert.Equal("a1", alias.Properties.GetProperty("previous_id").GetString());
    }

    [Fact]
    public void UnknownMessageType_HasNoType()
    {
        var e = Map("""{"type":"bogus","messageId":"m","userId":"u"}""");
        Assert.Null(e.Type);
    }

    [Fact]
    public void Timestamp_FallsBackToOriginalTimestampCorrectedBySentAt()
    {
        // The client's clock is 10 minutes fast: it sent at 12:10 (its time) an event it saw at 12:05 (its time).
        // The server received at 12:00, so the event happened 5 minutes earlier: 11:55.
        var envelope = Envelope with { SentAt = "2026-11-11T12:10:00Z" };
        var e = Map("""{"type":"track","messageId":"m","userId":"u","event":"X","originalTimestamp":"2026-11-11T12:05:00Z"}""", envelope: envelope);
        Assert.Equal(new DateTimeOffset(2026, 11, 11, 11, 55, 0, TimeSpan.Zero), DateTimeOffset.Parse(e.Timestamp!, System.Globalization.CultureInfo.InvariantCulture));

        var noSentAt = Map("""{"type":"track","messageId":"m","userId":"u","event":"X","originalTimestamp":"2026-11-11T12:05:00Z"}""");
        Assert.Equal("2026-11-11T12:05:00Z", noSentAt.Timestamp);

        var none = Map("""{"type":"track","messageId":"m","userId":"u","event":"X"}""");
        Assert.Null(none.Timestamp);
    }

    [Fact]
    public void MissingMessageId_IsDerivedFromTheMessage_IgnoringSentAtAndContext()
    {
        var a = Map("""{"type":"track","userId":"u","event":"Product Viewed","timestamp":"2026-11-11T00:00:00Z","properties":{"sku":"S"},"sentAt":"2026-11-11T00:00:01Z"}""");
        var retried = Map("""{"type":"track","userId":"u","event":"Product Viewed","timestamp":"2026-11-11T00:00:00Z","properties":{"sku":"S"},"sentAt":"2026-11-11T00:09:00Z","context":{"ip":"1.2.3.4"}}""");
        var other = Map("""{"type":"track","userId":"u","event":"Product Viewed","timestamp":"2026-11-11T00:00:00Z","properties":{"sku":"T"}}""");

        Assert.StartsWith(SegmentMapper.DerivedIdPrefix, a.EventId, StringComparison.Ordinal);
        Assert.Equal(a.EventId, retried.EventId);
        Assert.NotEqual(a.EventId, other.EventId);
    }
}
