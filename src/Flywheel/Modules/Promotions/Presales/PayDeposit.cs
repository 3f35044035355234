using System.Globalization;
using System.Security.Claims;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Presales;

/// <summary>
/// POST /api/v1/presales/{id}/deposits: the shop records that a customer paid the deposit. Once per customer and
/// presale: paying again answers the deposit already recorded, whoever asks and however often. With a stock, the
/// units are taken from it in the same transaction (the hold ledger's conditional update), so a presale is never
/// oversold. GET lists a presale's deposits with their state.
/// </summary>
public static class PayDeposit
{
    public static readonly string[] Fields = ["customer_id", "sku", "quantity", "payment_id"];

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/presales/{id}/deposits", PostAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("PayPresaleDeposit").WithSummary("Record a customer's deposit (once per customer; paying again answers the same deposit)");
        group.MapGet("/presales/{id}/deposits", ListAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("ListPresaleDeposits").WithSummary("A presale's deposits, newest first, optionally of one state");
    }

    public static async Task<IResult> PostAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, HoldLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, Fields);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        var presale = await db.Presales.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.Id == id, ct);
        if (presale is null)
        {
            return PresalesApi.NotFound(id);
        }
        var j = new JsonInput(document.RootElement, errors);
        var customerId = Platform.Api.Fields.Required(j.Text("customer_id"), "customer_id", 200, errors);
        var skus = presale.SkuList;
        var sku = j.Text("sku") ?? (skus.Count == 1 ? skus[0] : null);
        if (sku is null)
        {
            errors.Add("sku", $"is required: one of {string.Join(", ", skus)}.");
        }
        else if (!skus.Contains(sku, StringComparer.Ordinal))
        {
            errors.Add("sku", $"'{sku}' is not on this presale; it sells {string.Join(", ", skus)}.");
        }
        var quantity = j.WholeNumber("quantity") ?? 1;
        if (quantity is < 1 or > CartValidation.MaxQuantity)
        {
            errors.Add("quantity", $"must be between 1 and {CartValidation.MaxQuantity}.");
        }
        else if ((Int128)presale.Deposit * quantity > PromotionValidation.MaxAmount)
        {
            errors.Add("quantity", "makes a deposit larger than any amount the platform accepts.");
        }
        var paymentId = Platform.Api.Fields.Optional(j.Text("payment_id"), "payment_id", 200, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        if (await FindAsync(db, id, customerId!, ct) is { } earlier)
        {
            return Again(earlier, sku!, quantity, settings.Currency);
        }
        var now = clock.GetUtcNow();
        if (presale.Status == PresaleStatus.Cancelled)
        {
            return Problems.Conflict($"Presale {id} was cancelled: it takes no deposits.");
        }
        if (now < presale.DepositStartsAt || now >= presale.DepositEndsAt)
        {
            return Problems.Conflict($"Deposits for presale {id} are taken from {At(presale.DepositStartsAt)} until {At(presale.DepositEndsAt)}; it is now {At(now)}.");
        }
        var deposit = new PresaleDeposit
        {
            Id = Ids.New("dep"),
            WorkspaceId = workspaceId,
            PresaleId = id,
            CustomerId = customerId!,
            Sku = sku!,
            Quantity = quantity,
            Amount = presale.Deposit * quantity,
            PaymentId = paymentId,
            State = DepositState.Paid,
            PaidAt = now,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.PresaleDeposits.Add(deposit);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same customer's deposit, recorded meanwhile by a concurrent request: that one is the answer.
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                return await FindAsync(db, id, customerId!, ct) is { } winner ? Again(winner, sku!, quantity, settings.Currency) : throw new InvalidOperationException("A deposit insert failed without a deposit to show for it.");
            }
            var stock = new HoldRequest(ResourceKeys.PresaleStock(id), quantity, presale.Stock ?? ResourceKeys.Unlimited);
            if (await ledger.SpendAsync(db, workspaceId, [stock], ct) is not null)
            {
                await tx.RollbackAsync(ct);
                return Problems.Conflict($"Presale {id} has fewer than {quantity} units of its stock of {presale.Stock} left: no deposit was recorded.");
            }
            await tx.CommitAsync(ct);
        }
        return TypedResults.Created($"/api/v1/presales/{id}/deposits/{deposit.Id}", PresaleViews.Of(deposit, settings.Currency));
    }

    public static async Task<IResult> ListAsync(string id, string? state, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (!await db.Presales.AnyAsync(p => p.WorkspaceId == workspaceId && p.Id == id, ct))
        {
            return PresalesApi.NotFound(id);
        }
        if (state is not null && !DepositState.All.Contains(state))
        {
            return Problems.Validation("state", $"'{state}' is not one of {string.Join(", ", DepositState.All)}.");
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var query = db.PresaleDeposits.AsNoTracking().Where(d => d.PresaleId == id);
        if (state is not null)
        {
            query = query.Where(d => d.State == state);
        }
        var deposits = await query.OrderByDescending(d => d.PaidAt).ThenBy(d => d.Id).ToListAsync(ct);
        return TypedResults.Ok(deposits.Select(d => PresaleViews.Of(d, settings.Currency)).ToList());
    }

    /// <summary>The deposit already recorded is the answer to paying it again; a different SKU or quantity is a different deposit, refused.</summary>
    private static IResult Again(PresaleDeposit earlier, string sku, int quantity, string currency) =>
        earlier.Sku == sku && earlier.Quantity == quantity
            ? TypedResults.Ok(PresaleViews.Of(earlier, currency))
            : Problems.Conflict($"Customer {earlier.CustomerId} already paid deposit {earlier.Id} on this presale ({earlier.Quantity} × {earlier.Sku}); a customer pays one deposit per presale.");

    private static Task<PresaleDeposit?> FindAsync(FlywheelDb db, string presaleId, string customerId, CancellationToken ct) =>
        db.PresaleDeposits.AsNoTracking().FirstOrDefaultAsync(d => d.PresaleId == presaleId && d.CustomerId == customerId, ct);

    private static string At(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
