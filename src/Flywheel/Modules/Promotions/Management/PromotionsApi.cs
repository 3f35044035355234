using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Budgets;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Management;

/// <summary>
/// /api/v1/promotions: list, create, read, replace, change the status of, and delete (drafts only) promotions. Every
/// change is written to the audit log in the same transaction. Definitions and rules: docs/promotions.md.
/// </summary>
public static class PromotionsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/promotions", ListAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ListPromotions").WithSummary("Every promotion, newest first, with budget and usage so far");
        group.MapPost("/promotions", PostAsync).RequireAuthorization(Scopes.PromotionsWrite).WithIdempotency()
            .WithName("CreatePromotion").WithSummary("Create a promotion (a draft unless a status is given)");
        group.MapGet("/promotions/{id}", GetAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("GetPromotion").WithSummary("One promotion");
        group.MapPut("/promotions/{id}", PutAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("ReplacePromotion").WithSummary("Replace a promotion's definition, status, budget and limits");
        group.MapPost("/promotions/{id}/status", StatusAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("SetPromotionStatus").WithSummary("Activate, pause or end a promotion");
        group.MapDelete("/promotions/{id}", DeleteAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("DeletePromotion").WithSummary("Delete a draft promotion");
    }

    public static async Task<Ok<List<JsonObject>>> ListAsync(string? status, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var query = db.Promotions.AsNoTracking().Where(p => p.WorkspaceId == workspaceId);
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(p => p.Status == status);
        }
        var promotions = await query.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(ct);
        return TypedResults.Ok(await PromotionViews.ManyAsync(db, workspaceId, settings.Currency, promotions, ct));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var p = await db.Promotions.AsNoTracking().FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId && x.Id == id, ct);
        if (p is null)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        return TypedResults.Ok(await PromotionViews.OneAsync(db, settings.Currency, p, ct));
    }

    public static Task<IResult> PostAsync(HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, PromotionInput.Fields, body => CreateAsync(body, caller, db, clock, ct), ct);

    /// <summary>Creates a promotion from a body of <see cref="PromotionInput.Fields"/>.</summary>
    public static async Task<IResult> CreateAsync(JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var id = Ids.New("promo");
        var errors = new FieldErrors();
        if (PromotionInput.Read(body, id, settings, errors) is not { } input)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (await CampaignBudgetsApi.MissingAsync(db, workspaceId, input.CampaignBudgetId, ct) is { } missing)
        {
            return Problems.Validation("campaign_budget", missing);
        }
        var now = clock.GetUtcNow();
        var p = new StoredPromotion
        {
            Id = id,
            WorkspaceId = workspaceId,
            Name = input.Definition.Name,
            Status = input.Status,
            Definition = DefinitionJson.Stored(input.Definition),
            Budget = input.Budget,
            CampaignBudgetId = input.CampaignBudgetId,
            PerCustomerLimit = input.PerCustomerLimit,
            TotalLimit = input.TotalLimit,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Promotions.Add(p);
        db.PromotionVersions.Add(PromotionVersion.Of(p, now));
        db.Record(caller, now, "created", "promotion", p.Id, after: PromotionViews.Audited(p));
        await PromotionChanges.SaveAsync(db, workspaceId, ct);
        return TypedResults.Created($"/api/v1/promotions/{p.Id}", await PromotionViews.OneAsync(db, settings.Currency, p, ct));
    }

    public static Task<IResult> PutAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, PromotionInput.Fields, body => ReplaceAsync(id, body, caller, db, clock, ct), ct);

    /// <summary>
    /// Replaces everything but the id. What was already given stays counted: a budget cut below the amount spent
    /// leaves nothing to give, and the promotion stops applying.
    /// </summary>
    public static async Task<IResult> ReplaceAsync(string id, JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var p = await db.Promotions.FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId && x.Id == id, ct);
        if (p is null)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var errors = new FieldErrors();
        if (PromotionInput.Read(body, id, settings, errors) is not { } input)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (p.Status == PromotionStatus.Ended)
        {
            return Ended(id);
        }
        if (await CampaignBudgetsApi.MissingAsync(db, workspaceId, input.CampaignBudgetId, ct) is { } missing)
        {
            return Problems.Validation("campaign_budget", missing);
        }
        var before = PromotionViews.Audited(p);
        var now = clock.GetUtcNow();
        p.Name = input.Definition.Name;
        p.Status = input.Status;
        p.Definition = DefinitionJson.Stored(input.Definition);
        p.Budget = input.Budget;
        p.CampaignBudgetId = input.CampaignBudgetId;
        p.PerCustomerLimit = input.PerCustomerLimit;
        p.TotalLimit = input.TotalLimit;
        p.UpdatedAt = now;
        p.Version++;
        db.PromotionVersions.Add(PromotionVersion.Of(p, now));
        db.Record(caller, now, "updated", "promotion", p.Id, before, PromotionViews.Audited(p));
        try
        {
            await PromotionChanges.SaveAsync(db, workspaceId, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict($"Promotion {id} was changed by someone else meanwhile; reload it and make the change again.");
        }
        return TypedResults.Ok(await PromotionViews.OneAsync(db, settings.Currency, p, ct));
    }

    private static readonly ManagedOffers<StoredPromotion> Offers = new("promotion", "Promotion", NotFound, Ended, PromotionViews.Audited);

    public static Task<IResult> StatusAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        Offers.FromBodyAsync(id, request, caller, db, clock, async p => TypedResults.Ok(await PromotionViews.OneAsync(db, (await WorkspaceSettings.LoadAsync(db, p.WorkspaceId, ct)).Currency, p, ct)), ct);

    /// <summary>Draft, active and paused move freely among themselves; ended is final.</summary>
    public static Task<IResult> SetStatusAsync(string id, string? status, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        Offers.SetAsync(id, status, caller, db, clock, async p => TypedResults.Ok(await PromotionViews.OneAsync(db, (await WorkspaceSettings.LoadAsync(db, p.WorkspaceId, ct)).Currency, p, ct)), ct);

    /// <summary>Only a draft is deleted: one that has run keeps its record, and is ended instead.</summary>
    public static async Task<IResult> DeleteAsync(string id, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var p = await db.Promotions.FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId && x.Id == id, ct);
        if (p is null)
        {
            return NotFound(id);
        }
        if (p.Status != PromotionStatus.Draft)
        {
            return Problems.Conflict($"Promotion {id} is {p.Status}: only a draft can be deleted; end it instead.");
        }
        db.Promotions.Remove(p);
        db.Record(caller, clock.GetUtcNow(), "deleted", "promotion", p.Id, before: PromotionViews.Audited(p));
        await PromotionChanges.SaveAsync(db, workspaceId, ct);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"There is no promotion '{id}' in this workspace.");

    private static ProblemHttpResult Ended(string id) => Problems.Conflict($"Promotion {id} has ended; an ended promotion is not changed or restarted.");
}
