using System.Text.Json;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.GroupBuys;

/// <summary>
/// The body of a group-buy campaign's create or replace: the common campaign fields, the group price (major units of
/// the workspace currency), the group size and the virtual-completion setting. Every mistake is named by its field.
/// </summary>
public sealed record GroupBuyInput(CampaignTerms Terms, long GroupPrice, int GroupSize, int? VirtualCompletionMinMembers)
{
    public const int MaxGroupSize = 100;

    public static readonly string[] Fields = [.. CampaignFields.Fields, "group_price", "group_size", "virtual_completion_min_members"];

    public static GroupBuyInput? Read(JsonElement body, WorkspaceSettings settings, FieldErrors errors)
    {
        var j = new JsonInput(body, errors);
        var terms = CampaignFields.Read(j, settings.Zone);
        var price = MoneyUnits.Major(settings.Currency).Read(j, "group_price");
        if (price is null && !errors.Has("group_price"))
        {
            errors.Add("group_price", "is required: the unit price a group's members pay.");
        }
        else if (price is 0)
        {
            errors.Add("group_price", "must be more than 0.");
        }
        else if (price > Pricing.PromotionValidation.MaxAmount)
        {
            errors.Add("group_price", "is too large.");
        }
        var size = j.WholeNumber("group_size");
        if (size is null && !errors.Has("group_size"))
        {
            errors.Add("group_size", $"is required: from 2 to {MaxGroupSize} members.");
        }
        else if (size is < 2 or > MaxGroupSize)
        {
            errors.Add("group_size", $"must be from 2 to {MaxGroupSize} members.");
        }
        var virtualMin = j.WholeNumber("virtual_completion_min_members");
        if (virtualMin is { } v && size is { } n && (v < 1 || v >= n))
        {
            errors.Add("virtual_completion_min_members", $"must be from 1 to {n - 1} (fewer than the group size), or left out for no virtual completion.");
        }
        return errors.Any || terms is null ? null : new GroupBuyInput(terms, price!.Value, size!.Value, virtualMin);
    }
}
