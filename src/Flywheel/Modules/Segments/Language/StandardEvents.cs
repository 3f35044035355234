using Flywheel.Platform.Events;
using static Flywheel.Modules.Segments.Language.AttributeType;

namespace Flywheel.Modules.Segments.Language;

/// <summary>The standard event types of docs/events.md with the properties that page documents.</summary>
public static class StandardEvents
{
    private static readonly ValueList<AttributeDefinition> Product =
    [
        new("sku", Text, "The product's SKU."),
        new("name", Text, "Product name."),
        new("category", Text, "Category, possibly a path (beauty/face/cream)."),
        new("brand", Text, "Brand."),
        new("price", Money, "Unit price."),
        new("quantity", Number, "How many."),
    ];

    private static readonly ValueList<AttributeDefinition> Order =
    [
        new("order_id", Text, "The shop's order id."),
        new("amount", Money, "What the customer paid (or was refunded)."),
        new("currency", Text, "ISO 4217 code."),
        new("coupon", Text, "The coupon code used."),
        new("category", Text, "The order's main category."),
        new("refund_id", Text, "Tells partial refunds of one order apart."),
    ];

    private static readonly ValueList<AttributeDefinition> Review =
    [
        new("order_id", Text, "The order reviewed."),
        new("sku", Text, "The product reviewed."),
        new("name", Text, "Product name."),
        new("category", Text, "Category."),
        new("brand", Text, "Brand."),
        new("price", Money, "Unit price."),
        new("rating", Number, "1 to 5."),
        new("text", Text, "The review."),
        new("language", Text, "zh-CN, en, ..."),
    ];

    private static readonly ValueList<AttributeDefinition> Page =
    [
        new("url", Text, "The page's URL."),
        new("path", Text, "The URL's path."),
        new("title", Text, "The page's title."),
        new("referrer", Text, "The referring URL."),
        new("name", Text, "The page's name."),
    ];

    private static readonly ValueList<AttributeDefinition> Coupon = [new("coupon", Text, "The coupon code.")];

    public static IReadOnlyList<EventDefinition> All { get; } =
    [
        new(EventTypes.PageView, Page),
        new(EventTypes.Search, [new("query", Text, "What was searched for.")]),
        new(EventTypes.ProductView, Product),
        new(EventTypes.AddToCart, Product),
        new(EventTypes.RemoveFromCart, Product),
        new(EventTypes.CheckoutStarted, Order),
        new(EventTypes.OrderPlaced, Order),
        new(EventTypes.OrderPaid, Order),
        new(EventTypes.OrderCancelled, Order),
        new(EventTypes.OrderRefunded, Order),
        new(EventTypes.ReviewSubmitted, Review),
        new(EventTypes.CouponClaimed, Coupon),
        new(EventTypes.CouponRedeemed, Coupon),
        new(EventTypes.SignUp,
        [
            new("method", Text, "How the customer registered (phone, email, wechat, ...)."),
            new("channel", Text, "The acquisition channel."),
            new("acquisition_cost", Money, "What one customer from that channel costs."),
        ]),
        new(EventTypes.SignIn, []),
        new(EventTypes.Identify, []),
        new(EventTypes.CheckIn, []),
        new(EventTypes.Share, []),
        new(EventTypes.InviteAccepted, []),
        new(EventTypes.MessageDelivered, []),
        new(EventTypes.MessageOpened, []),
        new(EventTypes.MessageClicked, []),
        new(EventTypes.Unsubscribed, []),
    ];
}
