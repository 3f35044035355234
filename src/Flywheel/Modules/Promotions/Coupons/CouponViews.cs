using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Coupons;

/// <summary>Coupon templates and issued coupons as the API shows them.</summary>
public static class CouponViews
{
    /// <summary>Where an issued coupon is in its life.</summary>
    public static class States
    {
        public const string Unclaimed = "unclaimed";
        public const string Claimed = "claimed";
        public const string Locked = "locked";
        public const string Redeemed = "redeemed";
        public const string Expired = "expired";
    }

    public sealed record CouponView(
        string Id, string Code, string TemplateId, string? CustomerId, string State, DateTimeOffset? ClaimedAt,
        DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, DateTimeOffset CreatedAt, string? OrderId, DateTimeOffset? RedeemedAt);

    public static async Task<JsonObject> TemplateAsync(FlywheelDb db, string currency, CouponTemplate t, CancellationToken ct)
    {
        var issued = await db.Resources.AsNoTracking()
            .Where(r => r.WorkspaceId == t.WorkspaceId && r.Key == ResourceKeys.Issued(t.Id)).Select(r => (long?)r.Spent).FirstOrDefaultAsync(ct) ?? 0;
        var codes = db.Coupons.Where(c => c.WorkspaceId == t.WorkspaceId && c.TemplateId == t.Id).Select(c => "coupon:" + c.Code);
        var usage = await db.Resources.AsNoTracking()
            .Where(r => r.WorkspaceId == t.WorkspaceId && codes.Contains(r.Key))
            .GroupBy(_ => 1)
            .Select(g => new { Redeemed = g.Sum(r => r.Spent), Locked = g.Sum(r => r.Held) })
            .FirstOrDefaultAsync(ct);
        var claimed = await db.Coupons.CountAsync(c => c.WorkspaceId == t.WorkspaceId && c.TemplateId == t.Id && c.CustomerId != null, ct);
        var money = MoneyUnits.Major(currency);
        var o = new JsonObject
        {
            ["id"] = t.Id,
            ["name"] = t.Name,
            ["status"] = t.Status,
            ["currency"] = currency,
            ["valid_from"] = t.ValidFrom,
            ["valid_until"] = t.ValidUntil,
            ["valid_days_after_claim"] = t.ValidDaysAfterClaim,
            ["per_customer_limit"] = t.PerCustomerLimit,
            ["total_limit"] = t.TotalLimit,
            ["issued"] = issued,
            ["claimed"] = claimed,
            ["locked"] = usage?.Locked ?? 0,
            ["redeemed"] = usage?.Redeemed ?? 0,
            ["created_at"] = t.CreatedAt,
            ["updated_at"] = t.UpdatedAt,
        };
        foreach (var (key, value) in DefinitionJson.Write(DefinitionJson.ReadStored(t.Definition, t.Id, t.Name), money))
        {
            if (key is not ("starts_at" or "ends_at" or "cross_store"))
            {
                o[key] = value?.DeepClone();
            }
        }
        return o;
    }

    public static JsonObject AuditedTemplate(CouponTemplate t) => new()
    {
        ["name"] = t.Name,
        ["status"] = t.Status,
        ["valid_from"] = t.ValidFrom,
        ["valid_until"] = t.ValidUntil,
        ["valid_days_after_claim"] = t.ValidDaysAfterClaim,
        ["per_customer_limit"] = t.PerCustomerLimit,
        ["total_limit"] = t.TotalLimit,
        ["definition"] = JsonNode.Parse(t.Definition),
    };

    /// <summary>Coupons with their state: redeemed and locked come from the code's resource, the order from its committed reservation.</summary>
    public static async Task<List<CouponView>> CouponsAsync(FlywheelDb db, IReadOnlyList<IssuedCoupon> coupons, DateTimeOffset now, CancellationToken ct)
    {
        if (coupons.Count == 0)
        {
            return [];
        }
        var workspaceId = coupons[0].WorkspaceId;
        var keys = coupons.Select(c => ResourceKeys.Coupon(c.Code)).ToArray();
        var resources = await HoldLedger.ResourcesAsync(db, workspaceId, keys, ct);
        var redemptions = await db.Holds.AsNoTracking()
            .Where(h => h.WorkspaceId == workspaceId && keys.Contains(h.ResourceKey))
            .Join(db.Reservations.Where(r => r.State == ReservationState.Committed), h => h.ReservationId, r => r.Id,
                (h, r) => new { h.ResourceKey, r.OrderId, r.ClosedAt })
            .ToListAsync(ct);
        var byKey = redemptions.GroupBy(r => r.ResourceKey).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return coupons.Select(c =>
        {
            var key = ResourceKeys.Coupon(c.Code);
            var resource = resources.GetValueOrDefault(key);
            var redemption = byKey.GetValueOrDefault(key);
            var state = resource is { Spent: > 0 } ? States.Redeemed
                : resource is { Held: > 0 } ? States.Locked
                : c.ValidUntil is { } until && until <= now ? States.Expired
                : c.CustomerId is not null ? States.Claimed
                : States.Unclaimed;
            return new CouponView(c.Id, c.Code, c.TemplateId, c.CustomerId, state, c.ClaimedAt, c.ValidFrom, c.ValidUntil, c.CreatedAt,
                redemption?.OrderId, redemption?.ClosedAt);
        }).ToList();
    }
}
