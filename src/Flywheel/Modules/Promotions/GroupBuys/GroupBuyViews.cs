using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.GroupBuys;

/// <summary>Group-buy campaigns and groups as the API and the console show them (amounts in major units).</summary>
public static class GroupBuyViews
{
    public static async Task<List<JsonObject>> CampaignsAsync(FlywheelDb db, string currency, IReadOnlyList<GroupBuyCampaign> campaigns, CancellationToken ct)
    {
        var ids = campaigns.Select(c => c.Id).ToArray();
        var counts = await db.GroupBuyGroups.AsNoTracking().Where(g => ids.Contains(g.CampaignId))
            .GroupBy(g => new { g.CampaignId, g.State }).Select(x => new { x.Key.CampaignId, x.Key.State, Count = x.Count() }).ToListAsync(ct);
        return campaigns.Select(c =>
        {
            var o = Campaign(c, currency);
            foreach (var state in GroupState.All)
            {
                o["groups_" + state] = counts.FirstOrDefault(x => x.CampaignId == c.Id && x.State == state)?.Count ?? 0;
            }
            return o;
        }).ToList();
    }

    public static JsonObject Campaign(GroupBuyCampaign c, string currency)
    {
        var money = MoneyUnits.Major(currency);
        return new JsonObject
        {
            ["id"] = c.Id,
            ["name"] = c.Name,
            ["status"] = c.Status,
            ["sku"] = c.Sku,
            ["currency"] = currency,
            ["group_price"] = money.Write(c.GroupPrice),
            ["group_size"] = c.GroupSize,
            ["time_limit_hours"] = c.TimeLimitHours,
            ["starts_at"] = c.StartsAt,
            ["ends_at"] = c.EndsAt,
            ["combines_with"] = CampaignFields.Names(c.CombinesWith),
            ["virtual_completion_min_members"] = c.VirtualCompletionMinMembers,
            ["version"] = c.Version,
            ["created_at"] = c.CreatedAt,
            ["updated_at"] = c.UpdatedAt,
        };
    }

    /// <summary>The fields the audit log records before and after a change (amounts in minor units).</summary>
    public static JsonObject Audited(GroupBuyCampaign c) => new()
    {
        ["name"] = c.Name,
        ["status"] = c.Status,
        ["sku"] = c.Sku,
        ["group_price_minor"] = c.GroupPrice,
        ["group_size"] = c.GroupSize,
        ["time_limit_hours"] = c.TimeLimitHours,
        ["starts_at"] = c.StartsAt,
        ["ends_at"] = c.EndsAt,
        ["combines_with"] = c.CombinesWith,
        ["virtual_completion_min_members"] = c.VirtualCompletionMinMembers,
    };

    /// <summary>A group with its members: each member's reservation state (held until the group is decided), order and payable.</summary>
    public static async Task<JsonObject> GroupAsync(FlywheelDb db, string currency, GroupBuyGroup g, CancellationToken ct)
    {
        var money = MoneyUnits.Major(currency);
        var members = await GroupBuyService.MembersAsync(db, g.WorkspaceId, g.Id, ct);
        var seated = members.Count(r => r.State is ReservationState.Held or ReservationState.Committed);
        return new JsonObject
        {
            ["id"] = g.Id,
            ["campaign_id"] = g.CampaignId,
            ["leader_id"] = g.LeaderId,
            ["state"] = g.State,
            ["size"] = g.Size,
            ["price"] = money.Write(g.Price),
            ["members_joined"] = seated,
            ["virtual_members"] = g.VirtualMembers,
            ["seats_left"] = g.State == GroupState.Open ? g.Size - seated : 0,
            ["created_at"] = g.CreatedAt,
            ["expires_at"] = g.ExpiresAt,
            ["closed_at"] = g.ClosedAt,
            ["members"] = new JsonArray(members.Select(r =>
            {
                var details = JsonNode.Parse(r.Details);
                return (JsonNode)new JsonObject
                {
                    ["customer_id"] = r.CustomerId,
                    ["reservation_id"] = r.Id,
                    ["state"] = r.State,
                    ["order_id"] = r.OrderId ?? details?["order_id"]?.GetValue<string>(),
                    ["payable"] = details?["quote"]?["payable"]?.DeepClone(),
                    ["joined_at"] = r.CreatedAt,
                };
            }).ToArray()),
        };
    }
}
