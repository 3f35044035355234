using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.Management;

/// <summary>
/// A promotion as the API shows it: the definition's fields (amounts in major units of the workspace currency), its
/// status, limits, and what has been given so far — spent by paid orders, and held by open checkouts.
/// </summary>
public static class PromotionViews
{
    public static async Task<List<JsonObject>> ManyAsync(FlywheelDb db, string workspaceId, string currency, IReadOnlyList<StoredPromotion> promotions, CancellationToken ct)
    {
        var keys = promotions.SelectMany(p => new[] { ResourceKeys.Budget(p.Id), ResourceKeys.Uses(p.Id) }).ToArray();
        var resources = await HoldLedger.ResourcesAsync(db, workspaceId, keys, ct);
        return promotions.Select(p => Of(p, currency, resources.GetValueOrDefault(ResourceKeys.Budget(p.Id)), resources.GetValueOrDefault(ResourceKeys.Uses(p.Id)))).ToList();
    }

    public static async Task<JsonObject> OneAsync(FlywheelDb db, string currency, StoredPromotion promotion, CancellationToken ct) =>
        (await ManyAsync(db, promotion.WorkspaceId, currency, [promotion], ct))[0];

    /// <summary>The fields the audit log records before and after a change.</summary>
    public static JsonObject Audited(StoredPromotion p)
    {
        var o = new JsonObject
        {
            ["name"] = p.Name,
            ["status"] = p.Status,
            ["budget_minor"] = p.Budget,
            ["campaign_budget"] = p.CampaignBudgetId,
            ["per_customer_limit"] = p.PerCustomerLimit,
            ["total_limit"] = p.TotalLimit,
            ["definition"] = JsonNode.Parse(p.Definition),
        };
        return o;
    }

    private static JsonObject Of(StoredPromotion p, string currency, FiniteResource? budget, FiniteResource? uses)
    {
        var money = MoneyUnits.Major(currency);
        var definition = DefinitionJson.ReadStored(p.Definition, p.Id, p.Name);
        var o = new JsonObject
        {
            ["id"] = p.Id,
            ["name"] = p.Name,
            ["status"] = p.Status,
            ["currency"] = currency,
            ["budget"] = money.Write(p.Budget),
            ["budget_spent"] = money.Write(budget?.Spent ?? 0),
            ["budget_held"] = money.Write(budget?.Held ?? 0),
            ["campaign_budget"] = p.CampaignBudgetId,
            ["per_customer_limit"] = p.PerCustomerLimit,
            ["total_limit"] = p.TotalLimit,
            ["uses"] = uses?.Spent ?? 0,
            ["uses_held"] = uses?.Held ?? 0,
            ["created_at"] = p.CreatedAt,
            ["updated_at"] = p.UpdatedAt,
        };
        foreach (var (key, value) in DefinitionJson.Write(definition, money))
        {
            o[key] = value?.DeepClone();
        }
        return o;
    }
}
