using System.Text.Json;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.Management;

/// <summary>
/// The body of a promotion's create or replace: the definition the pricing core understands (docs/promotions.md),
/// plus status, budget (major units of the workspace currency) and usage limits. Checked field by field, then by
/// the core's <see cref="PromotionValidation"/>, so every mistake comes back naming its field.
/// </summary>
public sealed record PromotionInput(Promotion Definition, string Status, long? Budget, string? CampaignBudgetId, int? PerCustomerLimit, int? TotalLimit)
{
    public static readonly string[] Fields = ["name", "status", "budget", "campaign_budget", "per_customer_limit", "total_limit", .. DefinitionJson.Fields];

    public static PromotionInput? Read(JsonElement body, string id, WorkspaceSettings settings, FieldErrors errors)
    {
        var j = new JsonInput(body, errors);
        var name = Platform.Api.Fields.Required(j.Text("name"), "name", 200, errors);
        var status = j.Text("status") ?? PromotionStatus.Draft;
        if (!PromotionStatus.All.Contains(status))
        {
            errors.Add("status", $"'{status}' is not one of {string.Join(", ", PromotionStatus.All)}.");
        }
        var money = MoneyUnits.Major(settings.Currency);
        var budget = money.Read(j, "budget");
        var campaignBudget = Platform.Api.Fields.Optional(j.Text("campaign_budget"), "campaign_budget", 40, errors);
        var perCustomer = Limit(j, "per_customer_limit");
        var total = Limit(j, "total_limit");
        var definition = DefinitionJson.Read(body, id, name ?? "", money, settings.Zone, errors);
        if (definition is null || errors.Any)
        {
            return null;
        }
        // The budget is checked as the core checks what is left of one: within its range of amounts.
        ValidationFields.AddTo(errors, PromotionValidation.Validate(definition with { BudgetRemaining = budget }));
        return errors.Any ? null : new PromotionInput(definition, status, budget, campaignBudget, perCustomer, total);
    }

    private static int? Limit(JsonInput j, string name)
    {
        var value = j.WholeNumber(name);
        if (value is < 1)
        {
            j.Errors.Add(name, "must be at least 1 (leave it out for no limit).");
            return null;
        }
        return value;
    }
}
