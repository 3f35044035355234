using System.Text.Json;
using Flywheel.Modules.Orders.Model;
using Flywheel.Platform;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Orders.Orders;

/// <summary>An order as a request (or the rows of one order in a CSV file) carries it, before validation.</summary>
public sealed record OrderInput(
    string? OrderId, string? CustomerId, string? Status, string? Currency, IReadOnlyList<LineInput>? Lines, decimal? Discount,
    decimal? Shipping, decimal? Total, string? Coupon, string? Channel, string? PaymentMethod, string? PlacedAt, string? PaidAt)
{
    public static OrderInput FromJson(JsonInput j) => new(
        j.Text("order_id"), j.Text("customer_id"), j.Text("status"), j.Text("currency"),
        j.Objects("lines")?.Select(LineInput.FromJson).ToList(), j.Number("discount"), j.Number("shipping"), j.Number("total"),
        j.Text("coupon"), j.Text("channel"), j.Text("payment_method"), j.Text("placed_at"), j.Text("paid_at"));
}

/// <summary>One order line: <c>price</c> is the unit price, <c>discount</c> the discount on the whole line.</summary>
public sealed record LineInput(string? Sku, string? Name, string? Category, string? Brand, int? Quantity, decimal? Price, decimal? Discount)
{
    public static LineInput FromJson(JsonInput j) => new(
        j.Text("sku"), j.Text("name"), j.Text("category"), j.Text("brand"), j.WholeNumber("quantity"), j.Number("price"), j.Number("discount"));
}

public sealed record LineValues(string Sku, string? Name, string? Category, string? Brand, int Quantity, long UnitPriceMinor, long DiscountMinor)
{
    /// <summary>What the line costs after its own discount.</summary>
    public long AmountMinor => Quantity * UnitPriceMinor - DiscountMinor;
}

/// <summary>A valid order: money in minor units of <see cref="Currency"/>, Total = Subtotal − Discount + Shipping exactly.</summary>
public sealed record OrderValues(
    string OrderId, string CustomerId, OrderStatus Status, string Currency, IReadOnlyList<LineValues> Lines, long SubtotalMinor,
    long DiscountMinor, long ShippingMinor, long TotalMinor, string? Coupon, string? Channel, string? PaymentMethod,
    DateTimeOffset PlacedAt, DateTimeOffset? PaidAt);

public static class OrderRules
{
    public const int MaxLines = 500;
    public const int MaxQuantity = 1_000_000;
    /// <summary>Keeps quantity × price and every sum far inside a 64-bit integer.</summary>
    public const long MaxUnitPriceMinor = 1_000_000_000_000;

    public static string StatusName(OrderStatus s) => JsonNamingPolicy.SnakeCaseLower.ConvertName(s.ToString());

    public static OrderValues? Validate(OrderInput input, string defaultCurrency, TimeZoneInfo zone, FieldErrors errors)
    {
        var orderId = Fields.Required(input.OrderId, "order_id", 200, errors);
        if (orderId is not null && orderId.Contains('/', StringComparison.Ordinal))
        {
            errors.Add("order_id", "must not contain '/' (order ids appear in URLs).");
        }
        var customerId = Fields.Required(input.CustomerId, "customer_id", 200, errors);
        var currency = Fields.Currency(input.Currency, "currency", errors) ?? defaultCurrency;
        OrderStatus? status = input.Status switch
        {
            null => input.PaidAt is null ? OrderStatus.Placed : OrderStatus.Paid,
            "placed" => OrderStatus.Placed,
            "paid" => OrderStatus.Paid,
            "cancelled" => OrderStatus.Cancelled,
            _ => null,
        };
        if (status is null)
        {
            errors.Add("status", $"'{input.Status}' is not one of placed, paid, cancelled (refunded states follow from refunds).");
        }
        var placedAt = Instant(input.PlacedAt, "placed_at", zone, errors, required: true);
        var paidAt = Instant(input.PaidAt, "paid_at", zone, errors, required: false);
        if (status == OrderStatus.Placed && paidAt is not null)
        {
            errors.Add("paid_at", "is set but status is 'placed'; send status 'paid'.");
        }
        if (paidAt is not null && placedAt is not null && paidAt < placedAt)
        {
            errors.Add("paid_at", "is before placed_at.");
        }
        if (status == OrderStatus.Paid)
        {
            paidAt ??= placedAt;
        }
        var lines = new List<LineValues>();
        if (input.Lines is null || input.Lines.Count == 0)
        {
            if (!errors.Has("lines"))
            {
                errors.Add("lines", "must have at least one line.");
            }
        }
        else if (input.Lines.Count > MaxLines)
        {
            errors.Add("lines", $"has {input.Lines.Count} lines; at most {MaxLines} are accepted.");
        }
        else
        {
            for (var i = 0; i < input.Lines.Count; i++)
            {
                var line = Line(input.Lines[i], $"lines[{i}].", currency, errors);
                if (line is not null)
                {
                    lines.Add(line);
                }
            }
        }
        var discount = Fields.Money(input.Discount, currency, "discount", errors) ?? 0;
        var shipping = Fields.Money(input.Shipping, currency, "shipping", errors) ?? 0;
        if (input.Total is null && !errors.Has("total"))
        {
            errors.Add("total", "is required (what the customer pays: subtotal − discount + shipping).");
        }
        var total = Fields.Money(input.Total, currency, "total", errors);
        var coupon = Fields.Optional(input.Coupon, "coupon", 100, errors);
        var channel = Fields.Optional(input.Channel, "channel", 100, errors);
        var paymentMethod = Fields.Optional(input.PaymentMethod, "payment_method", 50, errors);
        if (errors.Any)
        {
            return null;
        }
        var subtotal = lines.Sum(l => l.AmountMinor);
        if (discount > subtotal)
        {
            errors.Add("discount", $"{Money.Format(discount, currency)} is more than the subtotal of the lines ({Money.Format(subtotal, currency)}).");
            return null;
        }
        var expected = subtotal - discount + shipping;
        if (total != expected)
        {
            errors.Add("total", $"is {Money.Format(total!.Value, currency)} but subtotal − discount + shipping = " +
                $"{Money.Format(subtotal, currency)} − {Money.Format(discount, currency)} + {Money.Format(shipping, currency)} = {Money.Format(expected, currency)}.");
            return null;
        }
        return new OrderValues(orderId!, customerId!, status!.Value, currency, lines, subtotal, discount, shipping, total!.Value,
            coupon, channel, paymentMethod, placedAt!.Value, paidAt);
    }

