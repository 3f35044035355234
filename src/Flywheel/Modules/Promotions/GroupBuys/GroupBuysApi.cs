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

namespace Flywheel.Modules.Promotions.GroupBuys;

/// <summary>
/// /api/v1/group-buys: list, create, read, replace and change the status of group-buy campaigns. Every change is
/// audited in the same transaction. Rules: docs/group-buys.md.
/// </summary>
public static class GroupBuysApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/group-buys", ListAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ListGroupBuys").WithSummary("Every group-buy campaign, newest first, with its groups counted by state");
        group.MapPost("/group-buys", PostAsync).RequireAuthorization(Scopes.PromotionsWrite).WithIdempotency()
            .WithName("CreateGroupBuy").WithSummary("Create a group-buy campaign (a draft unless a status is given)");
        group.MapGet("/group-buys/{id}", GetAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("GetGroupBuy").WithSummary("One group-buy campaign");
        group.MapPut("/group-buys/{id}", PutAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("ReplaceGroupBuy").WithSummary("Replace a group-buy campaign; groups already open keep their size and price");
        group.MapPost("/group-buys/{id}/status", StatusAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("SetGroupBuyStatus").WithSummary("Activate, pause or end a group-buy campaign");
    }

    public static async Task<Ok<List<JsonObject>>> ListAsync(ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var campaigns = await db.GroupBuys.AsNoTracking().Where(c => c.WorkspaceId == workspaceId).OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(ct);
        return TypedResults.Ok(await GroupBuyViews.CampaignsAsync(db, settings.Currency, campaigns, ct));
    }

    public static async Task<IResult> GetAsync(string id, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await FindAsync(db, workspaceId, id, ct) is not { } c)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        return TypedResults.Ok((await GroupBuyViews.CampaignsAsync(db, settings.Currency, [c], ct))[0]);
    }

    public static Task<IResult> PostAsync(HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, GroupBuyInput.Fields, body => CreateAsync(body, caller, db, clock, ct), ct);

    public static async Task<IResult> CreateAsync(JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var errors = new FieldErrors();
        if (GroupBuyInput.Read(body, settings, errors) is not { } input)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var now = clock.GetUtcNow();
        var c = new GroupBuyCampaign { Id = Ids.New("gb"), WorkspaceId = workspaceId, Name = "", Status = "", Sku = "", CreatedAt = now };
        Apply(c, input, now);
        db.GroupBuys.Add(c);
        db.Record(caller, now, "created", "group_buy", c.Id, after: GroupBuyViews.Audited(c));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/group-buys/{c.Id}", (await GroupBuyViews.CampaignsAsync(db, settings.Currency, [c], ct))[0]);
    }

    public static Task<IResult> PutAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, GroupBuyInput.Fields, body => ReplaceAsync(id, body, caller, db, clock, ct), ct);

    /// <summary>Replaces everything but the id; an ended campaign is not changed.</summary>
    public static Task<IResult> ReplaceAsync(string id, JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        Offers.ReplaceAsync(id, caller, db, clock, (settings, errors) => GroupBuyInput.Read(body, settings, errors), Apply,
            async (c, settings) => TypedResults.Ok((await GroupBuyViews.CampaignsAsync(db, settings.Currency, [c], ct))[0]), ct);

    private static readonly ManagedOffers<GroupBuyCampaign> Offers = new("group_buy", "Group buy", NotFound, Ended, GroupBuyViews.Audited);

    public static Task<IResult> StatusAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        Offers.FromBodyAsync(id, request, caller, db, clock, async p => TypedResults.Ok((await GroupBuyViews.CampaignsAsync(db, (await WorkspaceSettings.LoadAsync(db, p.WorkspaceId, ct)).Currency, [p], ct))[0]), ct);

    /// <summary>Draft, active and paused move freely among themselves; ended is final. Open groups keep their deadline.</summary>
    public static Task<IResult> SetStatusAsync(string id, string? status, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        Offers.SetAsync(id, status, caller, db, clock, async p => TypedResults.Ok((await GroupBuyViews.CampaignsAsync(db, (await WorkspaceSettings.LoadAsync(db, p.WorkspaceId, ct)).Currency, [p], ct))[0]), ct);

    public static Task<GroupBuyCampaign?> FindAsync(FlywheelDb db, string workspaceId, string id, CancellationToken ct) =>
        db.GroupBuys.AsNoTracking().FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId && x.Id == id, ct);

    public static ProblemHttpResult NotFound(string id) => Problems.NotFound($"There is no group buy '{id}' in this workspace.");

    private static void Apply(GroupBuyCampaign c, GroupBuyInput input, DateTimeOffset now)
    {
        c.Name = input.Terms.Name;
        c.Status = input.Terms.Status;
        c.Sku = input.Terms.Sku;
        c.TimeLimitHours = input.Terms.TimeLimitHours;
        c.StartsAt = input.Terms.StartsAt;
        c.EndsAt = input.Terms.EndsAt;
        c.CombinesWith = CampaignFields.Stored(input.Terms.CombinesWith);
        c.GroupPrice = input.GroupPrice;
        c.GroupSize = input.GroupSize;
        c.VirtualCompletionMinMembers = input.VirtualCompletionMinMembers;
        c.UpdatedAt = now;
    }

    private static ProblemHttpResult Ended(string id) => Problems.Conflict($"Group buy {id} has ended; an ended campaign is not changed or restarted.");
}
