using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Budgets;

/// <summary>
/// /api/v1/campaign-budgets: budgets several promotions draw on together (docs/promotions.md, "Budgets"), and the burn
/// of a campaign's or a promotion's budget day by day. Every change is audited in the same transaction.
/// </summary>
public static class CampaignBudgetsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/campaign-budgets", ListAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ListCampaignBudgets").WithSummary("Every campaign budget with what it has spent, holds and has left");
        group.MapPost("/campaign-budgets", PostAsync).RequireAuthorization(Scopes.PromotionsWrite).WithIdempotency()
            .WithName("CreateCampaignBudget").WithSummary("Create a campaign budget promotions can draw on");
        group.MapGet("/campaign-budgets/{id}", GetAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("GetCampaignBudget").WithSummary("One campaign budget and the promotions drawing on it");
        group.MapPut("/campaign-budgets/{id}", PutAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("ReplaceCampaignBudget").WithSummary("Rename a campaign budget or change its amount");
        group.MapDelete("/campaign-budgets/{id}", DeleteAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("DeleteCampaignBudget").WithSummary("Delete a campaign budget nothing has drawn on");
        group.MapGet("/campaign-budgets/{id}/burn", CampaignBurnAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("CampaignBudgetBurn").WithSummary("A campaign budget's spend per day, running total and pace");
        group.MapGet("/promotions/{id}/burn", PromotionBurnAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("PromotionBudgetBurn").WithSummary("A promotion's spend per day, running total and pace against its budget");
    }

    public static async Task<Ok<List<JsonObject>>> ListAsync(ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var budgets = await db.CampaignBudgets.AsNoTracking().Where(b => b.WorkspaceId == workspaceId).OrderBy(b => b.Name).ToListAsync(ct);
        return TypedResults.Ok(await CampaignBudgetViews.ManyAsync(db, workspaceId, settings.Currency, budgets, ct));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await FindAsync(db, workspaceId, id, ct) is not { } budget)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        return TypedResults.Ok(await CampaignBudgetViews.OneAsync(db, settings.Currency, budget, ct));
    }

    public static Task<IResult> PostAsync(HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, CampaignBudgetInput.Fields, body => CreateAsync(body, caller, db, clock, ct), ct);

    public static async Task<IResult> CreateAsync(JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var errors = new FieldErrors();
        if (CampaignBudgetInput.Read(body, settings.Currency, errors) is not { } input)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (await NameTakenAsync(db, workspaceId, input.Name, null, ct))
        {
            return NameTaken(input.Name);
        }
        var now = clock.GetUtcNow();
        var budget = new CampaignBudget
        {
            Id = Ids.New("cbudget"),
            WorkspaceId = workspaceId,
            Name = input.Name,
            Amount = input.Amount,
            WarnAtPercent = input.WarnAtPercent,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.CampaignBudgets.Add(budget);
        db.Record(caller, now, "created", "campaign_budget", budget.Id, after: CampaignBudgetViews.Audited(budget));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/campaign-budgets/{budget.Id}", await CampaignBudgetViews.OneAsync(db, settings.Currency, budget, ct));
    }

    public static Task<IResult> PutAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, CampaignBudgetInput.Fields, body => ReplaceAsync(id, body, caller, db, clock, ct), ct);

    /// <summary>
    /// What was already given stays counted: an amount cut below what is spent and held leaves nothing to give, and
    /// the promotions drawing on it stop applying until it is raised.
    /// </summary>
    public static async Task<IResult> ReplaceAsync(string id, JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var budget = await db.CampaignBudgets.FirstOrDefaultAsync(b => b.WorkspaceId == workspaceId && b.Id == id, ct);
        if (budget is null)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var errors = new FieldErrors();
        if (CampaignBudgetInput.Read(body, settings.Currency, errors) is not { } input)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (await NameTakenAsync(db, workspaceId, input.Name, id, ct))
        {
            return NameTaken(input.Name);
        }
        var before = CampaignBudgetViews.Audited(budget);
        var now = clock.GetUtcNow();
        budget.Name = input.Name;
        budget.Amount = input.Amount;
        budget.WarnAtPercent = input.WarnAtPercent;
        budget.UpdatedAt = now;
        db.Record(caller, now, "updated", "campaign_budget", budget.Id, before, CampaignBudgetViews.Audited(budget));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await CampaignBudgetViews.OneAsync(db, settings.Currency, budget, ct));
    }

    /// <summary>Only a budget no promotion draws on and nothing was given from: one that has run keeps its record.</summary>
    public static async Task<IResult> DeleteAsync(string id, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var budget = await db.CampaignBudgets.FirstOrDefaultAsync(b => b.WorkspaceId == workspaceId && b.Id == id, ct);
        if (budget is null)
        {
            return NotFound(id);
        }
        var drawing = await db.Promotions.Where(p => p.WorkspaceId == workspaceId && p.CampaignBudgetId == id).Select(p => p.Name).OrderBy(n => n).ToListAsync(ct);
        if (drawing.Count > 0)
        {
            return Problems.Conflict($"Campaign budget '{budget.Name}' is drawn on by {string.Join(", ", drawing)}; move them to another budget first.");
        }
        var key = ResourceKeys.CampaignBudget(id);
        if ((await HoldLedger.ResourcesAsync(db, workspaceId, [key], ct)).GetValueOrDefault(key) is { } used && used.Spent + used.Held > 0)
        {
            return Problems.Conflict($"Campaign budget '{budget.Name}' has given discounts; it is kept as their record.");
        }
        db.CampaignBudgets.Remove(budget);
        db.Record(caller, clock.GetUtcNow(), "deleted", "campaign_budget", budget.Id, before: CampaignBudgetViews.Audited(budget));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> CampaignBurnAsync(
        string id, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await FindAsync(db, workspaceId, id, ct) is not { } budget)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var burn = await BudgetBurn.ReadAsync(db, workspaceId, ResourceKeys.CampaignBudget(id), budget.Amount, budget.CreatedAt, settings, clock.GetUtcNow(), ct);
        burn["campaign_budget"] = budget.Id;
        burn["name"] = budget.Name;
        return TypedResults.Ok(burn);
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> PromotionBurnAsync(
        string id, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var promotion = await db.Promotions.AsNoTracking().Where(p => p.WorkspaceId == workspaceId && p.Id == id)
            .Select(p => new { p.Id, p.Name, p.Budget, p.CreatedAt }).FirstOrDefaultAsync(ct);
        if (promotion is null)
        {
            return Problems.NotFound($"There is no promotion '{id}' in this workspace.");
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var burn = await BudgetBurn.ReadAsync(db, workspaceId, ResourceKeys.Budget(id), promotion.Budget, promotion.CreatedAt, settings, clock.GetUtcNow(), ct);
        burn["promotion"] = promotion.Id;
        burn["name"] = promotion.Name;
        return TypedResults.Ok(burn);
    }

    /// <summary>Null when a promotion may draw on the campaign budget it names (or names none); else the error for its field.</summary>
    public static async Task<string?> MissingAsync(FlywheelDb db, string workspaceId, string? id, CancellationToken ct) =>
        id is null || await db.CampaignBudgets.AnyAsync(b => b.WorkspaceId == workspaceId && b.Id == id, ct)
            ? null
            : $"there is no campaign budget '{id}' in this workspace.";

    private static Task<CampaignBudget?> FindAsync(FlywheelDb db, string workspaceId, string id, CancellationToken ct) =>
        db.CampaignBudgets.AsNoTracking().FirstOrDefaultAsync(b => b.WorkspaceId == workspaceId && b.Id == id, ct);

    private static Task<bool> NameTakenAsync(FlywheelDb db, string workspaceId, string name, string? except, CancellationToken ct) =>
        db.CampaignBudgets.AnyAsync(b => b.WorkspaceId == workspaceId && b.Name == name && b.Id != except, ct);

    private static ValidationProblem NameTaken(string name) => Problems.Validation("name", $"another campaign budget is already called '{name}'.");

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"There is no campaign budget '{id}' in this workspace.");
}
