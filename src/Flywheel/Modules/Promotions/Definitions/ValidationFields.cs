using System.Text.Json;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Promotions.Definitions;

/// <summary>
/// Puts the pricing core's validation errors into a request's field errors, in the API's spelling:
/// "reward.tiers[1].minimumQuantity" becomes "reward.tiers[1].minimum_quantity", "budgetRemaining" the API's "budget".
/// </summary>
public static class ValidationFields
{
    public static void AddTo(FieldErrors errors, IEnumerable<ValidationError> found)
    {
        foreach (var error in found)
        {
            errors.Add(ApiName(error.Field), error.Message + ".");
        }
    }

    public static string ApiName(string coreField) => coreField switch
    {
        "budgetRemaining" => "budget",
        _ => string.Join('.', coreField.Split('.').Select(Segment)),
    };

    private static string Segment(string part)
    {
        var bracket = part.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0
            ? JsonNamingPolicy.SnakeCaseLower.ConvertName(part)
            : JsonNamingPolicy.SnakeCaseLower.ConvertName(part[..bracket]) + part[bracket..];
    }
}
