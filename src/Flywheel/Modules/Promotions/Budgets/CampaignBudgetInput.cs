using System.Text.Json;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Promotions.Budgets;

/// <summary>The body of a campaign budget's create or replace: a name, an amount in major units, and when to warn.</summary>
public sealed record CampaignBudgetInput(string Name, long Amount, int WarnAtPercent)
{
    public const int DefaultWarnAtPercent = 80;

    public static readonly string[] Fields = ["name", "amount", "warn_at_percent"];

    public static CampaignBudgetInput? Read(JsonElement body, string currency, FieldErrors errors)
    {
        var j = new JsonInput(body, errors);
        var name = Platform.Api.Fields.Required(j.Text("name"), "name", 200, errors);
        var amount = MoneyUnits.Major(currency).Read(j, "amount");
        if (amount is null && !errors.Has("amount"))
        {
            errors.Add("amount", "is required.");
        }
        var warnAt = j.WholeNumber("warn_at_percent") ?? DefaultWarnAtPercent;
        if (warnAt is < 1 or > 100)
        {
            errors.Add("warn_at_percent", "must be from 1 to 100.");
        }
        return errors.Any || name is null || amount is null ? null : new CampaignBudgetInput(name, amount.Value, warnAt);
    }
}
