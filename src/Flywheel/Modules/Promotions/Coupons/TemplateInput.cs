using System.Text.Json;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.Coupons;

/// <summary>
/// The body of a coupon template's create or replace: the coupon's reward — fixed (amount_off), percent with a cap
/// (percent_off), threshold (threshold_off), free shipping or gifts — with its scope and audience, and when issued
/// coupons are valid and how many may be issued. Checked by the pricing core like any promotion.
/// </summary>
public sealed record TemplateInput(
    Promotion Definition, string Status, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, int? ValidDaysAfterClaim,
    int? PerCustomerLimit, int? TotalLimit)
{
    public const int MaxValidDays = 3650;

    public static readonly string[] CouponKinds = ["amount_off", "percent_off", "threshold_off", "free_shipping", "gifts"];

    public static readonly string[] Fields =
    [
        "name", "status", "valid_from", "valid_until", "valid_days_after_claim", "per_customer_limit", "total_limit",
        "class", "reward", "scope", "audience", "minimum_spend", "minimum_quantity", "priority", "exclusivity_group", "combines_with",
    ];

    public static TemplateInput? Read(JsonElement body, string id, WorkspaceSettings settings, FieldErrors errors)
    {
        var j = new JsonInput(body, errors);
        var name = Platform.Api.Fields.Required(j.Text("name"), "name", 200, errors);
        var status = j.Text("status") ?? TemplateStatus.Active;
        if (!TemplateStatus.All.Contains(status))
        {
            errors.Add("status", $"'{status}' is not one of {string.Join(", ", TemplateStatus.All)}.");
        }
        var validFrom = Instant(j, "valid_from", settings.Zone);
        var validUntil = Instant(j, "valid_until", settings.Zone);
        var days = j.WholeNumber("valid_days_after_claim");
        if (days is < 1 or > MaxValidDays)
        {
            errors.Add("valid_days_after_claim", $"must be from 1 to {MaxValidDays} days.");
        }
        if (days is not null && (validFrom is not null || validUntil is not null))
        {
            errors.Add("valid_days_after_claim", "is an alternative to valid_from/valid_until: give one or the other.");
        }
        var perCustomer = Limit(j, "per_customer_limit");
        var total = Limit(j, "total_limit");
        var money = MoneyUnits.Major(settings.Currency);
        var definition = DefinitionJson.Read(body, id, name ?? "", money, settings.Zone, errors);
        if (definition is null || errors.Any)
        {
            return null;
        }
        if (!CouponKinds.Contains(DefinitionJson.KindOf(definition.Reward)))
        {
            errors.Add("reward.kind", $"a coupon is one of {string.Join(", ", CouponKinds)}.");
            return null;
        }
        // Checked as the coupon the core will price: its window is the template's, and the core's "endsAt" is valid_until.
        foreach (var error in PromotionValidation.Validate(definition with { StartsAt = validFrom, EndsAt = validUntil, CouponCode = "CHECK" }))
        {
            errors.Add(error.Field switch { "endsAt" => "valid_until", "startsAt" => "valid_from", var f => ValidationFields.ApiName(f) }, error.Message + ".");
        }
        return errors.Any ? null : new TemplateInput(definition, status, validFrom, validUntil, days, perCustomer, total);
    }

    private static DateTimeOffset? Instant(JsonInput j, string name, TimeZoneInfo zone)
    {
        if (j.Text(name) is not { } text)
        {
            return null;
        }
        if (Instants.TryParse(text, zone, out var value))
        {
            return value;
        }
        j.Errors.Add(name, $"'{text}' is not a date-time (ISO 8601, e.g. 2026-11-11T00:00:00+08:00).");
        return null;
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
