using System.Security.Claims;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Coupons;

/// <summary>
/// 领券: a customer takes a coupon. POST /api/v1/coupon-templates/{id}/claim {customer_id, segments, lifecycle, tier}
/// makes a new coupon for the customer (from a coupon centre, a journey, a campaign page); POST /api/v1/coupons/claim
/// {code, customer_id} puts a generated code into the customer's wallet. Both count against the template's limits in
/// the same transaction as the coupon is written, so concurrent claims never exceed them.
/// </summary>
public static class ClaimCoupon
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/coupon-templates/{id}/claim", ClaimTemplateAsync).RequireAuthorization(Scopes.CheckoutWrite).WithIdempotency()
            .WithName("ClaimCoupon").WithSummary("A customer claims a new coupon of a template");
        group.MapPost("/coupons/claim", ClaimCodeAsync).RequireAuthorization(Scopes.CheckoutWrite).WithIdempotency()
            .WithName("ClaimCouponCode").WithSummary("A customer claims a generated code into their wallet");
    }

    public static async Task<IResult> ClaimTemplateAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, HoldLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "customer_id", "segments", "lifecycle", "tier");
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var j = new JsonInput(document.RootElement, errors);
        var customerId = Fields.Required(j.Text("customer_id"), "customer_id", 200, errors);
        var facts = new CustomerFacts(customerId ?? "")
        {
            Segments = j.Strings("segments") ?? [],
            Lifecycle = j.Text("lifecycle") ?? "",
            Tier = j.Text("tier") ?? "",
        };
        return errors.Any ? Problems.Validation(errors.ToDictionary()) : await FromTemplateAsync(id, facts, caller, db, ledger, clock, ct);
    }

    public static async Task<IResult> FromTemplateAsync(string id, CustomerFacts customer, ClaimsPrincipal caller, FlywheelDb db, HoldLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var template = await CouponTemplatesApi.FindAsync(db, workspaceId, id, ct);
        if (template is null)
        {
            return CouponTemplatesApi.NotFound(id);
        }
        var now = clock.GetUtcNow();
        if (Unclaimable(template, now) is { } why)
        {
            return Problems.Conflict(why);
        }
        var definition = Definitions.DefinitionJson.ReadStored(template.Definition, template.Id, template.Name);
        if (!definition.Audience.Admits(customer))
        {
            return Problems.Conflict($"Customer {customer.Id} is not among those coupon template {id} is for (its segments, tiers or lifecycle stages).");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var refused = await ledger.SpendAsync(db, workspaceId, Limits(template, customer.Id), ct);
        if (refused is not null)
        {
            await tx.RollbackAsync(ct);
            return LimitReached(template, refused);
        }
        var coupon = new IssuedCoupon
        {
            Id = Ids.New("cpn"),
            WorkspaceId = workspaceId,
            TemplateId = id,
            Code = CouponCodes.New(null),
            CustomerId = customer.Id,
            ClaimedAt = now,
            CreatedAt = now,
        };
        SetValidity(coupon, template, now);
        db.Coupons.Add(coupon);
        db.Record(caller, now, "claimed", "coupon", coupon.Id, after: new { coupon.Code, template_id = id, customer_id = customer.Id });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/coupons/{coupon.Code}", (await CouponViews.CouponsAsync(db, [coupon], now, ct))[0]);
    }

    public static async Task<IResult> ClaimCodeAsync(HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, HoldLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "code", "customer_id");
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var j = new JsonInput(document.RootElement, errors);
        var code = Fields.Required(j.Text("code"), "code", 40, errors);
        var customerId = Fields.Required(j.Text("customer_id"), "customer_id", 200, errors);
        return errors.Any ? Problems.Validation(errors.ToDictionary()) : await CodeAsync(CouponCodes.Normalize(code!), customerId!, caller, db, ledger, clock, ct);
    }

    /// <summary>Claiming a code the customer already holds answers as the first claim did, and counts nothing again.</summary>
    public static async Task<IResult> CodeAsync(string code, string customerId, ClaimsPrincipal caller, FlywheelDb db, HoldLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var now = clock.GetUtcNow();
        var coupon = await db.Coupons.AsNoTracking().FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.Code == code, ct);
        if (coupon is null)
        {
            return Problems.NotFound($"There is no coupon with the code '{code}'.");
        }
        if (coupon.CustomerId == customerId)
        {
            return TypedResults.Ok((await CouponViews.CouponsAsync(db, [coupon], now, ct))[0]);
        }
        if (coupon.CustomerId is not null)
        {
            return Problems.Conflict($"The code '{code}' has been claimed by another customer.");
        }
        var template = (await CouponTemplatesApi.FindAsync(db, workspaceId, coupon.TemplateId, ct))!;
        if (Unclaimable(template, now) is { } why)
        {
            return Problems.Conflict(why);
        }
        var validity = new IssuedCoupon { Id = "", WorkspaceId = "", TemplateId = "", Code = "", ValidFrom = coupon.ValidFrom, ValidUntil = coupon.ValidUntil };
        SetValidity(validity, template, now);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Conditional: of two customers claiming one code at once, one gets it.
        var taken = await db.Coupons.Where(c => c.WorkspaceId == workspaceId && c.Code == code && c.CustomerId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, customerId).SetProperty(c => c.ClaimedAt, now)
                .SetProperty(c => c.ValidFrom, validity.ValidFrom).SetProperty(c => c.ValidUntil, validity.ValidUntil), ct);
        if (taken == 0)
        {
            await tx.RollbackAsync(ct);
            return Problems.Conflict($"The code '{code}' has been claimed by another customer.");
        }
        // Generated codes were counted against the total when they were made: only the customer's own limit is taken here.
        var perCustomer = Limits(template, customerId).Where(l => l.Resource != ResourceKeys.Issued(template.Id)).ToList();
        if (await ledger.SpendAsync(db, workspaceId, perCustomer, ct) is { } refused)
        {
            await tx.RollbackAsync(ct);
            return LimitReached(template, refused);
        }
        db.Record(caller, now, "claimed", "coupon", coupon.Id, after: new { coupon.Code, template_id = template.Id, customer_id = customerId });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var claimed = await db.Coupons.AsNoTracking().FirstAsync(c => c.Id == coupon.Id, ct);
        return TypedResults.Ok((await CouponViews.CouponsAsync(db, [claimed], now, ct))[0]);
    }

    private static string? Unclaimable(CouponTemplate template, DateTimeOffset now) =>
        template.Status != TemplateStatus.Active ? $"Coupon template {template.Id} is {template.Status}: its coupons cannot be claimed."
        : template.ValidUntil is { } until && until <= now ? $"Coupon template {template.Id}'s coupons were valid until {until:O}."
        : null;

    private static List<HoldRequest> Limits(CouponTemplate template, string customerId)
    {
        var limits = new List<HoldRequest> { new(ResourceKeys.Issued(template.Id), 1, template.TotalLimit ?? ResourceKeys.Unlimited) };
        if (template.PerCustomerLimit is { } perCustomer)
        {
            limits.Add(new HoldRequest(ResourceKeys.Claims(template.Id, customerId), 1, perCustomer));
        }
        return limits;
    }

    private static void SetValidity(IssuedCoupon coupon, CouponTemplate template, DateTimeOffset claimedAt)
    {
        if (template.ValidDaysAfterClaim is { } days)
        {
            coupon.ValidFrom = claimedAt;
            coupon.ValidUntil = claimedAt.AddDays(days);
        }
        else
        {
            coupon.ValidFrom = template.ValidFrom;
            coupon.ValidUntil = template.ValidUntil;
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult LimitReached(CouponTemplate template, HoldRequest refused) =>
        refused.Resource == ResourceKeys.Issued(template.Id)
            ? Problems.Conflict($"Coupon template {template.Id} has issued all {template.TotalLimit} of its coupons.")
            : Problems.Conflict($"The customer has claimed {template.PerCustomerLimit} coupon(s) of template {template.Id}, the most one customer may.");
}
