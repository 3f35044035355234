using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Bargains;

/// <summary>Bargain campaigns and bargains as the API and the console show them (amounts in major units).</summary>
public static class BargainViews
{
    public static async Task<List<JsonObject>> CampaignsAsync(FlywheelDb db, string currency, IReadOnlyList<BargainCampaign> campaigns, DateTimeOffset now, CancellationToken ct)
    {
        var ids = campaigns.Select(c => c.Id).ToArray();
        var bargains = await db.Bargains.AsNoTracking().Where(b => ids.Contains(b.CampaignId))
            .Select(b => new { b.CampaignId, b.State, b.ExpiresAt }).ToListAsync(ct);
        return campaigns.Select(c =>
        {
            var o = Campaign(c, currency);
            foreach (var state in BargainState.All)
            {
                o["bargains_" + state] = bargains.Count(b => b.CampaignId == c.Id && StateAt(b.State, b.ExpiresAt, now) == state);
            }
            return o;
        }).ToList();
    }

    public static JsonObject Campaign(BargainCampaign c, string currency)
    {
        var money = MoneyUnits.Major(currency);
        return new JsonObject
        {
            ["id"] = c.Id,
            ["name"] = c.Name,
            ["status"] = c.Status,
            ["sku"] = c.Sku,
            ["currency"] = currency,
            ["start_price"] = money.Write(c.StartPrice),
            ["floor_price"] = money.Write(c.FloorPrice),
            ["helpers"] = c.Helpers,
            ["min_cut"] = money.Write(c.MinCut),
            ["max_cut"] = money.Write(c.MaxCut),
            ["time_limit_hours"] = c.TimeLimitHours,
            ["starts_at"] = c.StartsAt,
            ["ends_at"] = c.EndsAt,
            ["combines_with"] = CampaignFields.Names(c.CombinesWith),
            ["per_device_limit"] = c.PerDeviceLimit,
            ["per_ip_limit"] = c.PerIpLimit,
            ["version"] = c.Version,
            ["created_at"] = c.CreatedAt,
            ["updated_at"] = c.UpdatedAt,
        };
    }

    /// <summary>The fields the audit log records before and after a change (amounts in minor units).</summary>
    public static JsonObject Audited(BargainCampaign c) => new()
    {
        ["name"] = c.Name,
        ["status"] = c.Status,
        ["sku"] = c.Sku,
        ["start_price_minor"] = c.StartPrice,
        ["floor_price_minor"] = c.FloorPrice,
        ["helpers"] = c.Helpers,
        ["min_cut_minor"] = c.MinCut,
        ["max_cut_minor"] = c.MaxCut,
        ["time_limit_hours"] = c.TimeLimitHours,
        ["starts_at"] = c.StartsAt,
        ["ends_at"] = c.EndsAt,
        ["combines_with"] = c.CombinesWith,
        ["per_device_limit"] = c.PerDeviceLimit,
        ["per_ip_limit"] = c.PerIpLimit,
    };

    /// <summary>An open bargain past its expiry shows as expired.</summary>
    public static string StateAt(string stored, DateTimeOffset expiresAt, DateTimeOffset now) =>
        stored == BargainState.Open && now >= expiresAt ? BargainState.Expired : stored;

    /// <summary>A bargain with its price now and every help in order.</summary>
    public static async Task<JsonObject> BargainAsync(FlywheelDb db, string currency, Bargain b, DateTimeOffset now, CancellationToken ct)
    {
        var money = MoneyUnits.Major(currency);
        var helps = await db.BargainHelps.AsNoTracking().Where(h => h.BargainId == b.Id).OrderBy(h => h.Sequence).ToListAsync(ct);
        return new JsonObject
        {
            ["id"] = b.Id,
            ["campaign_id"] = b.CampaignId,
            ["customer_id"] = b.CustomerId,
            ["state"] = StateAt(b.State, b.ExpiresAt, now),
            ["start_price"] = money.Write(b.StartPrice),
            ["floor_price"] = money.Write(b.FloorPrice),
            ["price"] = money.Write(b.StartPrice - b.CutTotal),
            ["cut_total"] = money.Write(b.CutTotal),
            ["helps"] = b.Helps,
            ["helpers"] = b.Helpers,
            ["created_at"] = b.CreatedAt,
            ["expires_at"] = b.ExpiresAt,
            ["succeeded_at"] = b.SucceededAt,
            ["help_list"] = new JsonArray(helps.Select(h => (JsonNode)new JsonObject
            {
                ["sequence"] = h.Sequence,
                ["helper_id"] = h.HelperId,
                ["cut"] = money.Write(h.Cut),
                ["device_id"] = h.DeviceId,
                ["ip"] = h.Ip,
                ["at"] = h.CreatedAt,
            }).ToArray()),
        };
    }
}
