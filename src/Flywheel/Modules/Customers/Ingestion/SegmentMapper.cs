using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Events;

namespace Flywheel.Modules.Customers.Ingestion;

/// <summary>
/// Translates messages of the Segment HTTP tracking API (track, identify, page, screen, alias, group) into Flywheel
/// events. Pure: the request's remote address and the receive time come in as arguments. The mapping table is in
/// docs/events.md; validation (money, lengths, required fields) stays with <see cref="EventValidator"/>.
/// </summary>
public static class SegmentMapper
{
    public const string Track = "track";
    public const string Identify = "identify";
    public const string Page = "page";
    public const string Screen = "screen";
    public const string Alias = "alias";
    public const string Group = "group";

    /// <summary>Custom type for app screens: kept apart from page_view so that PV (SPEC §5) counts web pages only.</summary>
    public const string ScreenView = "screen_view";

    /// <summary>Prefix of event ids derived from a message that has no messageId.</summary>
    public const string DerivedIdPrefix = "seg_";

    /// <summary>Segment e-commerce spec v2 (and common lifecycle) event names with a Flywheel standard type.</summary>
    public static readonly IReadOnlyDictionary<string, string> TrackNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Products Searched"] = EventTypes.Search,
        ["Product Viewed"] = EventTypes.ProductView,
        ["Product Added"] = EventTypes.AddToCart,
        ["Product Removed"] = EventTypes.RemoveFromCart,
        ["Checkout Started"] = EventTypes.CheckoutStarted,
        // "Order Completed" is Segment's purchase event: the order is paid.
        ["Order Completed"] = EventTypes.OrderPaid,
        // Not in the Segment spec but widely sent by shops whose payment happens later.
        ["Order Placed"] = EventTypes.OrderPlaced,
        ["Order Refunded"] = EventTypes.OrderRefunded,
        ["Order Cancelled"] = EventTypes.OrderCancelled,
        ["Coupon Applied"] = EventTypes.CouponRedeemed,
        ["Product Reviewed"] = EventTypes.ReviewSubmitted,
        ["Product Shared"] = EventTypes.Share,
        ["Cart Shared"] = EventTypes.Share,
        ["Signed Up"] = EventTypes.SignUp,
        ["Signed In"] = EventTypes.SignIn,
        ["Email Delivered"] = EventTypes.MessageDelivered,
        ["Email Opened"] = EventTypes.MessageOpened,
        ["Email Link Clicked"] = EventTypes.MessageClicked,
        ["Unsubscribed"] = EventTypes.Unsubscribed,
    };

    /// <summary>Where a message came from: what the request adds to what the message says.</summary>
    /// <param name="RemoteIp">The request's remote address, used when the message has no context.ip.</param>
    /// <param name="ReceivedAt">When the request arrived, to correct a client clock with sentAt.</param>
    /// <param name="SentAt">The batch's sentAt, for messages that carry none themselves.</param>
    /// <param name="BatchContext">A /v1/batch body's top-level context; each message's own context wins field by field.</param>
    public sealed record Envelope(string? RemoteIp, DateTimeOffset ReceivedAt, string? SentAt = null, JsonElement BatchContext = default);

    /// <summary>
    /// Maps one message. <paramref name="kind"/> is the message type implied by the endpoint (/v1/track → "track"),
    /// or null for /v1/batch, where each message names its own "type". Anything unusable is left for the validator
    /// to name (an unknown message type gives an event without a type).
    /// </summary>
    public static IncomingEvent Map(JsonElement message, string? kind, Envelope envelope)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return new IncomingEvent();
        }
        kind ??= Text(message, "type")?.ToLowerInvariant();
        string? type;
        JsonElement properties;
        switch (kind)
        {
            case Track:
                var name = Text(message, "event");
                type = name is null ? null : TypeForTrackName(name);
                properties = type is null ? Object(message, "properties") : TrackProperties(type, Object(message, "properties"));
                break;
            case Identify:
                type = EventTypes.Identify;
                properties = Object(message, "traits");
                break;
            case Page:
            case Screen:
                type = kind == Page ? EventTypes.PageView : ScreenView;
                properties = WithName(Object(message, "properties"), Text(message, "name"), Text(message, "category"));
                break;
            case Alias:
                type = Alias;
                properties = Build(w => WriteIfPresent(w, "previous_id", message, "previousId"));
                break;
            case Group:
                type = Group;
                properties = Build(w =>
                {
                    WriteIfPresent(w, "group_id", message, "groupId");
                    CopyAllExcept(w, Object(message, "traits"), "group_id");
                });
                break;
            default:
                type = null;
                properties = Object(message, "properties");
                break;
        }
        return new IncomingEvent
        {
            EventId = Text(message, "messageId") ?? DeriveEventId(message, kind),
            Type = type,
            CustomerId = Text(message, "userId"),
            AnonymousId = Text(message, "anonymousId"),
            Timestamp = Timestamp(message, envelope),
            Properties = properties,
            Context = Context(message, properties, type, envelope),
        };
    }

    /// <summary>The Flywheel type of a track event: a standard type when the name has one, else its snake_case.</summary>
    public static string TypeForTrackName(string name) =>
        TrackNames.TryGetValue(name.Trim(), out var standard) ? standard : SnakeCase(name);

    /// <summary>
    /// "Wishlist Viewed" → "wishlist_viewed", "checkoutStep2" → "checkout_step2": lower-case ASCII letters and
    /// digits, words joined by one '_'. A name with no ASCII letter or digit is returned as it is, so the validator
    /// refuses it with the rule for type names instead of storing it under an invented one.
    /// </summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        var pendingSeparator = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                // A lower-to-upper step starts a word ("productId" → "product_id").
                var wordStart = char.IsAsciiLetterUpper(c) && i > 0 && (char.IsAsciiLetterLower(name[i - 1]) || char.IsAsciiDigit(name[i - 1]));
                if ((pendingSeparator || wordStart) && sb.Length > 0)
                {
                    sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
                pendingSeparator = false;
            }
            else
            {
                pendingSeparator = true;
            }
        }
        return sb.Length == 0 ? name : sb.ToString();
    }

    /// <summary>
    /// A stable id for a message without messageId, so that a client retrying it does not store it twice: a hash of
    /// what the message says (kind, ids, event name, times, properties, traits), not of sentAt or the context, which a
    /// retry may change. Two identical messages without messageId and timestamp are, by this rule, one event.
    /// </summary>
    public static string DeriveEventId(JsonElement message, string? kind)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteStringValue(kind);
            foreach (var field in (ReadOnlySpan<string>)["userId", "anonymousId", "event", "name", "category", "timestamp", "originalTimestamp", "previousId", "groupId", "properties", "traits"])
            {
                if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty(field, out var v))
                {
                    w.WriteStringValue(field);
                    v.WriteTo(w);
                }
            }
            w.WriteEndArray();
        }
        return DerivedIdPrefix + Convert.ToHexStringLower(XxHash128.Hash(buffer.WrittenSpan));
    }

    /// <summary>
    /// timestamp, else originalTimestamp corrected for the client's clock as Segment does
    /// (receivedAt − (sentAt − originalTimestamp)), else originalTimestamp as it is, else null (= received now).
    /// </summary>
    private static string? Timestamp(JsonElement message, Envelope envelope)
    {
        if (Text(message, "timestamp") is { } timestamp)
        {
            return timestamp;
        }
        var original = Text(message, "originalTimestamp");
        if (original is null)
        {
            return null;
        }
        var sentAt = Text(message, "sentAt") ?? envelope.SentAt;
        if (sentAt is not null && Instants.TryParseUtc(original, out var originalAt) && Instants.TryParseUtc(sentAt, out var sent))
        {
            var corrected = envelope.ReceivedAt - (sent - originalAt);
            return corrected.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }
        return original;
    }

    /// <summary>Segment's product and order properties in Flywheel's standard names; everything else as sent.</summary>
    private static JsonElement TrackProperties(string type, JsonElement p)
    {
        if (p.ValueKind != JsonValueKind.Object)
        {
            return p;
        }
        if (EventTypes.IsOrderEvent(type) || type == EventTypes.CheckoutStarted)
        {
            return OrderProperties(p);
        }
        if (type == EventTypes.CouponRedeemed)
        {
            return Build(w =>
            {
                CopyAllExcept(w, p);
                if (!p.TryGetProperty("coupon", out _))
                {
                    WriteFirstPresent(w, "coupon", p, "coupon_name", "coupon_id");
                }
            });
        }
        // Product events (and any other event that names a product) get a sku: Segment's sku, else its product_id.
        if (!p.TryGetProperty("sku", out _) && p.TryGetProperty("product_id", out _))
        {
            return Build(w =>
            {
                WriteIfPresent(w, "sku", p, "product_id");
                CopyAllExcept(w, p);
            });
        }
        return p;
    }

    /// <summary>
    /// amount = total ?? revenue (the paid total); products → lines with sku = sku ?? product_id; the order's category
    /// is the category of its largest line by value when the message does not give one. Numbers are copied as their
    /// JSON text, never through a double, so the validator sees exactly what was sent.
    /// </summary>
    private static JsonElement OrderProperties(JsonElement p) => Build(w =>
    {
        if (!p.TryGetProperty("amount", out _))
        {
            WriteFirstPresent(w, "amount", p, "total", "revenue");
        }
        var hasProducts = p.TryGetProperty("products", out var products) && products.ValueKind == JsonValueKind.Array;
        if (hasProducts && !p.TryGetProperty("lines", out _))
        {
            w.WritePropertyName("lines");
            w.WriteStartArray();
            foreach (var product in products.EnumerateArray())
            {
                if (product.ValueKind != JsonValueKind.Object)
                {
                    product.WriteTo(w);
                    continue;
                }
                w.WriteStartObject();
                if (!product.TryGetProperty("sku", out _))
                {
                    WriteIfPresent(w, "sku", product, "product_id");
                }
                CopyAllExcept(w, product);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (!p.TryGetProperty("category", out _) && MainCategory(products) is { } category)
            {
                w.WriteString("category", category);
            }
        }
        CopyAllExcept(w, p, hasProducts ? "products" : null);
    });

    /// <summary>The category holding the most value (price × quantity, quantity 1 when absent); the first on ties.</summary>
    private static string? MainCategory(JsonElement products)
    {
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var product in products.EnumerateArray())
        {
            if (product.ValueKind != JsonValueKind.Object || Text(product, "category") is not { Length: > 0 } category)
            {
                continue;
            }
            var price = product.TryGetProperty("price", out var pr) && pr.ValueKind == JsonValueKind.Number && pr.TryGetDecimal(out var d) ? d : 0m;
            var quantity = product.TryGetProperty("quantity", out var q) && q.ValueKind == JsonValueKind.Number && q.TryGetDecimal(out var n) ? n : 1m;
            if (!totals.TryGetValue(category, out var sum))
            {
                order.Add(category);
                sum = 0m;
            }
            totals[category] = sum + price * quantity;
        }
        string? best = null;
        foreach (var category in order)
        {
            if (best is null || totals[category] > totals[best])
            {
                best = category;
            }
        }
        return best;
    }

    private static JsonElement WithName(JsonElement p, string? name, string? category)
    {
        var addName = name is not null && !(p.ValueKind == JsonValueKind.Object && p.TryGetProperty("name", out _));
        var addCategory = category is not null && !(p.ValueKind == JsonValueKind.Object && p.TryGetProperty("category", out _));
        if (!addName && !addCategory)
        {
            return p;
        }
        if (p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            // Not an object: leave it for the validator to refuse.
            return p;
        }
        return Build(w =>
        {
            if (addName)
            {
                w.WriteString("name", name);
            }
            if (addCategory)
            {
                w.WriteString("category", category);
            }
            if (p.ValueKind == JsonValueKind.Object)
            {
                CopyAllExcept(w, p);
            }
        });
    }

    private static EventContext Context(JsonElement message, JsonElement properties, string? type, Envelope envelope)
    {
        var own = Object(message, "context");
        var batch = envelope.BatchContext.ValueKind == JsonValueKind.Object ? envelope.BatchContext : default;
        string? Field(params string[] path) => Path(own, path) ?? Path(batch, path);
        // A page message carries its URL and referrer in its properties; use them when the context has none.
        var isPage = type == EventTypes.PageView && properties.ValueKind == JsonValueKind.Object;
        return new EventContext
        {
            Channel = Text(message, "channel") ?? Field("channel"),
            UtmSource = Field("campaign", "source"),
            UtmMedium = Field("campaign", "medium"),
            UtmCampaign = Field("campaign", "name"),
            UtmContent = Field("campaign", "content"),
            UtmTerm = Field("campaign", "term"),
            Url = Field("page", "url") ?? (isPage ? Text(properties, "url") : null),
            Referrer = Field("page", "referrer") ?? (isPage ? Text(properties, "referrer") : null),
            Device = Field("device", "type"),
            Ip = Field("ip") ?? envelope.RemoteIp,
            UserAgent = Field("userAgent"),
        };
    }

    private static string? Path(JsonElement e, string[] path)
    {
        foreach (var name in path[..^1])
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
            {
                return null;
            }
        }
        return e.ValueKind == JsonValueKind.Object ? Text(e, path[^1]) : null;
    }

    private static JsonElement Object(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v : default;

    private static JsonElement Build(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    private static void CopyAllExcept(Utf8JsonWriter w, JsonElement source, string? except = null)
    {
        if (source.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var p in source.EnumerateObject())
        {
            if (except is null || !p.NameEquals(except))
            {
                p.WriteTo(w);
            }
        }
    }

    private static void WriteIfPresent(Utf8JsonWriter w, string name, JsonElement source, string sourceName)
    {
        if (source.TryGetProperty(sourceName, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            w.WritePropertyName(name);
            v.WriteTo(w);
        }
    }

    private static void WriteFirstPresent(Utf8JsonWriter w, string name, JsonElement source, params string[] sourceNames)
    {
        foreach (var sourceName in sourceNames)
        {
            if (source.TryGetProperty(sourceName, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                w.WritePropertyName(name);
                v.WriteTo(w);
                return;
            }
        }
    }

    /// <summary>A property as text; an empty string counts as absent, as Segment libraries send "" for unset ids.</summary>
    private static string? Text(JsonElement e, string name) => JsonText.Property(e, name) is { Length: > 0 } s ? s : null;
}
