using System.Text.Json;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Events;

namespace Flywheel.Modules.Customers.Ingestion;

/// <summary>
/// Turns a client's event into a stored one, or says precisely what is wrong with it. The rules are documented in
/// docs/events.md; field names in messages are the JSON names.
/// </summary>
public static class EventValidator
{
    public const int MaxIdLength = 200;
    public const int MaxTypeLength = 100;
    public const int MaxContextLength = 2048;
    /// <summary>Clocks drift; an event "from the future" by more than this is a bug in the sender.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromDays(1);

    public static EventRecord? Validate(IncomingEvent e, string workspaceId, DateTime receivedAt, FieldErrors errors)
    {
        var eventId = Required(e.EventId, "event_id", MaxIdLength, errors);
        var type = Required(e.Type, "type", MaxTypeLength, errors);
        if (type is not null && !EventTypes.IsValidName(type))
        {
            errors.Add("type", "must be lower-case letters, digits and '_' (e.g. 'order_paid'), starting with a letter.");
            type = null;
        }
        var customerId = Optional(e.CustomerId, "customer_id", MaxIdLength, errors);
        var anonymousId = Optional(e.AnonymousId, "anonymous_id", MaxIdLength, errors);
        if (string.IsNullOrEmpty(e.CustomerId) && string.IsNullOrEmpty(e.AnonymousId))
        {
            errors.Add("customer_id", "customer_id or anonymous_id is required.");
        }
        var timestamp = receivedAt;
        if (e.Timestamp is not null)
        {
            var parsed = e.ParsedTimestamp;
            if (parsed is null && Instants.TryParseUtc(e.Timestamp, out var text))
            {
                parsed = text;
            }
            if (parsed is null)
            {
                errors.Add("timestamp", $"'{Truncate(e.Timestamp)}' is not an ISO 8601 date-time (e.g. 2026-11-11T20:00:00+08:00).");
            }
            else if (parsed.Value.UtcDateTime > receivedAt + MaxClockSkew)
            {
                errors.Add("timestamp", "is more than a day in the future.");
            }
            else
            {
                timestamp = Instants.ToMilliseconds(parsed.Value.UtcDateTime);
            }
        }
        var properties = "{}";
        string? orderId = null;
        string? refundId = null;
        if (e.Properties.ValueKind is JsonValueKind.Object)
        {
            properties = e.Properties.GetRawText();
            if (type is not null)
            {
                ValidateStandardProperties(type, e.Properties, errors, out orderId, out refundId);
            }
        }
        else if (e.Properties.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            errors.Add("properties", "must be a JSON object.");
        }
        else if (type is not null && EventTypes.IsOrderEvent(type))
        {
            errors.Add("properties.order_id", $"is required for {type} events.");
        }
        ValidateContext(e.Context, errors);
        if (errors.Any || eventId is null || type is null)
        {
            return null;
        }
        return new EventRecord
        {
            WorkspaceId = workspaceId,
            EventId = eventId,
            DedupKey = DedupKeys.For(type, eventId, orderId, refundId),
            Type = type,
            CustomerId = customerId,
            AnonymousId = anonymousId,
            Timestamp = timestamp,
            ReceivedAt = receivedAt,
            Properties = properties,
            Context = e.Context,
        };
    }

