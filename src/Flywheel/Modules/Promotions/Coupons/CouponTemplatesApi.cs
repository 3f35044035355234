using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Coupons;

/// <summary>/api/v1/coupon-templates: list, create, read and replace coupon templates. Every change is audited.</summary>
public static class CouponTemplatesApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/coupon-templates", ListAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ListCouponTemplates").WithSummary("Every coupon template, newest first, with issued, claimed and redeemed counts");
        group.MapPost("/coupon-templates", PostAsync).RequireAuthorization(Scopes.PromotionsWrite).WithIdempotency()
            .WithName("CreateCouponTemplate").WithSummary("Create a coupon template");
        group.MapGet("/coupon-templates/{id}", GetAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("GetCouponTemplate").WithSummary("One coupon template");
        group.MapPut("/coupon-templates/{id}", PutAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("ReplaceCouponTemplate").WithSummary("Replace a coupon template (issued coupons keep their validity)");
    }

    public static async Task<Ok<List<JsonObject>>> ListAsync(ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var templates = await db.CouponTemplates.AsNoTracking().Where(t => t.WorkspaceId == workspaceId)
            .OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(ct);
        var views = new List<JsonObject>();
        foreach (var t in templates)
        {
            views.Add(await CouponViews.TemplateAsync(db, settings.Currency, t, ct));
        }
        return TypedResults.Ok(views);
    }

    public static async Task<IResult> GetAsync(string id, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var t = await FindAsync(db, workspaceId, id, ct);
        if (t is null)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        return TypedResults.Ok(await CouponViews.TemplateAsync(db, settings.Currency, t, ct));
    }

    public static Task<IResult> PostAsync(HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, TemplateInput.Fields, body => CreateAsync(body, caller, db, clock, ct), ct);

    public static async Task<IResult> CreateAsync(JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var id = Ids.New("ctpl");
        var errors = new FieldErrors();
        if (TemplateInput.Read(body, id, settings, errors) is not { } input)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var now = clock.GetUtcNow();
        var t = new CouponTemplate
        {
            Id = id,
            WorkspaceId = workspaceId,
            Name = input.Definition.Name,
            Status = input.Status,
            Definition = DefinitionJson.Stored(input.Definition),
            CreatedAt = now,
            UpdatedAt = now,
        };
        Apply(t, input);
        db.CouponTemplates.Add(t);
        db.Record(caller, now, "created", "coupon_template", t.Id, after: CouponViews.AuditedTemplate(t));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/coupon-templates/{t.Id}", await CouponViews.TemplateAsync(db, settings.Currency, t, ct));
    }

    public static Task<IResult> PutAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, TemplateInput.Fields, body => ReplaceAsync(id, body, caller, db, clock, ct), ct);

    /// <summary>Replaces the template. Coupons already issued keep the validity they were given; the reward applies to all.</summary>
    public static async Task<IResult> ReplaceAsync(string id, JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var t = await db.CouponTemplates.FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId && x.Id == id, ct);
        if (t is null)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var errors = new FieldErrors();
        if (TemplateInput.Read(body, id, settings, errors) is not { } input)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var before = CouponViews.AuditedTemplate(t);
        var now = clock.GetUtcNow();
        t.Name = input.Definition.Name;
        t.Status = input.Status;
        t.Definition = DefinitionJson.Stored(input.Definition);
        t.UpdatedAt = now;
        Apply(t, input);
        db.Record(caller, now, "updated", "coupon_template", t.Id, before, CouponViews.AuditedTemplate(t));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await CouponViews.TemplateAsync(db, settings.Currency, t, ct));
    }

    public static Task<CouponTemplate?> FindAsync(FlywheelDb db, string workspaceId, string id, CancellationToken ct) =>
        db.CouponTemplates.AsNoTracking().FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId && x.Id == id, ct);

    public static ProblemHttpResult NotFound(string id) => Problems.NotFound($"There is no coupon template '{id}' in this workspace.");

    private static void Apply(CouponTemplate t, TemplateInput input)
    {
        t.ValidFrom = input.ValidFrom;
        t.ValidUntil = input.ValidUntil;
        t.ValidDaysAfterClaim = input.ValidDaysAfterClaim;
        t.PerCustomerLimit = input.PerCustomerLimit;
        t.TotalLimit = input.TotalLimit;
    }
}
