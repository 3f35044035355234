using System.Security.Claims;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.GroupBuys;

/// <summary>
/// A shop's server opens and joins groups for its customers: /api/v1/group-buys/{id}/groups (open, list) and
/// /groups/{groupId} (read, join). Opening and joining take a cart and an Idempotency-Key, like /checkout/reserve.
/// </summary>
public static class GroupsApi
{
    public const int ListLimit = 200;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/group-buys/{id}/groups", OpenAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("OpenGroup").WithSummary("Open a group: the leader's order at the group price holds the first seat");
        group.MapPost("/group-buys/{id}/groups/{groupId}/join", JoinAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("JoinGroup").WithSummary("Join a group: the member's order at the group price holds a seat; the last seat settles every member");
        group.MapGet("/group-buys/{id}/groups", ListAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ListGroups").WithSummary("A campaign's groups, newest first, with their members");
        group.MapGet("/group-buys/{id}/groups/{groupId}", GetAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("GetGroup").WithSummary("One group, its state and its members");
    }

    public static async Task<IResult> OpenAsync(
        string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, GroupBuyService groups, CheckoutService checkout, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await GroupBuysApi.FindAsync(db, workspaceId, id, ct) is not { } campaign)
        {
            return GroupBuysApi.NotFound(id);
        }
        var (input, problem) = await OfferRequest.ReadAsync(request, caller, db, clock, campaign.Sku, ct);
        if (input is null)
        {
            return problem!;
        }
        var result = await groups.OpenAsync(workspaceId, campaign, input.Key, input.Cart, input.OrderId, ct);
        return await AnswerAsync(result, input.Key, db, checkout, ct);
    }

    public static async Task<IResult> JoinAsync(
        string id, string groupId, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, GroupBuyService groups, CheckoutService checkout, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await GroupBuysApi.FindAsync(db, workspaceId, id, ct) is not { } campaign)
        {
            return GroupBuysApi.NotFound(id);
        }
        if (await FindAsync(db, workspaceId, id, groupId, ct) is not { } group)
        {
            return NotFound(groupId);
        }
        var (input, problem) = await OfferRequest.ReadAsync(request, caller, db, clock, campaign.Sku, ct);
        if (input is null)
        {
            return problem!;
        }
        var result = await groups.JoinAsync(workspaceId, campaign, group, input.Key, input.Cart, input.OrderId, ct);
        return await AnswerAsync(result, input.Key, db, checkout, ct);
    }

    /// <summary>Optional ?state= (open, succeeded, failed).</summary>
    public static async Task<IResult> ListAsync(string id, string? state, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await GroupBuysApi.FindAsync(db, workspaceId, id, ct) is null)
        {
            return GroupBuysApi.NotFound(id);
        }
        if (state is not null && !GroupState.All.Contains(state))
        {
            return Problems.Validation("state", $"must be one of {string.Join(", ", GroupState.All)}.");
        }
        return TypedResults.Ok(await ListViewsAsync(db, workspaceId, id, state, ct));
    }

    public static async Task<List<JsonObject>> ListViewsAsync(FlywheelDb db, string workspaceId, string campaignId, string? state, CancellationToken ct)
    {
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var query = db.GroupBuyGroups.AsNoTracking().Where(g => g.WorkspaceId == workspaceId && g.CampaignId == campaignId);
        if (state is not null)
        {
            query = query.Where(g => g.State == state);
        }
        var list = await query.OrderByDescending(g => g.CreatedAt).ThenBy(g => g.Id).Take(ListLimit).ToListAsync(ct);
        var views = new List<JsonObject>();
        foreach (var g in list)
        {
            views.Add(await GroupBuyViews.GroupAsync(db, settings.Currency, g, ct));
        }
        return views;
    }

    public static async Task<IResult> GetAsync(string id, string groupId, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await FindAsync(db, workspaceId, id, groupId, ct) is not { } group)
        {
            return NotFound(groupId);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        return TypedResults.Ok(await GroupBuyViews.GroupAsync(db, settings.Currency, group, ct));
    }

    /// <summary>
    /// 201 with the group and the member's reservation; 200 for a key used before; 409 with the reason nothing was held;
    /// 422 for a key that already reserved a different cart.
    /// </summary>
    private static async Task<IResult> AnswerAsync(JoinResult result, string key, FlywheelDb db, CheckoutService checkout, CancellationToken ct)
    {
        if (result.KeyReused)
        {
            return CheckoutApi.KeyReused(key, result.Reservation!.Id);
        }
        if (result.Refusal is { } why)
        {
            return Problems.Conflict(why);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, result.Group!.WorkspaceId, ct);
        var body = new JsonObject
        {
            ["group"] = await GroupBuyViews.GroupAsync(db, settings.Currency, result.Group, ct),
            ["reservation"] = await checkout.ViewAsync(result.Reservation!, ct),
        };
        return result.Existing ? TypedResults.Ok(body) : TypedResults.Created($"/api/v1/group-buys/{result.Group.CampaignId}/groups/{result.Group.Id}", body);
    }

    private static Task<GroupBuyGroup?> FindAsync(FlywheelDb db, string workspaceId, string campaignId, string groupId, CancellationToken ct) =>
        db.GroupBuyGroups.AsNoTracking().FirstOrDefaultAsync(g => g.WorkspaceId == workspaceId && g.CampaignId == campaignId && g.Id == groupId, ct);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string groupId) =>
        Problems.NotFound($"There is no group '{groupId}' in this group buy.");
}