    /// <summary>What an upsert may do to an order that exists: refunded money and payment are never undone by an update.</summary>
    public static void CheckUpdate(Order existing, OrderValues v, FieldErrors errors)
    {
        var paid = existing.Status is OrderStatus.Paid or OrderStatus.PartiallyRefunded or OrderStatus.Refunded;
        if (paid && v.Status == OrderStatus.Placed)
        {
            errors.Add("status", $"order '{existing.ExternalId}' is already paid; it cannot go back to 'placed'.");
        }
        else if (paid && v.Status == OrderStatus.Cancelled)
        {
            errors.Add("status", $"order '{existing.ExternalId}' is paid; refund it instead of cancelling it.");
        }
        else if (existing.Status == OrderStatus.Cancelled && v.Status != OrderStatus.Cancelled)
        {
            errors.Add("status", $"order '{existing.ExternalId}' is cancelled and cannot be reopened.");
        }
        if (existing.RefundedMinor > 0 && v.Currency != existing.Currency)
        {
            errors.Add("currency", $"cannot change: order '{existing.ExternalId}' has refunds in {existing.Currency}.");
        }
        if (v.TotalMinor < existing.RefundedMinor)
        {
            errors.Add("total", $"is less than what has already been refunded ({Money.Format(existing.RefundedMinor, existing.Currency)}).");
        }
    }

    public static Order Create(string workspaceId, OrderValues v, string source, DateTimeOffset now)
    {
        var order = new Order { Id = Ids.New("ord"), WorkspaceId = workspaceId, ExternalId = v.OrderId, Source = source, CreatedAt = now };
        Apply(order, v, now);
        order.UpdatedAt = now;
        return order;
    }

