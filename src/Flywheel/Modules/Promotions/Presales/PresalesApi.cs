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
/// /api/v1/presales: create, list, read, change and cancel 定金膨胀 presales. Deposits are paid through <see cref="PayDeposit"/>, the
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
        group.MapPut("/presales/{id}", PutAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("ReplacePresale").WithSummary("Change a presale: any term before deposits are paid; after, its name, stock and longer windows");
        group.MapPost("/presales/{id}/cancel", CancelAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("CancelPresale").WithSummary("Cancel a presale: no more deposits or balances, and every paid deposit is refunded");
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

    public static Task<IResult> PostAsync(HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, PresaleInput.Fields, body => CreateAsync(body, caller, db, clock, ct), ct);

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

    public static Task<IResult> PutAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, PresaleInput.Fields, body => ReplaceAsync(id, body, caller, db, clock, ct), ct);

    /// <summary>
    /// Replaces a presale's terms. Once a deposit is paid, customers hold these terms: the SKUs, price, deposit, what it
    /// counts as, the threshold basis and what becomes of an unpaid deposit stay as they are, the deposit window keeps its
    /// start, and the balance window may only grow (start no later, end no earlier). The stock never goes below the units
    /// deposits reserved.
    /// </summary>
    public static async Task<IResult> ReplaceAsync(string id, System.Text.Json.JsonElement body, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var presale = await db.Presales.FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.Id == id, ct);
        if (presale is null)
        {
            return NotFound(id);
        }
        if (presale.Status == PresaleStatus.Cancelled)
        {
            return Problems.Conflict($"Presale {id} was cancelled; a cancelled presale is not changed.");
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        if (PresaleInput.Read(body, id, workspaceId, settings, now, errors) is not { } changed)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var deposits = await db.PresaleDeposits.CountAsync(d => d.PresaleId == id, ct);
        if (deposits > 0)
        {
            var held = $"cannot change once deposits are paid ({deposits} so far): customers paid on these terms.";
            foreach (var (field, same) in new (string, bool)[]
            {
                ("skus", changed.Skus == presale.Skus), ("price", changed.Price == presale.Price), ("deposit", changed.Deposit == presale.Deposit),
                ("deposit_value", changed.DepositValue == presale.DepositValue), ("threshold_basis", changed.ThresholdBasis == presale.ThresholdBasis),
                ("unpaid_deposit", changed.Unpaid == presale.Unpaid), ("deposit_starts_at", changed.DepositStartsAt == presale.DepositStartsAt),
            })
            {
                if (!same)
                {
                    errors.Add(field, held);
                }
            }
            if (changed.BalanceStartsAt > presale.BalanceStartsAt)
            {
                errors.Add("balance_starts_at", $"cannot move later once deposits are paid: customers may pay from {presale.BalanceStartsAt:O}.");
            }
            if (changed.BalanceEndsAt < presale.BalanceEndsAt)
            {
                errors.Add("balance_ends_at", $"cannot move earlier once deposits are paid: customers may pay until {presale.BalanceEndsAt:O}.");
            }
        }
        var key = ResourceKeys.PresaleStock(id);
        var reserved = (await HoldLedger.ResourcesAsync(db, workspaceId, [key], ct)).GetValueOrDefault(key) is { } r ? r.Held + r.Spent : 0;
        if (changed.Stock is { } stock && stock < reserved)
        {
            errors.Add("stock", $"must be at least the {reserved} units deposits already reserved.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var counts = new Dictionary<string, int>();
        var before = PresaleViews.Of(presale, settings.Currency, now, counts, null);
        presale.Name = changed.Name;
        presale.Skus = changed.Skus;
        presale.Price = changed.Price;
        presale.Deposit = changed.Deposit;
        presale.DepositValue = changed.DepositValue;
        presale.DepositStartsAt = changed.DepositStartsAt;
        presale.DepositEndsAt = changed.DepositEndsAt;
        presale.BalanceStartsAt = changed.BalanceStartsAt;
        presale.BalanceEndsAt = changed.BalanceEndsAt;
        presale.Unpaid = changed.Unpaid;
        presale.ThresholdBasis = changed.ThresholdBasis;
        presale.Stock = changed.Stock;
        db.Record(caller, now, "updated", "presale", id, before, PresaleViews.Of(presale, settings.Currency, now, counts, null));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ViewsAsync(db, workspaceId, [presale], now, ct))[0]);
    }

    /// <summary>
    /// Cancels a presale: no deposit or balance is taken from now on, and every paid deposit is refunded — at once, or,
    /// for one a checkout is paying off right now, once that checkout is released or lapses (if it is paid, the balance
    /// stands). Cancelling twice answers the same.
    /// </summary>
    public static async Task<IResult> CancelAsync(string id, ClaimsPrincipal caller, FlywheelDb db, PresaleSettlement settlement, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var presale = await db.Presales.FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.Id == id, ct);
        if (presale is null)
        {
            return NotFound(id);
        }
        var now = clock.GetUtcNow();
        if (presale.Status != PresaleStatus.Cancelled)
        {
            presale.Status = PresaleStatus.Cancelled;
            db.Record(caller, now, "cancelled", "presale", id, new { status = PresaleStatus.Active }, new { status = PresaleStatus.Cancelled });
            await db.SaveChangesAsync(ct);
        }
        await settlement.SettleAsync(ct);
        return TypedResults.Ok((await ViewsAsync(db, workspaceId, [presale], now, ct))[0]);
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
