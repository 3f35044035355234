using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform.Api;

namespace Flywheel.Tests.Modules.Promotions.Pricing;

/// <summary>
/// The quote's JSON is written straight to the response (<see cref="QuoteView.Write"/>). Clients parse it as the API
/// always answered it: here every generated quote is written both ways and compared byte for byte with the answer
/// built the second way below — a JSON tree of the documented fields, serialised as the HTTP layer does.
/// </summary>
public sealed class QuoteJsonTests
{
    private static readonly Gen<(Cart Cart, Promotion[] Promotions)> GenCase = Gen.Select(
        PricingProperties.GenLine.Array[1, 6], PricingProperties.GenPromotion.Array[0, 8], Gen.Long[0, 1500],
        (lines, promotions, shipping) => (
            PricingProperties.CartOf(lines, shipping) with { Lines = lines.Select((l, i) => l with { Id = $"l{i}", Store = i % 2 == 0 ? "店铺<A>" : "store \"B\"" }).ToArray() },
            // Names with characters the writer must escape as the serialiser does: CJK, quotes, angle brackets.
            promotions.Select((p, i) => p with { Id = $"p{i}", Name = $"满{i}减 \"{i}\" <b>" }).ToArray()));

    private static readonly RejectedCode[] Codes =
    [
        new("NOPE", "unknown_code", "No coupon has the code 'NOPE'."),
        new("双11", "claimed_by_another_customer", "The code '双11' belongs to another customer."),
    ];

    [Fact]
    public void TheWrittenQuote_IsByteForByteTheSerialisedTree()
    {
        GenCase.Sample(c =>
        {
            var quote = CartPricer.Price(c.Cart, c.Promotions);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                QuoteView.Write(writer, quote, Codes);
            }
            var expected = JsonSerializer.SerializeToUtf8Bytes(Tree(quote, Codes), ApiJson.Options);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        }, iter: 300, threads: 1);
    }

    /// <summary>The answer's fields, each from the quote as docs/promotions.md describes it.</summary>
    private static JsonObject Tree(PriceQuote q, IReadOnlyList<RejectedCode> rejectedCodes)
    {
        var money = MoneyUnits.Major(q.Currency.Code);
        return new JsonObject
        {
            ["currency"] = q.Currency.Code,
            ["list_total"] = money.Write(q.ListTotal),
            ["item_discount"] = money.Write(q.ItemDiscount),
            ["order_discount"] = money.Write(q.OrderDiscount),
            ["goods_total"] = money.Write(q.GoodsTotal),
            ["shipping"] = new JsonObject
            {
                ["option"] = q.Shipping.OptionCode,
                ["fee"] = money.Write(q.Shipping.Fee),
                ["discount"] = money.Write(q.Shipping.Discount),
                ["payable"] = money.Write(q.Shipping.Payable),
                ["priority_upgrade"] = q.Shipping.PriorityUpgrade,
            },
            ["payable"] = money.Write(q.Payable),
            ["lines"] = Array(q.Lines, l => new JsonObject
            {
                ["line_id"] = l.LineId,
                ["store"] = l.Store,
                ["quantity"] = l.Quantity,
                ["unit_price"] = money.Write(l.UnitPrice),
                ["list_amount"] = money.Write(l.ListAmount),
                ["presale_inflation"] = money.Write(l.PresaleInflation),
                ["item_discount"] = money.Write(l.ItemDiscount),
                ["order_discount"] = money.Write(l.OrderDiscount),
                ["deposit_paid"] = money.Write(l.DepositPaid),
                ["payable"] = money.Write(l.Payable),
                ["unit_amounts"] = Array(l.UnitAmounts, money.Write),
                ["adjustments"] = Array(l.Adjustments, a => new JsonObject
                {
                    ["promotion_id"] = a.PromotionId,
                    ["class"] = DefinitionJson.Name(a.Class),
                    ["amount"] = money.Write(a.Amount),
                }),
            }),
            ["gifts"] = Array(q.Gifts, g => new JsonObject
            {
                ["promotion_id"] = g.PromotionId,
                ["sku"] = g.Item.Sku,
                ["quantity"] = g.Item.Quantity,
                ["value"] = money.Write(g.Item.Value),
            }),
            ["promotions"] = Array(q.Promotions, o => new JsonObject
            {
                ["promotion_id"] = o.PromotionId,
                ["name"] = o.Name,
                ["coupon_code"] = o.CouponCode,
                ["applied"] = o.Applied,
                ["amount"] = money.Write(o.Amount),
                ["shipping_amount"] = money.Write(o.ShippingAmount),
                ["line_ids"] = Array(o.LineIds, id => JsonValue.Create(id)),
                // Per store, in the order of the store's first line: what the promotion took from its lines.
                ["store_shares"] = Array(q.Lines.SelectMany(l => l.Adjustments.Where(a => a.PromotionId == o.PromotionId).Select(a => (l.Store, a.Amount)))
                    .GroupBy(x => x.Store, StringComparer.Ordinal),
                    g => new JsonObject { ["store"] = g.Key, ["amount"] = money.Write(g.Sum(x => x.Amount)) }),
                ["reason"] = o.Reason is { } r ? JsonNamingPolicy.SnakeCaseLower.ConvertName(r.ToString()) : null,
                ["blocked_by"] = Array(o.BlockedBy, id => JsonValue.Create(id)),
                ["explanation"] = o.Explanation,
            }),
            ["near_misses"] = Array(q.NearMisses, n => new JsonObject
            {
                ["promotion_id"] = n.PromotionId,
                ["missing_amount"] = money.Write(n.MissingAmount),
                ["missing_quantity"] = n.MissingQuantity,
                ["text_zh"] = n.TextZh,
                ["text_en"] = n.TextEn,
            }),
            ["chosen"] = Combination(q.Chosen, money),
            ["runner_ups"] = Array(q.RunnerUps, c => Combination(c, money)),
            ["search_complete"] = q.SearchComplete,
            ["combinations_evaluated"] = q.CombinationsEvaluated,
            ["rejected_codes"] = Array(rejectedCodes, c => new JsonObject
            {
                ["code"] = c.Code,
                ["reason"] = c.Reason,
                ["explanation"] = c.Explanation,
            }),
        };
    }

    private static JsonObject Combination(CombinationSummary c, MoneyUnits money) => new()
    {
        ["promotion_ids"] = Array(c.PromotionIds, id => JsonValue.Create(id)),
        ["payable"] = money.Write(c.Payable),
        ["gift_value"] = money.Write(c.GiftValue),
    };

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new(items.Select(map).ToArray());
}
