using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Counters;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// /api/v1/flash-sales: list, create, read (with the monitor's figures), replace and cancel 秒杀 sessions. Every change
/// is written to the audit log in the same transaction. Rules: docs/flash-sales.md.
/// </summary>
public static class FlashSalesApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/flash-sales", ListAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ListFlashSales").WithSummary("Every flash-sale session, latest start first, with stock, held, sold and attempts");
        group.MapPost("/flash-sales", PostAsync).RequireAuthorization(Scopes.PromotionsWrite).WithIdempotency()
            .WithName("CreateFlashSale").WithSummary("Create a flash-sale session");
        group.MapGet("/flash-sales/{id}", GetAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("GetFlashSale").WithSummary("One session with its monitor figures");
        group.MapPut("/flash-sales/{id}", PutAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("ReplaceFlashSale").WithSummary("Change a session's window, limits, prices or stock");
        group.MapPost("/flash-sales/{id}/cancel", CancelAsync).RequireAuthorization(Scopes.PromotionsWrite)
            .WithName("CancelFlashSale").WithSummary("Stop taking attempts; units already won stay held until paid, released or expired");
    }

    public static async Task<Ok<List<JsonObject>>> ListAsync(ClaimsPrincipal caller, FlywheelDb db, ICounters counters, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var sales = await db.FlashSales.AsNoTracking().Where(s => s.WorkspaceId == workspaceId)
            .OrderByDescending(s => s.StartsAt).ThenBy(s => s.Id).ToListAsync(ct);
        return TypedResults.Ok(await FlashSaleViews.ManyAsync(db, counters, settings.Currency, sales, clock.GetUtcNow(), ct));
    }

    public static async Task<IResult> GetAsync(string id, ClaimsPrincipal caller, FlywheelDb db, ICounters counters, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var sale = await db.FlashSales.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Id == id, ct);
        if (sale is null)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        return TypedResults.Ok(await FlashSaleViews.OneAsync(db, counters, settings.Currency, sale, clock.GetUtcNow(), ct));
    }

    public static Task<IResult> PostAsync(
        HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, FlashSaleGate gate, ICounters counters, TimeProvider clock, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, FlashSaleInput.Fields, body => CreateAsync(body, caller, db, gate, counters, clock, ct), ct);

    /// <summary>Creates a session from a body of <see cref="FlashSaleInput.Fields"/>; the console calls this too.</summary>
    public static async Task<IResult> CreateAsync(
        JsonElement body, ClaimsPrincipal caller, FlywheelDb db, FlashSaleGate gate, ICounters counters, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var errors = new FieldErrors();
        if (FlashSaleInput.Read(body, settings, errors) is not { } input)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var now = clock.GetUtcNow();
        var sale = new FlashSale
        {
            Id = Ids.New("fs"),
            WorkspaceId = workspaceId,
            Name = input.Name,
            Status = FlashSaleStatus.Scheduled,
            CreatedAt = now,
        };
        Apply(sale, input, now);
        db.FlashSales.Add(sale);
        db.Record(caller, now, "created", "flash_sale", sale.Id, after: FlashSaleViews.Audited(sale));
        await db.SaveChangesAsync(ct);
        await gate.ResetAsync(sale, ct);
        return TypedResults.Created($"/api/v1/flash-sales/{sale.Id}", await FlashSaleViews.OneAsync(db, counters, settings.Currency, sale, now, ct));
    }

    public static async Task<IResult> PutAsync(
        string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, FlashSaleGate gate, FlashSaleCatalog catalog, ICounters counters, TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, FlashSaleInput.Fields);
        return document is null
            ? Problems.Validation(errors.ToDictionary())
            : await ReplaceAsync(id, document.RootElement, caller, db, gate, catalog, counters, clock, ct);
    }

    /// <summary>
    /// Replaces what the operator set. Units already held or sold stay counted: a stock cut below them, or a SKU with
    /// any removed, is refused naming the item.
    /// </summary>
    public static async Task<IResult> ReplaceAsync(
        string id, JsonElement body, ClaimsPrincipal caller, FlywheelDb db, FlashSaleGate gate, FlashSaleCatalog catalog, ICounters counters, TimeProvider clock,
        CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var sale = await db.FlashSales.FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Id == id, ct);
        if (sale is null)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var errors = new FieldErrors();
        if (FlashSaleInput.Read(body, settings, errors) is not { } input)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (sale.Status == FlashSaleStatus.Cancelled)
        {
            return Problems.Conflict($"Flash sale {id} was cancelled; a cancelled session is not changed.");
        }
        var taken = await TakenAsync(db, sale, ct);
        foreach (var (sku, units) in taken.Where(t => t.Value > 0))
        {
            var index = input.Items.ToList().FindIndex(i => i.Sku == sku);
            if (index < 0)
            {
                errors.Add("items", $"SKU '{sku}' has {units} units held or sold and cannot be removed; set its stock to {units} to stop selling it.");
            }
            else if (input.Items[index].Stock < units)
            {
                errors.Add($"items[{index}].stock", $"must be at least {units}: that many units are already held or sold.");
            }
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var before = FlashSaleViews.Audited(sale);
        var now = clock.GetUtcNow();
        sale.Name = input.Name;
        Apply(sale, input, now);
        sale.Version++;
        db.Record(caller, now, "updated", "flash_sale", sale.Id, before, FlashSaleViews.Audited(sale));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict($"Flash sale {id} was changed by someone else meanwhile; reload it and make the change again.");
        }
        catalog.Forget(workspaceId, id);
        await gate.ResetAsync(sale, ct);
        return TypedResults.Ok(await FlashSaleViews.OneAsync(db, counters, settings.Currency, sale, now, ct));
    }

    /// <summary>Cancelling is final and idempotent.</summary>
    public static async Task<IResult> CancelAsync(
        string id, ClaimsPrincipal caller, FlywheelDb db, FlashSaleCatalog catalog, ICounters counters, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var sale = await db.FlashSales.FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Id == id, ct);
        if (sale is null)
        {
            return NotFound(id);
        }
        var now = clock.GetUtcNow();
        if (sale.Status != FlashSaleStatus.Cancelled)
        {
            var before = FlashSaleViews.Audited(sale);
            sale.Status = FlashSaleStatus.Cancelled;
            sale.UpdatedAt = now;
            sale.Version++;
            db.Record(caller, now, "cancelled", "flash_sale", sale.Id, before, FlashSaleViews.Audited(sale));
            await db.SaveChangesAsync(ct);
            catalog.Forget(workspaceId, id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        return TypedResults.Ok(await FlashSaleViews.OneAsync(db, counters, settings.Currency, sale, now, ct));
    }

    private static void Apply(FlashSale sale, FlashSaleInput input, DateTimeOffset now)
    {
        sale.Name = input.Name;
        sale.StartsAt = input.StartsAt;
        sale.EndsAt = input.EndsAt;
        sale.PerCustomerLimit = input.PerCustomerLimit;
        sale.PaymentSeconds = input.PaymentSeconds;
        sale.CombinesWith = input.CombinesWith;
        sale.Items = JsonSerializer.Serialize(input.Items);
        sale.UpdatedAt = now;
    }

    /// <summary>Units held or sold of each SKU the session has sold so far.</summary>
    private static async Task<Dictionary<string, long>> TakenAsync(FlywheelDb db, FlashSale sale, CancellationToken ct)
    {
        var items = sale.ItemList();
        var resources = await HoldLedger.ResourcesAsync(db, sale.WorkspaceId, items.Select(i => FlashSaleKeys.Stock(sale.Id, i.Sku)).ToArray(), ct);
        return items.ToDictionary(i => i.Sku, i => resources.TryGetValue(FlashSaleKeys.Stock(sale.Id, i.Sku), out var r) ? r.Held + r.Spent : 0, StringComparer.Ordinal);
    }

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"There is no flash sale '{id}' in this workspace.");
}