    /// <summary>Copies values onto an order (checked with <see cref="CheckUpdate"/>); false when nothing differed.</summary>
    public static bool Apply(Order o, OrderValues v, DateTimeOffset now)
    {
        // Refund states are kept: an update of a refunded order says "paid", and its refunds still stand.
        var status = v.Status == OrderStatus.Paid && o.RefundedMinor > 0
            ? RefundStatus(v.TotalMinor, o.RefundedMinor)
            : v.Status;
        DateTimeOffset? cancelledAt = status == OrderStatus.Cancelled ? o.CancelledAt ?? now : null;
        var category = MainCategory(v.Lines);
        if (o.CustomerExternalId == v.CustomerId && o.Status == status && o.Currency == v.Currency && o.SubtotalMinor == v.SubtotalMinor
            && o.DiscountMinor == v.DiscountMinor && o.ShippingMinor == v.ShippingMinor && o.TotalMinor == v.TotalMinor
            && o.Coupon == v.Coupon && o.Channel == v.Channel && o.PaymentMethod == v.PaymentMethod && o.MainCategory == category
            && o.PlacedAt == v.PlacedAt && o.PaidAt == v.PaidAt && o.CancelledAt == cancelledAt && SameLines(o.Lines, v.Lines))
        {
            return false;
        }
        o.CustomerExternalId = v.CustomerId;
        o.Status = status;
        o.Currency = v.Currency;
        o.SubtotalMinor = v.SubtotalMinor;
        o.DiscountMinor = v.DiscountMinor;
        o.ShippingMinor = v.ShippingMinor;
        o.TotalMinor = v.TotalMinor;
        o.Coupon = v.Coupon;
        o.Channel = v.Channel;
        o.PaymentMethod = v.PaymentMethod;
        o.MainCategory = category;
        o.PlacedAt = v.PlacedAt;
        o.PaidAt = v.PaidAt;
        o.CancelledAt = cancelledAt;
        o.UpdatedAt = now;
        if (!SameLines(o.Lines, v.Lines))
        {
            o.Lines.Clear();
            o.Lines.AddRange(v.Lines.Select((l, i) => new OrderLine
            {
                LineNo = i + 1,
                Sku = l.Sku,
                Name = l.Name,
                Category = l.Category,
                Brand = l.Brand,
                Quantity = l.Quantity,
                UnitPriceMinor = l.UnitPriceMinor,
                DiscountMinor = l.DiscountMinor,
            }));
        }
        return true;
    }

    public static OrderStatus RefundStatus(long totalMinor, long refundedMinor) =>
        refundedMinor == 0 ? OrderStatus.Paid : refundedMinor >= totalMinor ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded;

    /// <summary>The category of the line with the largest amount (the first such line on a tie).</summary>
    public static string? MainCategory(IReadOnlyList<LineValues> lines)
    {
        LineValues? best = null;
        foreach (var l in lines)
        {
            if (best is null || l.AmountMinor > best.AmountMinor)
            {
                best = l;
            }
        }
        return best?.Category;
    }

    private static bool SameLines(List<OrderLine> stored, IReadOnlyList<LineValues> lines)
    {
        if (stored.Count != lines.Count)
        {
            return false;
        }
        var ordered = stored.OrderBy(l => l.LineNo).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var (a, b) = (ordered[i], lines[i]);
            if (a.Sku != b.Sku || a.Name != b.Name || a.Category != b.Category || a.Brand != b.Brand || a.Quantity != b.Quantity
                || a.UnitPriceMinor != b.UnitPriceMinor || a.DiscountMinor != b.DiscountMinor)
            {
                return false;
            }
        }
        return true;
    }

    private static LineValues? Line(LineInput l, string at, string currency, FieldErrors errors)
    {
        var sku = Fields.Required(l.Sku, at + "sku", 100, errors);
        var name = Fields.Optional(l.Name, at + "name", 300, errors);
        var category = Fields.Optional(l.Category, at + "category", 300, errors);
        var brand = Fields.Optional(l.Brand, at + "brand", 100, errors);
        if (l.Quantity is null && !errors.Has(at + "quantity"))
        {
            errors.Add(at + "quantity", "is required.");
        }
        else if (l.Quantity is <= 0 or > MaxQuantity)
        {
            errors.Add(at + "quantity", $"must be a whole number from 1 to {MaxQuantity}.");
        }
        if (l.Price is null && !errors.Has(at + "price"))
        {
            errors.Add(at + "price", "is required (the unit price).");
        }
        var price = Fields.Money(l.Price, currency, at + "price", errors);
        if (price > MaxUnitPriceMinor)
        {
            errors.Add(at + "price", "is too large.");
        }
        var discount = Fields.Money(l.Discount, currency, at + "discount", errors) ?? 0;
        if (sku is null || price is null || l.Quantity is not (> 0 and <= MaxQuantity) || price > MaxUnitPriceMinor)
        {
            return null;
        }
        if (discount > l.Quantity.Value * price.Value)
        {
            errors.Add(at + "discount", "is more than quantity × price.");
            return null;
        }
        return new LineValues(sku, name, category, brand, l.Quantity.Value, price.Value, discount);
    }

    private static DateTimeOffset? Instant(string? text, string field, TimeZoneInfo zone, FieldErrors errors, bool required)
    {
        if (text is null)
        {
            if (required)
            {
                errors.Add(field, "is required (ISO 8601, e.g. 2026-11-11T20:00:00+08:00).");
            }
            return null;
        }
        if (!Instants.TryParse(text, zone, out var t))
        {
            errors.Add(field, $"'{text}' is not an ISO 8601 date-time (e.g. 2026-11-11T20:00:00+08:00).");
            return null;
        }
        return Instants.ToMilliseconds(t);
    }
}
