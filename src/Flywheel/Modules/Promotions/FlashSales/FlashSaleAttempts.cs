using System.Text.Json;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform.Counters;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>What an attempt won, as its reservation records it: checkout prices the SKU from this, not from the session.</summary>
public sealed record FlashAttemptDetails(string FlashSaleId, string Name, string Sku, long Quantity, long UnitPrice, string CombinesWith)
{
    public string Json() => JsonSerializer.Serialize(this);

    public static FlashAttemptDetails? Of(Reservation r) =>
        r.Purpose == FlashSaleKeys.Purpose ? JsonSerializer.Deserialize<FlashAttemptDetails>(r.Details) : null;
}

/// <summary>How an attempt went: a reservation (new, or found by its key), or why nothing was taken.</summary>
public sealed record AttemptResult(Reservation? Reservation, bool Existing, AttemptRefusal? Refusal);

public enum AttemptRefusal
{
    NotOpen,
    SoldOut,
    CustomerLimit,
    OtherPurpose,
}

/// <summary>
/// 秒杀 attempts: a buyer asks for units of one SKU; the gate sheds the attempt at once when the stock is gone,
/// otherwise the ledger holds the units (stock and the customer's allowance together) for the payment window. The
/// units are spent when the order is paid — by checkout's commit, together with the rest of the order — or returned
/// when the attempt is released or its window passes. Guarantee and argument: docs/flash-sales.md.
/// </summary>
public sealed class FlashSaleAttempts(HoldLedger ledger, FlashSaleGate gate, StateStore state, TimeProvider clock)
{
    /// <summary>
    /// On SQLite, which lets one transaction write at a time, admitted attempts take their turn at the ledger here: a
    /// turn handed over in the process starts at once, where writers waiting in SQLite's busy handler sleep in growing
    /// steps and leave the database idle between them. (Only one node runs on SQLite; PostgreSQL takes them all at once.)
    /// </summary>
    private readonly SemaphoreSlim? ledgerTurn = state.Engine == StateEngine.Sqlite ? new(1, 1) : null;

    /// <summary>
    /// The gate answers most attempts alone, in one call on the counters engine: a key it never admitted, refused for
    /// want of units, never won — if its book of keys is complete; else the state store is asked, as it is for a key the
    /// gate admitted before (a retry). Only admitted attempts reach the ledger.
    /// </summary>
    public async Task<AttemptResult> AttemptAsync(
        FlashSale sale, string idempotencyKey, string customerId, FlashSaleItem item, int quantity, CancellationToken ct)
    {
        if (!sale.IsOpenAt(clock.GetUtcNow()))
        {
            await gate.CountAsync(sale, ct);
            // A retry of an attempt that won finds its units after the session closed too.
            return await FindByKeyAsync(sale.WorkspaceId, idempotencyKey, ct) is { } found ? Found(found) : Refused(AttemptRefusal.NotOpen);
        }
        var admission = await gate.AdmitAsync(sale, item.Sku, quantity, idempotencyKey, ct);
        switch (admission.Verdict)
        {
            case AdmissionVerdict.Refused when admission.BookComplete:
                return Refused(AttemptRefusal.SoldOut);
            case AdmissionVerdict.Refused:
                return await FindByKeyAsync(sale.WorkspaceId, idempotencyKey, ct) is { } won ? Found(won) : Refused(AttemptRefusal.SoldOut);
            case AdmissionVerdict.Seen:
                if (await FindByKeyAsync(sale.WorkspaceId, idempotencyKey, ct) is { } earlier)
                {
                    return Found(earlier);
                }
                // Admitted before but holding nothing: the ledger refused it (the buyer's limit), or its process died
                // before the ledger was reached. It tries again like any attempt.
                if (!await gate.TryAdmitAsync(sale, item.Sku, quantity, ct))
                {
                    return Refused(AttemptRefusal.SoldOut);
                }
                return await ReserveAsync(sale, idempotencyKey, customerId, item, quantity, keyLookedUp: true, ct);
        }
        // Admitted: a complete book has just said the key never came through the gate before.
        return await ReserveAsync(sale, idempotencyKey, customerId, item, quantity, keyLookedUp: admission.BookComplete, ct);
    }

