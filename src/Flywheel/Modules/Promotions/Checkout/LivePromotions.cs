using Flywheel.Modules.Promotions.Budgets;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Checkout;

/// <summary>A code that never reached pricing, and why.</summary>
public sealed record RejectedCode(string Code, string Reason, string Explanation);

/// <summary>
/// What one checkout prices against: the active promotions, the customer's claimed coupons and the codes entered,
/// each with the facts pricing takes as inputs (budget left, whether a limit is reached) read from the hold ledger,
/// what each would need to hold if it applies, and the version of each stored promotion (for replaying the price).
/// </summary>
public sealed record LivePromotions(
    IReadOnlyList<Promotion> Promotions, IReadOnlyList<Promotion> Coupons, IReadOnlyList<RejectedCode> RejectedCodes,
    IReadOnlyDictionary<string, Func<long, IReadOnlyList<HoldRequest>>> HoldsIfApplied, IReadOnlyDictionary<string, int> Versions)
{
    /// <summary>The id pricing knows a coupon by.</summary>
    public static string CouponId(string code) => "coupon:" + code;

    public static async Task<LivePromotions> LoadAsync(
        FlywheelDb db, LiveCatalog catalog, string workspaceId, Cart cart, IReadOnlyList<string> codes, CancellationToken ct)
    {
        var customerId = cart.Customer.Id;
        var now = cart.Now;
        var active = await catalog.ActiveAsync(db, workspaceId, ct);
        var coupons = await db.Coupons.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && (codes.Contains(c.Code) || c.CustomerId == customerId))
            .Where(c => codes.Contains(c.Code) || c.ValidUntil == null || c.ValidUntil > now)
            .ToListAsync(ct);
        var templateIds = coupons.Select(c => c.TemplateId).Distinct().ToArray();
        var templates = templateIds.Length == 0
            ? []
            : await db.CouponTemplates.AsNoTracking().Where(t => templateIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);

        // The ledger's facts are read fresh on every quote, but only for the promotions they can change the answer of:
        // a finite one that passes the checks made before them (dates, audience). For any other the facts change nothing.
        var refusable = active.Where(p => p.IsFinite && Eligibility.Check(p.Definition, cart) is null).ToList();
        var campaignIds = refusable.Select(p => p.CampaignBudgetId).OfType<string>().Distinct().ToArray();
        var campaigns = campaignIds.Length == 0
            ? []
            : await db.CampaignBudgets.AsNoTracking().Where(b => b.WorkspaceId == workspaceId && campaignIds.Contains(b.Id))
                .ToDictionaryAsync(b => b.Id, StringComparer.Ordinal, ct);

        // Only the resources that can refuse something: a budget, a total limit, the customer's limit, a code.
        var keys = refusable.SelectMany(p => new[]
            {
                p.Budget is null ? null : ResourceKeys.Budget(p.Id),
                p.CampaignBudgetId is null ? null : ResourceKeys.CampaignBudget(p.CampaignBudgetId),
                p.TotalLimit is null ? null : ResourceKeys.Uses(p.Id),
                p.PerCustomerLimit is null ? null : ResourceKeys.CustomerUses(p.Id, customerId),
            })
            .OfType<string>()
            .Concat(coupons.Select(c => ResourceKeys.Coupon(c.Code))).ToArray();
        var resources = await HoldLedger.ResourcesAsync(db, workspaceId, keys, ct);
        long Taken(string key) => resources.TryGetValue(key, out var r) ? r.Held + r.Spent : 0;
        // A budget deleted since the promotion named it gives nothing: nothing is given from a budget nobody can see.
        SharedBudget Shared(string id) => campaigns.TryGetValue(id, out var b)
            ? new SharedBudget(id, b.Name, Math.Max(0, b.Amount - Taken(ResourceKeys.CampaignBudget(id))))
            : new SharedBudget(id, id, 0);

        var holds = new Dictionary<string, Func<long, IReadOnlyList<HoldRequest>>>(StringComparer.Ordinal);
        var promotions = new List<Promotion>(active.Count);
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        var withFacts = refusable.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var p in active)
        {
            versions[p.Id] = p.Version;
            holds[p.Id] = amount => PromotionHolds(p, campaigns.GetValueOrDefault(p.CampaignBudgetId ?? ""), customerId, amount);
            if (!withFacts.Contains(p.Id))
            {
                // Priced as nothing refused it yet: a finite one out of its dates or audience is refused for those
                // before its facts are looked at, so it is never applied and holds nothing.
                promotions.Add(p.Definition);
                continue;
            }
            var limitReached = (p.TotalLimit is { } total && Taken(ResourceKeys.Uses(p.Id)) >= total)
                || (p.PerCustomerLimit is { } perCustomer && Taken(ResourceKeys.CustomerUses(p.Id, customerId)) >= perCustomer);
            promotions.Add(p.Definition with
            {
                BudgetRemaining = p.Budget is { } budget ? Math.Max(0, budget - Taken(ResourceKeys.Budget(p.Id))) : null,
                LimitReached = limitReached,
                SharedBudget = p.CampaignBudgetId is { } campaignId ? Shared(campaignId) : null,
            });
        }

        var resolved = new List<Promotion>();
        var rejected = new List<RejectedCode>();
        foreach (var code in codes.Where(c => coupons.All(x => x.Code != c)))
        {
            rejected.Add(new RejectedCode(code, "unknown_code", $"No coupon has the code '{code}'."));
        }
        foreach (var coupon in coupons.OrderBy(c => c.Code, StringComparer.Ordinal))
        {
            var template = templates[coupon.TemplateId];
            if (coupon.CustomerId is not null && coupon.CustomerId != customerId)
            {
                rejected.Add(new RejectedCode(coupon.Code, "claimed_by_another_customer", $"The code '{coupon.Code}' belongs to another customer."));
                continue;
            }
            if (template.Status != TemplateStatus.Active)
            {
                rejected.Add(new RejectedCode(coupon.Code, "template_" + template.Status, $"Coupons of '{template.Name}' are {template.Status}."));
                continue;
            }
            var entered = codes.Contains(coupon.Code, StringComparer.Ordinal);
            if (!entered && Taken(ResourceKeys.Coupon(coupon.Code)) >= 1)
            {
                continue; // A wallet coupon already redeemed, or locked by an open checkout, is not offered again.
            }
            var definition = DefinitionJson.ReadStored(template.Definition, CouponId(coupon.Code), template.Name);
            resolved.Add(definition with
            {
                CouponCode = coupon.Code,
                StartsAt = coupon.ValidFrom,
                EndsAt = coupon.ValidUntil,
                // Redeemed, or locked by another open checkout: a code is used once.
                LimitReached = Taken(ResourceKeys.Coupon(coupon.Code)) >= 1,
            });
            holds[CouponId(coupon.Code)] = _ => [new HoldRequest(ResourceKeys.Coupon(coupon.Code), 1, 1)];
        }
        return new LivePromotions(promotions, resolved, rejected, holds, versions);
    }

    /// <summary>
    /// What an applied promotion takes: one use (of its total and of the customer's), and its discount from its budget
    /// and from its campaign's.
    /// </summary>
    private static List<HoldRequest> PromotionHolds(LivePromotion p, CampaignBudget? campaign, string customerId, long amount)
    {
        var holds = new List<HoldRequest>
        {
            new(ResourceKeys.Uses(p.Id), 1, p.TotalLimit ?? ResourceKeys.Unlimited),
            new(ResourceKeys.Budget(p.Id), amount, p.Budget ?? ResourceKeys.Unlimited),
        };
        if (p.CampaignBudgetId is { } campaignId)
        {
            holds.Add(new HoldRequest(ResourceKeys.CampaignBudget(campaignId), amount, campaign?.Amount ?? 0));
        }
        if (p.PerCustomerLimit is { } perCustomer)
        {
            holds.Add(new HoldRequest(ResourceKeys.CustomerUses(p.Id, customerId), 1, perCustomer));
        }
        return holds;
    }
}
