using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Pricing;

namespace Flywheel.Modules.Promotions.Checkout;

/// <summary>
/// A priced cart as the API shows it: every amount in major units of the cart's currency, reasons in snake_case, the
/// pricing core's explanation of every promotion and coupon considered, and the codes that never reached pricing.
/// </summary>
public static class QuoteView
{
    public static JsonObject Of(PriceQuote q, IReadOnlyList<RejectedCode> rejectedCodes)
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
                ["store_shares"] = StoreShares(q, o.PromotionId, money),
                ["reason"] = o.Reason is { } r ? Reason(r) : null,
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

    public static string Reason(RejectionReason reason) => JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString());

    /// <summary>What a promotion took from each store's lines (跨店满减's shares), stores in the order of their first line.</summary>
    private static JsonArray StoreShares(PriceQuote q, string promotionId, MoneyUnits money) =>
        Array(q.Lines.SelectMany(l => l.Adjustments.Where(a => a.PromotionId == promotionId).Select(a => (l.Store, a.Amount)))
            .GroupBy(x => x.Store, StringComparer.Ordinal),
            g => new JsonObject { ["store"] = g.Key, ["amount"] = money.Write(g.Sum(x => x.Amount)) });

    private static JsonObject Combination(CombinationSummary c, MoneyUnits money) => new()
    {
        ["promotion_ids"] = Array(c.PromotionIds, id => JsonValue.Create(id)),
        ["payable"] = money.Write(c.Payable),
        ["gift_value"] = money.Write(c.GiftValue),
    };

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new(items.Select(map).ToArray());
}