    /// <summary>
    /// The ledger holds the units the gate admitted, or refuses them and they go back to the gate. A key already looked
    /// up is not looked up again before the ledger's transaction; a key taken after all is still found by the ledger.
    /// </summary>
    private async Task<AttemptResult> ReserveAsync(
        FlashSale sale, string idempotencyKey, string customerId, FlashSaleItem item, int quantity, bool keyLookedUp, CancellationToken ct)
    {
        ReserveOutcome outcome;
        try
        {
            var details = new FlashAttemptDetails(sale.Id, sale.Name, item.Sku, quantity, item.Price, sale.CombinesWith);
            HoldRequest[] holds =
            [
                new(FlashSaleKeys.Stock(sale.Id, item.Sku), quantity, item.Stock),
                new(FlashSaleKeys.Customer(sale.Id, item.Sku, customerId), quantity, sale.PerCustomerLimit),
            ];
            var ttl = TimeSpan.FromSeconds(sale.PaymentSeconds);
            if (ledgerTurn is not null)
            {
                await ledgerTurn.WaitAsync(ct);
            }
            try
            {
                outcome = keyLookedUp
                    ? await ledger.ReserveUnseenAsync(sale.WorkspaceId, idempotencyKey, FlashSaleKeys.Purpose, customerId, holds, ttl, details.Json(), ct)
                    : await ledger.ReserveAsync(sale.WorkspaceId, idempotencyKey, FlashSaleKeys.Purpose, customerId, holds, ttl, details.Json(), ct);
            }
            finally
            {
                ledgerTurn?.Release();
            }
        }
        catch
        {
            // Nothing was taken in the ledger (its transaction rolled back), so the admitted units go back.
            await gate.ReturnAsync(sale.WorkspaceId, sale.Id, item.Sku, quantity, CancellationToken.None);
            throw;
        }
        if (outcome.Refused is { Resource: var resource } && resource == FlashSaleKeys.Stock(sale.Id, item.Sku))
        {
            await gate.WriteOffAsync(sale, quantity, ct);
            return Refused(AttemptRefusal.SoldOut);
        }
        if (outcome.Reservation is null || outcome.Existing)
        {
            await gate.ReturnAsync(sale.WorkspaceId, sale.Id, item.Sku, quantity, ct);
        }
        if (outcome.Refused is not null)
        {
            return Refused(AttemptRefusal.CustomerLimit);
        }
        if (outcome.Existing)
        {
            return Found(outcome.Reservation!);
        }
        await gate.RememberWinAsync(sale, idempotencyKey, ct);
        return new AttemptResult(outcome.Reservation, false, null);
    }

    /// <summary>The buyer gives up: the units return to the stock (the ledger's, then the gate's). Idempotent.</summary>
    public async Task<CloseOutcome> ReleaseAsync(string workspaceId, string reservationId, CancellationToken ct)
    {
        var outcome = await ledger.ReleaseAsync(workspaceId, reservationId, ct);
        if (outcome.Changed && FlashAttemptDetails.Of(outcome.Reservation!) is { } won)
        {
            await gate.ReturnAsync(workspaceId, won.FlashSaleId, won.Sku, won.Quantity, ct);
        }
        return outcome;
    }

    /// <summary>The order was paid outside Flywheel's checkout: the units are sold. Idempotent.</summary>
    public Task<CloseOutcome> CommitAsync(string workspaceId, string reservationId, string? orderId, CancellationToken ct) =>
        ledger.CommitAsync(workspaceId, reservationId, orderId, ct);

    /// <summary>An attempt of a flash sale in this workspace; null for any other reservation.</summary>
    public async Task<Reservation?> GetAsync(string workspaceId, string reservationId, CancellationToken ct) =>
        await ledger.GetAsync(workspaceId, reservationId, ct) is { Purpose: FlashSaleKeys.Purpose } r ? r : null;

    private static AttemptResult Refused(AttemptRefusal why) => new(null, false, why);

    private static AttemptResult Found(Reservation r) =>
        r.Purpose == FlashSaleKeys.Purpose ? new AttemptResult(r, true, null) : new AttemptResult(null, true, AttemptRefusal.OtherPurpose);

    private async Task<Reservation?> FindByKeyAsync(string workspaceId, string key, CancellationToken ct)
    {
        await using var db = state.Open();
        return await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.IdempotencyKey == key, ct);
    }
}