    /// <summary>The standard properties of docs/events.md, checked where they matter for money and identity.</summary>
    private static void ValidateStandardProperties(string type, JsonElement p, FieldErrors errors, out string? orderId, out string? refundId)
    {
        orderId = null;
        refundId = null;
        if (EventTypes.IsOrderEvent(type))
        {
            orderId = IdProperty(p, "order_id", errors);
            if (orderId is null && !p.TryGetProperty("order_id", out _))
            {
                errors.Add("properties.order_id", $"is required for {type} events.");
            }
            if (type == EventTypes.OrderRefunded)
            {
                refundId = IdProperty(p, "refund_id", errors);
            }
            if (type is EventTypes.OrderPaid or EventTypes.OrderPlaced or EventTypes.OrderRefunded)
            {
                if (!p.TryGetProperty("amount", out _))
                {
                    errors.Add("properties.amount", $"is required for {type} events (the paid total, e.g. 199.50).");
                }
            }
            var currency = "CNY";
            if (p.TryGetProperty("currency", out var c))
            {
                if (c.ValueKind != JsonValueKind.String || c.GetString()!.Length != 3)
                {
                    errors.Add("properties.currency", "must be a three-letter ISO 4217 code such as 'CNY'.");
                }
                else
                {
                    currency = c.GetString()!;
                }
            }
            MoneyProperty(p, "amount", currency, "properties.amount", errors);
            if (p.TryGetProperty("lines", out var lines))
            {
                if (lines.ValueKind != JsonValueKind.Array)
                {
                    errors.Add("properties.lines", "must be an array of {sku, quantity, price, ...}.");
                }
                else
                {
                    var i = 0;
                    foreach (var line in lines.EnumerateArray())
                    {
                        var at = $"properties.lines[{i++}]";
                        if (line.ValueKind != JsonValueKind.Object)
                        {
                            errors.Add(at, "must be an object.");
                            continue;
                        }
                        MoneyProperty(line, "price", currency, at + ".price", errors);
                        if (line.TryGetProperty("quantity", out var q) && (q.ValueKind != JsonValueKind.Number || !q.TryGetInt32(out var n) || n <= 0))
                        {
                            errors.Add(at + ".quantity", "must be a positive whole number.");
                        }
                    }
                }
            }
        }
        else if (type is EventTypes.ProductView or EventTypes.AddToCart or EventTypes.RemoveFromCart)
        {
            MoneyProperty(p, "price", "CNY", "properties.price", errors);
        }
    }

    private static string? IdProperty(JsonElement p, string name, FieldErrors errors)
    {
        if (!p.TryGetProperty(name, out var v))
        {
            return null;
        }
        var text = JsonText.Of(v);
        if (string.IsNullOrEmpty(text) || text.Length > MaxIdLength)
        {
            errors.Add("properties." + name, $"must be a non-empty string of at most {MaxIdLength} characters.");
            return null;
        }
        return text;
    }

    private static void MoneyProperty(JsonElement p, string name, string currency, string field, FieldErrors errors)
    {
        if (!p.TryGetProperty(name, out var v))
        {
            return;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDecimal(out var amount))
        {
            errors.Add(field, "must be a number (an amount in major units, e.g. 199.50).");
        }
        else if (amount < 0)
        {
            errors.Add(field, "must not be negative.");
        }
        else if (!Money.TryToMinor(amount, currency, out _))
        {
            errors.Add(field, $"has more decimals than {currency} allows ({Money.MinorDigits(currency)}).");
        }
    }

    private static void ValidateContext(EventContext c, FieldErrors errors)
    {
        Check(c.Channel, "context.channel");
        Check(c.UtmSource, "context.utm_source");
        Check(c.UtmMedium, "context.utm_medium");
        Check(c.UtmCampaign, "context.utm_campaign");
        Check(c.UtmContent, "context.utm_content");
        Check(c.UtmTerm, "context.utm_term");
        Check(c.Referrer, "context.referrer");
        Check(c.Url, "context.url");
        Check(c.Device, "context.device");
        Check(c.Ip, "context.ip");
        Check(c.UserAgent, "context.user_agent");

        void Check(string? value, string field)
        {
            if (value is { Length: > MaxContextLength })
            {
                errors.Add(field, $"is longer than {MaxContextLength} characters.");
            }
        }
    }

    private static string? Required(string? value, string field, int maxLength, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, "is required.");
            return null;
        }
        return Optional(value, field, maxLength, errors);
    }

    private static string? Optional(string? value, string field, int maxLength, FieldErrors errors)
    {
        if (value is { Length: > 0 } && value.Length > maxLength)
        {
            errors.Add(field, $"is longer than {maxLength} characters.");
            return null;
        }
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
