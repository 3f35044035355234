using System.Text.Json;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.Bargains;

/// <summary>
/// The body of a bargain campaign's create or replace: the common campaign fields, the start and floor prices, the
/// number of helps and the bounds of one cut (major units), and the anti-farming limits. Every mistake names its field.
/// </summary>
public sealed record BargainInput(
    CampaignTerms Terms, long StartPrice, long FloorPrice, int Helpers, long MinCut, long MaxCut, int PerDeviceLimit, int PerIpLimit)
{
    public const int MaxHelpers = 1000;
    public const int MaxLimit = 1000;

    public static readonly string[] Fields =
        [.. CampaignFields.Fields, "start_price", "floor_price", "helpers", "min_cut", "max_cut", "per_device_limit", "per_ip_limit"];

    public static BargainInput? Read(JsonElement body, WorkspaceSettings settings, FieldErrors errors)
    {
        var j = new JsonInput(body, errors);
        var terms = CampaignFields.Read(j, settings.Zone);
        var money = MoneyUnits.Major(settings.Currency);
        var start = Amount(j, money, "start_price", required: true);
        var floor = Amount(j, money, "floor_price", required: true);
        if (start is { } s && floor is { } f && f >= s)
        {
            errors.Add("floor_price", "must be below start_price.");
        }
        var helpers = j.WholeNumber("helpers");
        if (helpers is null && !errors.Has("helpers"))
        {
            errors.Add("helpers", $"is required: how many helps take the price to the floor, 1 to {MaxHelpers}.");
        }
        else if (helpers is < 1 or > MaxHelpers)
        {
            errors.Add("helpers", $"must be from 1 to {MaxHelpers}.");
        }
        var minCut = Amount(j, money, "min_cut", required: false);
        var maxCut = Amount(j, money, "max_cut", required: false);
        if (minCut is 0)
        {
            errors.Add("min_cut", "must be more than 0: every help cuts something.");
        }
        var perDevice = Limit(j, "per_device_limit", 1);
        var perIp = Limit(j, "per_ip_limit", 5);
        if (errors.Any || terms is null)
        {
            return null;
        }
        var total = start!.Value - floor!.Value;
        var low = minCut ?? 1;
        var high = maxCut ?? total;
        if (low > high)
        {
            errors.Add("max_cut", "must not be below min_cut.");
        }
        else if (!BargainCuts.Feasible(total, helpers!.Value, low, high))
        {
            var field = minCut is null && maxCut is null ? "helpers" : helpers!.Value * low > total ? "min_cut" : "max_cut";
            errors.Add(field, $"{helpers} helps of {money.Write(low)} to {money.Write(high)} each cannot add up to exactly start_price − floor_price = {money.Write(total)}.");
        }
        return errors.Any ? null : new BargainInput(terms, start.Value, floor.Value, helpers!.Value, low, high, perDevice, perIp);
    }

    private static long? Amount(JsonInput j, MoneyUnits money, string name, bool required)
    {
        var value = money.Read(j, name);
        if (value is null && required && !j.Errors.Has(name))
        {
            j.Errors.Add(name, "is required.");
        }
        else if (value > PromotionValidation.MaxAmount)
        {
            j.Errors.Add(name, "is too large.");
            return null;
        }
        return value;
    }

    private static int Limit(JsonInput j, string name, int fallback)
    {
        var value = j.WholeNumber(name) ?? fallback;
        if (value is < 1 or > MaxLimit)
        {
            j.Errors.Add(name, $"must be from 1 to {MaxLimit}.");
        }
        return value;
    }
}
