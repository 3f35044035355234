using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Management;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Bargains;

/// <summary>
/// /api/v1/bargains: list, create, read, replace and change the status of bargain campaigns. Every change is
/// audited in the same transaction. Rules: docs/bargains.md.
/// </summary>
public static class BargainsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/bargains", ListAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ListBargainCampaigns").WithSummary("Every bargain campaign, newest first, with its bargains counted by state");
        group.MapPost("/bargains", PostAsync).RequireAuthorization(Scopes.PromotionsWrite).WithIdempotency()
            .WithName("CreateBargainCampaign").WithSummary("Create a bargain campaign (a draft unless a status is given)");
        group.MapGet("/bargains/{id}", GetAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("GetBargainCampaign").WithSummary("One bargain campaign");
        group.MapPut("/bargains/{id}", PutAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("ReplaceBargainCampaign").WithSummary("Replace a bargain campaign; bargains already started keep their terms");
        group.MapPost("/bargains/{id}/status", StatusAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("SetBargainCampaignStatus").WithSummary("Activate, pause or end a bargain campaign");
    }

    public static async Task<Ok<List<JsonObject>>> ListAsync(ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var campaigns = await db.BargainCampaigns.AsNoTracking().Where(c => c.WorkspaceId == workspaceId).OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(ct);
        return TypedResults.Ok(await BargainViews.CampaignsAsync(db, settings.Currency, campaigns, clock.GetUtcNow(), ct));
    }

    public static async Task<IResult> GetAsync(string id, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await FindAsync(db, workspaceId, id, ct) is not { } c)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        return TypedResults.Ok((await BargainViews.CampaignsAsync(db, settings.Currency, [c], clock.GetUtcNow(), ct))[0]);
    }

    public static Task<IResult> PostAsync(HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, BargainInput.Fields, body => CreateAsync(body, caller, db, clock, ct), ct);

    public static async Task<IResult> CreateAsync(JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var errors = new FieldErrors();
        if (BargainInput.Read(body, settings, errors) is not { } input)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var now = clock.GetUtcNow();
        var c = new BargainCampaign { Id = Ids.New("bgc"), WorkspaceId = workspaceId, Name = "", Status = "", Sku = "", CreatedAt = now };
        Apply(c, input, now);
        db.BargainCampaigns.Add(c);
        db.Record(caller, now, "created", "bargain_campaign", c.Id, after: BargainViews.Audited(c));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/bargains/{c.Id}", (await BargainViews.CampaignsAsync(db, settings.Currency, [c], clock.GetUtcNow(), ct))[0]);
    }

    public static Task<IResult> PutAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, BargainInput.Fields, body => ReplaceAsync(id, body, caller, db, clock, ct), ct);

    /// <summary>Replaces everything but the id; an ended campaign is not changed.</summary>
    public static Task<IResult> ReplaceAsync(string id, JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        Offers.ReplaceAsync(id, caller, db, clock, (settings, errors) => BargainInput.Read(body, settings, errors), Apply,
            async (c, settings) => TypedResults.Ok((await BargainViews.CampaignsAsync(db, settings.Currency, [c], clock.GetUtcNow(), ct))[0]), ct);

    private static readonly ManagedOffers<BargainCampaign> Offers = new("bargain_campaign", "Bargain campaign", NotFound, Ended, BargainViews.Audited);

    public static Task<IResult> StatusAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        Offers.FromBodyAsync(id, request, caller, db, clock, async p => TypedResults.Ok((await BargainViews.CampaignsAsync(db, (await WorkspaceSettings.LoadAsync(db, p.WorkspaceId, ct)).Currency, [p], clock.GetUtcNow(), ct))[0]), ct);

    /// <summary>Draft, active and paused move freely among themselves; ended is final. A paused campaign takes no helps.</summary>
    public static Task<IResult> SetStatusAsync(string id, string? status, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        Offers.SetAsync(id, status, caller, db, clock, async p => TypedResults.Ok((await BargainViews.CampaignsAsync(db, (await WorkspaceSettings.LoadAsync(db, p.WorkspaceId, ct)).Currency, [p], clock.GetUtcNow(), ct))[0]), ct);

    public static Task<BargainCampaign?> FindAsync(FlywheelDb db, string workspaceId, string id, CancellationToken ct) =>
        db.BargainCampaigns.AsNoTracking().FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId && x.Id == id, ct);

    public static ProblemHttpResult NotFound(string id) => Problems.NotFound($"There is no bargain campaign '{id}' in this workspace.");

    private static void Apply(BargainCampaign c, BargainInput input, DateTimeOffset now)
    {
        c.Name = input.Terms.Name;
        c.Status = input.Terms.Status;
        c.Sku = input.Terms.Sku;
        c.TimeLimitHours = input.Terms.TimeLimitHours;
        c.StartsAt = input.Terms.StartsAt;
        c.EndsAt = input.Terms.EndsAt;
        c.CombinesWith = CampaignFields.Stored(input.Terms.CombinesWith);
        c.StartPrice = input.StartPrice;
        c.FloorPrice = input.FloorPrice;
        c.Helpers = input.Helpers;
        c.MinCut = input.MinCut;
        c.MaxCut = input.MaxCut;
        c.PerDeviceLimit = input.PerDeviceLimit;
        c.PerIpLimit = input.PerIpLimit;
        c.UpdatedAt = now;
    }

    private static ProblemHttpResult Ended(string id) => Problems.Conflict($"Bargain campaign {id} has ended; an ended campaign is not changed or restarted.");
}
