using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform;

namespace Flywheel.Modules.Promotions.Checkout;

/// <summary>
/// A priced cart as the API shows it: every amount in major units of the cart's currency, reasons in snake_case, the
/// pricing core's explanation of every promotion and coupon considered, and the codes that never reached pricing.
/// Written straight to JSON: a quote explains every live promotion, and building it as a tree first cost more than
/// writing it.
/// </summary>
public static class QuoteView
{
    private static readonly string[] Reasons =
        [.. Enum.GetValues<RejectionReason>().Select(r => JsonNamingPolicy.SnakeCaseLower.ConvertName(r.ToString()))];

    /// <summary>The same JSON as a tree, for what keeps or compares it (a reservation's details, a replay).</summary>
    public static JsonObject Of(PriceQuote q, IReadOnlyList<RejectedCode> rejectedCodes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, q, rejectedCodes);
        }
        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    public static void Write(Utf8JsonWriter w, PriceQuote q, IReadOnlyList<RejectedCode> rejectedCodes)
    {
        var currency = q.Currency.Code;
        void Amount(string name, long minor) => w.WriteNumber(name, Money.ToMajor(minor, currency));

        w.WriteStartObject();
        w.WriteString("currency", currency);
        Amount("list_total", q.ListTotal);
        Amount("item_discount", q.ItemDiscount);
        Amount("order_discount", q.OrderDiscount);
        Amount("goods_total", q.GoodsTotal);
        w.WriteStartObject("shipping");
        w.WriteString("option", q.Shipping.OptionCode);
        Amount("fee", q.Shipping.Fee);
        Amount("discount", q.Shipping.Discount);
        Amount("payable", q.Shipping.Payable);
        w.WriteBoolean("priority_upgrade", q.Shipping.PriorityUpgrade);
        w.WriteEndObject();
        Amount("payable", q.Payable);

        w.WriteStartArray("lines");
        foreach (var l in q.Lines)
        {
            w.WriteStartObject();
            w.WriteString("line_id", l.LineId);
            w.WriteString("store", l.Store);
            w.WriteNumber("quantity", l.Quantity);
            Amount("unit_price", l.UnitPrice);
            Amount("list_amount", l.ListAmount);
            Amount("presale_inflation", l.PresaleInflation);
            Amount("item_discount", l.ItemDiscount);
            Amount("order_discount", l.OrderDiscount);
            Amount("deposit_paid", l.DepositPaid);
            Amount("payable", l.Payable);
            w.WriteStartArray("unit_amounts");
            foreach (var discount in l.UnitDiscounts)
            {
                w.WriteNumberValue(Money.ToMajor(l.UnitPrice - discount, currency));
            }
            w.WriteEndArray();
            w.WriteStartArray("adjustments");
            foreach (var a in l.Adjustments)
            {
                w.WriteStartObject();
                w.WriteString("promotion_id", a.PromotionId);
                w.WriteString("class", DefinitionJson.Name(a.Class));
                Amount("amount", a.Amount);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("gifts");
        foreach (var g in q.Gifts)
        {
            w.WriteStartObject();
            w.WriteString("promotion_id", g.PromotionId);
            w.WriteString("sku", g.Item.Sku);
            w.WriteNumber("quantity", g.Item.Quantity);
            Amount("value", g.Item.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        var shares = StoreShares(q);
        w.WriteStartArray("promotions");
        foreach (var o in q.Promotions)
        {
            w.WriteStartObject();
            w.WriteString("promotion_id", o.PromotionId);
            w.WriteString("name", o.Name);
            w.WriteString("coupon_code", o.CouponCode);
            w.WriteBoolean("applied", o.Applied);
            Amount("amount", o.Amount);
            Amount("shipping_amount", o.ShippingAmount);
            Strings(w, "line_ids", o.LineIds);
            w.WriteStartArray("store_shares");
            foreach (var (store, amount) in shares.GetValueOrDefault(o.PromotionId) ?? [])
            {
                w.WriteStartObject();
                w.WriteString("store", store);
                Amount("amount", amount);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("reason", o.Reason is { } r ? Reason(r) : null);
            Strings(w, "blocked_by", o.BlockedBy);
            w.WriteString("explanation", o.Explanation);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("near_misses");
        foreach (var n in q.NearMisses)
        {
            w.WriteStartObject();
            w.WriteString("promotion_id", n.PromotionId);
            if (n.MissingAmount is { } missing)
            {
                Amount("missing_amount", missing);
            }
            else
            {
                w.WriteNull("missing_amount");
            }
            if (n.MissingQuantity is { } quantity)
            {
                w.WriteNumber("missing_quantity", quantity);
            }
            else
            {
                w.WriteNull("missing_quantity");
            }
            w.WriteString("text_zh", n.TextZh);
            w.WriteString("text_en", n.TextEn);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WritePropertyName("chosen");
        Combination(w, q.Chosen, currency);
        w.WriteStartArray("runner_ups");
        foreach (var c in q.RunnerUps)
        {
            Combination(w, c, currency);
        }
        w.WriteEndArray();
        w.WriteBoolean("search_complete", q.SearchComplete);
        w.WriteNumber("combinations_evaluated", q.CombinationsEvaluated);

        w.WriteStartArray("rejected_codes");
        foreach (var c in rejectedCodes)
        {
            w.WriteStartObject();
            w.WriteString("code", c.Code);
            w.WriteString("reason", c.Reason);
            w.WriteString("explanation", c.Explanation);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static string Reason(RejectionReason reason) => Reasons[(int)reason];

    /// <summary>
    /// What each promotion took from each store's lines (跨店满减's shares), stores in the order of their first line;
    /// gathered in one pass over the lines rather than one per promotion.
    /// </summary>
    private static Dictionary<string, List<(string Store, long Amount)>> StoreShares(PriceQuote q)
    {
        var shares = new Dictionary<string, List<(string Store, long Amount)>>(StringComparer.Ordinal);
        foreach (var line in q.Lines)
        {
            foreach (var a in line.Adjustments)
            {
                if (!shares.TryGetValue(a.PromotionId, out var stores))
                {
                    shares[a.PromotionId] = stores = [];
                }
                var at = stores.FindIndex(s => s.Store == line.Store);
                if (at < 0)
                {
                    stores.Add((line.Store, a.Amount));
                }
                else
                {
                    stores[at] = (line.Store, stores[at].Amount + a.Amount);
                }
            }
        }
        return shares;
    }

    private static void Combination(Utf8JsonWriter w, CombinationSummary c, string currency)
    {
        w.WriteStartObject();
        Strings(w, "promotion_ids", c.PromotionIds);
        w.WriteNumber("payable", Money.ToMajor(c.Payable, currency));
        w.WriteNumber("gift_value", Money.ToMajor(c.GiftValue, currency));
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }
        w.WriteEndArray();
    }
}
