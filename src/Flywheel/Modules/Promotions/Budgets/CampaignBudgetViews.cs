using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Budgets;

/// <summary>
/// A campaign budget as the API shows it, in major units: the amount, what paid orders spent and open checkouts hold,
/// what is left, whether it is nearly spent, and each promotion drawing on it with what that promotion gave.
/// </summary>
public static class CampaignBudgetViews
{
    public static async Task<List<JsonObject>> ManyAsync(FlywheelDb db, string workspaceId, string currency, IReadOnlyList<CampaignBudget> budgets, CancellationToken ct)
    {
        var ids = budgets.Select(b => b.Id).ToArray();
        var promotions = await db.Promotions.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.CampaignBudgetId != null && ids.Contains(p.CampaignBudgetId))
            .OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(p => new { p.Id, p.Name, p.Status, p.CampaignBudgetId })
            .ToListAsync(ct);
        var keys = budgets.Select(b => ResourceKeys.CampaignBudget(b.Id)).Concat(promotions.Select(p => ResourceKeys.Budget(p.Id))).ToArray();
        var resources = await HoldLedger.ResourcesAsync(db, workspaceId, keys, ct);
        var money = MoneyUnits.Major(currency);
        return budgets.Select(b =>
        {
            var resource = resources.GetValueOrDefault(ResourceKeys.CampaignBudget(b.Id));
            var drawing = new JsonArray(promotions.Where(p => p.CampaignBudgetId == b.Id).Select(p => (JsonNode)new JsonObject
            {
                ["id"] = p.Id,
                ["name"] = p.Name,
                ["status"] = p.Status,
                ["spent"] = money.Write(resources.GetValueOrDefault(ResourceKeys.Budget(p.Id))?.Spent ?? 0),
            }).ToArray());
            return Of(b, money, currency, resource?.Spent ?? 0, resource?.Held ?? 0, drawing);
        }).ToList();
    }

    public static async Task<JsonObject> OneAsync(FlywheelDb db, string currency, CampaignBudget budget, CancellationToken ct) =>
        (await ManyAsync(db, budget.WorkspaceId, currency, [budget], ct))[0];

    /// <summary>The fields the audit log records before and after a change.</summary>
    public static JsonObject Audited(CampaignBudget b) => new()
    {
        ["name"] = b.Name,
        ["amount_minor"] = b.Amount,
        ["warn_at_percent"] = b.WarnAtPercent,
    };

    private static JsonObject Of(CampaignBudget b, MoneyUnits money, string currency, long spent, long held, JsonArray promotions)
    {
        var taken = spent + held;
        return new JsonObject
        {
            ["id"] = b.Id,
            ["name"] = b.Name,
            ["currency"] = currency,
            ["amount"] = money.Write(b.Amount),
            ["spent"] = money.Write(spent),
            ["held"] = money.Write(held),
            ["left"] = money.Write(Math.Max(0, b.Amount - taken)),
            // Spent and held over the amount, in whole percent rounded down: 100 only when nothing is left.
            ["used_percent"] = b.Amount == 0 ? 100 : (int)Math.Min(100, taken * 100 / b.Amount),
            ["warn_at_percent"] = b.WarnAtPercent,
            ["nearly_spent"] = taken * 100 >= (long)b.WarnAtPercent * b.Amount,
            ["promotions"] = promotions,
            ["created_at"] = b.CreatedAt,
            ["updated_at"] = b.UpdatedAt,
        };
    }
}
