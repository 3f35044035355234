using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Bargains;

/// <summary>
/// A shop's server runs its customers' bargains: /api/v1/bargains/{id}/instances (start, list), /instances/{bargainId}
/// (read), /help (a friend's cut) and /checkout (buy at the floor price; commit or release it as any checkout).
/// </summary>
public static class BargainInstancesApi
{
    public const int ListLimit = 200;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/bargains/{id}/instances", StartAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("StartBargain").WithSummary("A customer starts a bargain (or gets back the one they started)");
        group.MapGet("/bargains/{id}/instances", ListAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ListBargains").WithSummary("A campaign's bargains, newest first, with their helps");
        group.MapGet("/bargains/{id}/instances/{bargainId}", GetAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("GetBargain").WithSummary("One bargain, its price now and its helps");
        group.MapPost("/bargains/{id}/instances/{bargainId}/help", HelpAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("HelpBargain").WithSummary("A friend cuts the price: once per helper and device, within the campaign's device and IP limits");
        group.MapPost("/bargains/{id}/instances/{bargainId}/checkout", CheckoutAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("CheckoutBargain").WithSummary("Reserve the customer's order at the floor price; commit or release it at /checkout/{id}");
    }

    public static async Task<IResult> StartAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, BargainService bargains, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await BargainsApi.FindAsync(db, workspaceId, id, ct) is not { } campaign)
        {
            return BargainsApi.NotFound(id);
        }
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "customer_id");
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var customerId = Fields.Required(new JsonInput(document.RootElement, errors).Text("customer_id"), "customer_id", 200, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var (bargain, existing, refusal) = await bargains.StartAsync(workspaceId, campaign, customerId!, ct);
        if (refusal is not null)
        {
            return Problems.Conflict(refusal);
        }
        var view = await ViewAsync(db, bargain!, clock, ct);
        return existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/v1/bargains/{id}/instances/{bargain!.Id}", view);
    }

    /// <summary>Optional ?state= (open, succeeded, expired).</summary>
    public static async Task<IResult> ListAsync(string id, string? state, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await BargainsApi.FindAsync(db, workspaceId, id, ct) is null)
        {
            return BargainsApi.NotFound(id);
        }
        if (state is not null && !BargainState.All.Contains(state))
        {
            return Problems.Validation("state", $"must be one of {string.Join(", ", BargainState.All)}.");
        }
        return TypedResults.Ok(await ListViewsAsync(db, workspaceId, id, state, clock.GetUtcNow(), ct));
    }

    public static async Task<List<JsonObject>> ListViewsAsync(FlywheelDb db, string workspaceId, string campaignId, string? state, DateTimeOffset now, CancellationToken ct)
    {
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var query = db.Bargains.AsNoTracking().Where(b => b.WorkspaceId == workspaceId && b.CampaignId == campaignId);
        query = state switch
        {
            BargainState.Expired => query.Where(b => b.State == BargainState.Open && b.ExpiresAt <= now),
            BargainState.Open => query.Where(b => b.State == BargainState.Open && b.ExpiresAt > now),
            BargainState.Succeeded => query.Where(b => b.State == BargainState.Succeeded),
            _ => query,
        };
        var list = await query.OrderByDescending(b => b.CreatedAt).ThenBy(b => b.Id).Take(ListLimit).ToListAsync(ct);
        var views = new List<JsonObject>();
        foreach (var b in list)
        {
            views.Add(await BargainViews.BargainAsync(db, settings.Currency, b, now, ct));
        }
        return views;
    }

    public static async Task<IResult> GetAsync(string id, string bargainId, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        return await FindAsync(db, workspaceId, id, bargainId, ct) is { } bargain ? TypedResults.Ok(await ViewAsync(db, bargain, clock, ct)) : NotFound(bargainId);
    }

    /// <summary>Body {helper_id, device_id, ip}: who helps, from which device and address (what the shop saw).</summary>
    public static async Task<IResult> HelpAsync(string id, string bargainId, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, BargainService bargains, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "helper_id", "device_id", "ip");
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var j = new JsonInput(document.RootElement, errors);
        var helperId = Fields.Required(j.Text("helper_id"), "helper_id", 200, errors);
        var deviceId = Fields.Required(j.Text("device_id"), "device_id", 200, errors);
        var ipText = Fields.Required(j.Text("ip"), "ip", 64, errors);
        IPAddress? ip = null;
        if (ipText is not null && !IPAddress.TryParse(ipText, out ip))
        {
            errors.Add("ip", $"'{ipText}' is not an IPv4 or IPv6 address.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        if (await BargainsApi.FindAsync(db, workspaceId, id, ct) is not { } campaign)
        {
            return BargainsApi.NotFound(id);
        }
        if (await FindAsync(db, workspaceId, id, bargainId, ct) is not { } bargain)
        {
            return NotFound(bargainId);
        }
        if (campaign.Status != PromotionStatus.Active)
        {
            return Problems.Conflict($"Bargain campaign {id} is {campaign.Status}: it takes no helps.");
        }
        // One address, one spelling: "::ffff:1.2.3.4" and "1.2.3.4" are the same helper's address.
        var address = (ip!.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
        var result = await bargains.HelpAsync(campaign, bargain, helperId!, deviceId!, address, ct);
        if (result.Refusal is { } why)
        {
            return Problems.Conflict(why);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var view = await BargainViews.BargainAsync(db, settings.Currency, result.Bargain!, clock.GetUtcNow(), ct);
        view["cut"] = Definitions.MoneyUnits.Major(settings.Currency).Write(result.Help!.Cut);
        return TypedResults.Ok(view);
    }

    /// <summary>
    /// Like /checkout/reserve with an Idempotency-Key: 201 with the reservation, 200 for a key used before, 409 when
    /// refused, 422 for a key that already reserved a different cart.
    /// </summary>
    public static async Task<IResult> CheckoutAsync(
        string id, string bargainId, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, BargainService bargains, CheckoutService checkout, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await BargainsApi.FindAsync(db, workspaceId, id, ct) is not { } campaign)
        {
            return BargainsApi.NotFound(id);
        }
        if (await FindAsync(db, workspaceId, id, bargainId, ct) is not { } bargain)
        {
            return NotFound(bargainId);
        }
        var (input, problem) = await OfferRequest.ReadAsync(request, caller, db, clock, campaign.Sku, ct);
        if (input is null)
        {
            return problem!;
        }
        var result = await bargains.BuyAsync(campaign, bargain, input, ct);
        if (result.KeyReused)
        {
            return CheckoutApi.KeyReused(input.Key, result.Reservation!.Id);
        }
        if (result.Refusal is { } why)
        {
            return Problems.Conflict(why);
        }
        var view = await checkout.ViewAsync(result.Reservation!, ct);
        return result.Existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/v1/checkout/{result.Reservation!.Id}", view);
    }

    private static async Task<JsonObject> ViewAsync(FlywheelDb db, Bargain bargain, TimeProvider clock, CancellationToken ct)
    {
        var settings = await WorkspaceSettings.LoadAsync(db, bargain.WorkspaceId, ct);
        return await BargainViews.BargainAsync(db, settings.Currency, bargain, clock.GetUtcNow(), ct);
    }

    private static Task<Bargain?> FindAsync(FlywheelDb db, string workspaceId, string campaignId, string bargainId, CancellationToken ct) =>
        db.Bargains.AsNoTracking().FirstOrDefaultAsync(b => b.WorkspaceId == workspaceId && b.CampaignId == campaignId && b.Id == bargainId, ct);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string bargainId) =>
        Problems.NotFound($"There is no bargain '{bargainId}' in this campaign.");
}
