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
public sealed class FlashSaleAttempts(HoldLedger ledger, FlashSaleGate gate, ICounters counters, StateStore state, TimeProvider clock)
{
    public async Task<AttemptResult> AttemptAsync(
        FlashSale sale, string idempotencyKey, string customerId, FlashSaleItem item, int quantity, CancellationToken ct)
    {
        await counters.AddAsync(FlashSaleKeys.Attempts(sale.WorkspaceId, sale.Id), 1, ct: ct);
        // A retry of an attempt that won must find its units, even once the gate reads 0.
        if (await FindByKeyAsync(sale.WorkspaceId, idempotencyKey, ct) is { } earlier)
        {
            return Found(earlier);
        }
        var now = clock.GetUtcNow();
        if (!sale.IsOpenAt(now))
        {
            return new AttemptResult(null, false, AttemptRefusal.NotOpen);
        }
        if (!await gate.TryAdmitAsync(sale, item.Sku, quantity, ct))
        {
            return new AttemptResult(null, false, AttemptRefusal.SoldOut);
        }
        ReserveOutcome outcome;
        try
        {
            var details = new FlashAttemptDetails(sale.Id, sale.Name, item.Sku, quantity, item.Price, sale.CombinesWith);
            HoldRequest[] holds =
            [
                new(FlashSaleKeys.Stock(sale.Id, item.Sku), quantity, item.Stock),
                new(FlashSaleKeys.Customer(sale.Id, item.Sku, customerId), quantity, sale.PerCustomerLimit),
            ];
            outcome = await ledger.ReserveAsync(
                sale.WorkspaceId, idempotencyKey, FlashSaleKeys.Purpose, customerId, holds, TimeSpan.FromSeconds(sale.PaymentSeconds), details.Json(), ct);
        }
        catch
        {
            // Nothing was taken in the ledger (its transaction rolled back), so the admitted units go back.
            await gate.ReturnAsync(sale.WorkspaceId, sale.Id, item.Sku, quantity, CancellationToken.None);
            throw;
        }
        if (outcome.Reservation is null || outcome.Existing)
        {
            await gate.ReturnAsync(sale.WorkspaceId, sale.Id, item.Sku, quantity, ct);
        }
        if (outcome.Refused is { } refused)
        {
            return new AttemptResult(null, false, refused.Resource == FlashSaleKeys.Stock(sale.Id, item.Sku) ? AttemptRefusal.SoldOut : AttemptRefusal.CustomerLimit);
        }
        return outcome.Existing ? Found(outcome.Reservation!) : new AttemptResult(outcome.Reservation, false, null);
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

    private static AttemptResult Found(Reservation r) =>
        r.Purpose == FlashSaleKeys.Purpose ? new AttemptResult(r, true, null) : new AttemptResult(null, true, AttemptRefusal.OtherPurpose);

    private async Task<Reservation?> FindByKeyAsync(string workspaceId, string key, CancellationToken ct)
    {
        await using var db = state.Open();
        return await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.IdempotencyKey == key, ct);
    }
}
