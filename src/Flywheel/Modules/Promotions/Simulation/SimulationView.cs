using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Model;

namespace Flywheel.Modules.Promotions.Simulation;

/// <summary>A simulation as the API answers it: amounts in major units of the workspace currency, rates as fractions.</summary>
public static class SimulationView
{
    public static JsonObject Of(
        StoredPromotion promotion, DateOnly from, DateOnly to, string comparedWith, int comparedPromotions, int otherCurrencies,
        SimulationResult r, string currency)
    {
        var money = MoneyUnits.Major(currency);
        JsonArray Groups(IEnumerable<GroupBenefit> groups, string name) => new(groups.Select(g => (JsonNode)new JsonObject
        {
            [name] = g.Group.Length == 0 ? null : g.Group,
            ["orders"] = g.Orders,
            ["orders_touched"] = g.OrdersTouched,
            ["customers_touched"] = g.CustomersTouched,
            ["cost"] = money.Write(g.Cost),
            ["cost_per_order"] = g.OrdersTouched == 0 ? null : money.Write((long)Math.Round((decimal)g.Cost / g.OrdersTouched, MidpointRounding.ToEven)),
        }).ToArray());
        return new JsonObject
        {
            ["promotion_id"] = promotion.Id,
            ["name"] = promotion.Name,
            ["status"] = promotion.Status,
            ["currency"] = currency,
            ["from"] = from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["to"] = to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["compared_with"] = comparedWith,
            ["compared_promotions"] = comparedPromotions,
            ["orders_priced"] = r.OrdersPriced,
            ["orders_in_other_currencies"] = otherCurrencies,
            ["orders_touched"] = r.OrdersTouched,
            ["touch_rate"] = Rate(r.OrdersTouched, r.OrdersPriced),
            ["customers_touched"] = r.CustomersTouched,
            ["promotion_amount"] = money.Write(r.DraftAmount),
            ["cost"] = money.Write(r.Cost),
            ["payable_before"] = money.Write(r.PayableBefore),
            ["payable_after"] = money.Write(r.PayableAfter),
            ["margin"] = new JsonObject
            {
                ["orders_with_cost"] = r.OrdersWithCost,
                ["goods_cost"] = money.Write(r.GoodsCost),
                ["revenue_before"] = money.Write(r.GoodsRevenueBefore),
                ["revenue_after"] = money.Write(r.GoodsRevenueAfter),
                ["gross_profit_before"] = money.Write(r.GrossProfitBefore),
                ["gross_profit_after"] = money.Write(r.GrossProfitAfter),
                ["gross_profit_change"] = money.Write(r.GrossProfitAfter - r.GrossProfitBefore),
                ["margin_rate_before"] = Rate(r.GrossProfitBefore, r.GoodsRevenueBefore),
                ["margin_rate_after"] = Rate(r.GrossProfitAfter, r.GoodsRevenueAfter),
            },
            ["budget"] = new JsonObject
            {
                ["budget"] = money.Write(promotion.Budget),
                ["spent"] = money.Write(r.BudgetSpent),
                ["orders_refused_for_budget"] = r.RefusedForBudget,
                ["orders_refused_for_limit"] = r.RefusedForLimit,
            },
            ["not_applied_because"] = new JsonObject(r.NotAppliedBecause.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["segments"] = Groups(r.Segments, "segment"),
            ["buyers"] = Groups(r.Buyers, "buyers"),
            ["largest_costs"] = new JsonArray(r.LargestCosts.Select(o => (JsonNode)new JsonObject
            {
                ["order_id"] = o.OrderId,
                ["customer_id"] = o.CustomerId,
                ["priced_at"] = o.PricedAt,
                ["payable_before"] = money.Write(o.PayableBefore),
                ["payable_after"] = money.Write(o.PayableAfter),
                ["promotion_amount"] = money.Write(o.DraftAmount),
                ["cost"] = money.Write(o.Cost),
            }).ToArray()),
        };
    }

    /// <summary>A fraction to 4 decimal places, null over nothing.</summary>
    private static decimal? Rate(long part, long whole) => whole == 0 ? null : Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);
}
