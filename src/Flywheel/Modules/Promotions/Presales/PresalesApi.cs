using System.Security.Claims;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Presales;

/// <summary>
/// /api/v1/presales: create, list and read 定金膨胀 presales. Deposits are paid through <see cref="PayDeposit"/>, the
/// balance through checkout, and unpaid deposits are settled by <see cref="PresaleSettlement"/> (docs/presales.md).
/// </summary>
public static class PresalesApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/presales", ListAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ListPresales").WithSummary("Every presale, newest first, with its phase and its deposits by state");
        group.MapPost("/presales", PostAsync).RequireAuthorization(Scopes.PromotionsWrite).WithIdempotency()
            .WithName("CreatePresale").WithSummary("Create a 定金膨胀 presale: SKUs, price, deposit and what it counts as, the two windows");
        group.MapGet("/presales/{id}", GetAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("GetPresale").WithSummary("One presale");
    }

    public static async Task<List<JsonObject>> ListAsync(ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var presales = await db.Presales.AsNoTracking().Where(p => p.WorkspaceId == workspaceId)
            .OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(ct);
        return await ViewsAsync(db, workspaceId, presales, clock.GetUtcNow(), ct);
    }

    public static async Task<IResult> GetAsync(string id, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var presale = await db.Presales.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.Id == id, ct);
        return presale is null ? NotFound(id) : TypedResults.Ok((await ViewsAsync(db, workspaceId, [presale], clock.GetUtcNow(), ct))[0]);
    }

    public static async Task<IResult> PostAsync(HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, PresaleInput.Fields);
        return document is null ? Problems.Validation(errors.ToDictionary()) : await CreateAsync(document.RootElement, caller, db, clock, ct);
    }

    /// <summary>Creates a presale from a body of <see cref="PresaleInput.Fields"/>; the console calls it too.</summary>
    public static async Task<IResult> CreateAsync(System.Text.Json.JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        if (PresaleInput.Read(body, Ids.New("presale"), workspaceId, settings, now, errors) is not { } presale)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        db.Presales.Add(presale);
        db.Record(caller, now, "created", "presale", presale.Id, after: PresaleViews.Of(presale, settings.Currency, now, new Dictionary<string, int>(), null));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/presales/{presale.Id}", (await ViewsAsync(db, workspaceId, [presale], now, ct))[0]);
    }

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string id) => Problems.NotFound($"There is no presale '{id}' in this workspace.");

    private static async Task<List<JsonObject>> ViewsAsync(FlywheelDb db, string workspaceId, IReadOnlyList<PresaleCampaign> presales, DateTimeOffset now, CancellationToken ct)
    {
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var ids = presales.Select(p => p.Id).ToArray();
        var counts = (await db.PresaleDeposits.AsNoTracking().Where(d => ids.Contains(d.PresaleId))
            .GroupBy(d => new { d.PresaleId, d.State }).Select(g => new { g.Key.PresaleId, g.Key.State, Count = g.Count() }).ToListAsync(ct))
            .ToLookup(c => c.PresaleId);
        var stock = await HoldLedger.ResourcesAsync(db, workspaceId, presales.Select(p => ResourceKeys.PresaleStock(p.Id)).ToArray(), ct);
        return presales.Select(p => PresaleViews.Of(p, settings.Currency, now,
            counts[p.Id].ToDictionary(c => c.State, c => c.Count),
            stock.TryGetValue(ResourceKeys.PresaleStock(p.Id), out var r) ? r.Spent : null)).ToList();
    }
}
