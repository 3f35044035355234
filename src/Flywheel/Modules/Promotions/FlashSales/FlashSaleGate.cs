using System.Collections.Concurrent;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform.Counters;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// The admission gate in front of the ledger: one counter per SKU of units an attempt may still be admitted for, in
/// the counters engine (in the process on the embedded backend, in Redis on the production one). Once it reads 0,
/// attempts are answered "sold out" without a transaction in the state store. It is never the truth — the ledger
/// is — and it errs only one way: after <see cref="RestoreAsync"/> it never reads fewer units than the ledger has
/// free, so it never turns a buyer away while stock remains (argument: docs/flash-sales.md, "The guarantee").
/// Beside each session's counters it keeps a book of the Idempotency-Keys it admitted, so that an attempt refused at
/// the gate needs no look-up in the state store to know it never won (docs/flash-sales.md, "The book of keys").
/// </summary>
public sealed class FlashSaleGate(ICounters counters, StateStore state, TimeProvider clock)
{
    /// <summary>How long a book outlives its session: retries after the end are answered from the state store anyway.</summary>
    private static readonly TimeSpan BookGrace = TimeSpan.FromHours(1);

    /// <summary>The sessions (by id and version) whose counters this process has restored from the ledger.</summary>
    private readonly ConcurrentDictionary<(string Id, int Version), Lazy<Task>> restored = new();

    /// <summary>
    /// In one call on the counters engine: counts the attempt; if the gate admitted <paramref name="idempotencyKey"/>
    /// before, takes nothing (Seen); else takes <paramref name="units"/> if the gate has them and writes the key in the
    /// session's book. BookComplete says the book holds every key the session ever admitted.
    /// </summary>
    public async Task<AdmissionResult> AdmitAsync(FlashSale sale, string sku, long units, string idempotencyKey, CancellationToken ct)
    {
        await EnsureRestoredAsync(sale, ct);
        return await counters.AdmitAsync(new Admission(
            FlashSaleKeys.Gate(sale.WorkspaceId, sale.Id, sku), units, FlashSaleKeys.Attempts(sale.WorkspaceId, sale.Id),
            FlashSaleKeys.Admitted(sale.WorkspaceId, sale.Id), idempotencyKey, BookTtl(sale)), ct);
    }

    /// <summary>Takes <paramref name="units"/> if the gate has them, for a key already in the book that holds nothing.</summary>
    public async Task<bool> TryAdmitAsync(FlashSale sale, string sku, long units, CancellationToken ct)
    {
        await EnsureRestoredAsync(sale, ct);
        return (await counters.TryAddAsync(FlashSaleKeys.Gate(sale.WorkspaceId, sale.Id, sku), -units, long.MaxValue, ct: ct)).Succeeded;
    }

    /// <summary>
    /// The ledger refused admitted units for want of stock: the gate read more than the ledger had free (a restore or
    /// reset counts units in flight as free), so the units are not given back — given back, they would send attempt
    /// after attempt to a transaction the ledger refuses, for as long as the sale lasts. At the refusal the ledger had
    /// fewer free units than asked, none for a single unit; for several, a restore raises the gate back to what the
    /// ledger has free, so that no free unit is left behind.
    /// </summary>
    public async Task WriteOffAsync(FlashSale sale, long units, CancellationToken ct)
    {
        if (units > 1)
        {
            await RestoreAsync(sale, ct);
        }
    }

    /// <summary>Counts an attempt that does not reach the gate (the session is not open).</summary>
    public async Task CountAsync(FlashSale sale, CancellationToken ct) =>
        await counters.AddAsync(FlashSaleKeys.Attempts(sale.WorkspaceId, sale.Id), 1, ct: ct);

    /// <summary>
    /// Writes a key that won in the book again, once the ledger holds its units: if the counters engine lost the book
    /// after the admission and a restore rebuilt it from the ledger before the win was there, the key is in it all the same.
    /// </summary>
    public async Task RememberWinAsync(FlashSale sale, string idempotencyKey, CancellationToken ct) =>
        await counters.RecordAsync(FlashSaleKeys.Admitted(sale.WorkspaceId, sale.Id), [idempotencyKey], complete: false, BookTtl(sale), ct);

    /// <summary>Gives back units admitted but not (or no longer) held: the ledger refused them, or they were released.</summary>
    public async Task ReturnAsync(string workspaceId, string saleId, string sku, long units, CancellationToken ct) =>
        await counters.AddAsync(FlashSaleKeys.Gate(workspaceId, saleId, sku), units, ct: ct);

    /// <summary>
    /// Raises each counter to what the ledger has free when it reads less: units of holds that expired (the sweep
    /// returns them in the ledger only), or whose return was lost with a process. Never lowers one: a counter above
    /// the ledger costs only a transaction the ledger refuses, one below it would turn buyers away.
    /// </summary>
    public async Task RestoreAsync(FlashSale sale, CancellationToken ct)
    {
        var items = sale.ItemList();
        var free = await FreeAsync(sale, items, ct);
        var keys = items.Select(i => FlashSaleKeys.Gate(sale.WorkspaceId, sale.Id, i.Sku)).ToArray();
        var gate = await counters.GetManyAsync(keys, ct);
        for (var i = 0; i < keys.Length; i++)
        {
            if (free[i] > gate[i])
            {
                await counters.AddAsync(keys[i], free[i] - gate[i], ct: ct);
            }
        }
        await RestoreBookAsync(sale, items, ct);
        restored.TryAdd((sale.Id, sale.Version), new Lazy<Task>(Task.CompletedTask));
    }

    /// <summary>
    /// Sets each counter to what the ledger has free, after an operator changed the stock. Attempts in flight at that
    /// moment may leave it a few units high for a while, which the ledger absorbs.
    /// </summary>
    public async Task ResetAsync(FlashSale sale, CancellationToken ct)
    {
        var items = sale.ItemList();
        var free = await FreeAsync(sale, items, ct);
        await counters.SetManyAsync(items.Select((item, i) => KeyValuePair.Create(FlashSaleKeys.Gate(sale.WorkspaceId, sale.Id, item.Sku), free[i])).ToArray(), ct);
        await RestoreBookAsync(sale, items, ct);
        restored.TryAdd((sale.Id, sale.Version), new Lazy<Task>(Task.CompletedTask));
    }

    /// <summary>
    /// The first attempt a process sees for a session (or a new version of it) restores its counters first, and every
    /// attempt arriving meanwhile waits for that one restore. A failed restore is tried again by the next attempt.
    /// </summary>
    private async Task EnsureRestoredAsync(FlashSale sale, CancellationToken ct)
    {
        var key = (sale.Id, sale.Version);
        var entry = restored.GetOrAdd(key, _ => new Lazy<Task>(() => RestoreAsync(sale, CancellationToken.None)));
        try
        {
            await entry.Value.WaitAsync(ct);
        }
        catch (Exception) when (entry.Value.IsFaulted)
        {
            restored.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }

    /// <summary>
    /// A book not marked complete — new, or lost with the counters engine (a restart of the embedded host empties it) —
    /// is filled with the key of every reservation that ever held the session's stock, then marked complete. Keys the
    /// gate admits meanwhile it writes itself; a win admitted before the loss and reserved after the ledger was read here
    /// is written by <see cref="RememberWinAsync"/>. Until then attempts look their keys up in the state store.
    /// </summary>
    private async Task RestoreBookAsync(FlashSale sale, IReadOnlyList<FlashSaleItem> items, CancellationToken ct)
    {
        var book = FlashSaleKeys.Admitted(sale.WorkspaceId, sale.Id);
        if (await counters.IsCompleteAsync(book, ct))
        {
            return;
        }
        var stocks = items.Select(i => FlashSaleKeys.Stock(sale.Id, i.Sku)).ToArray();
        List<string> keys;
        await using (var db = state.Open())
        {
            keys = await db.Holds.AsNoTracking()
                .Where(h => h.WorkspaceId == sale.WorkspaceId && stocks.Contains(h.ResourceKey))
                .Join(db.Reservations, h => h.ReservationId, r => r.Id, (h, r) => r.IdempotencyKey)
                .Distinct().ToListAsync(ct);
        }
        await counters.RecordAsync(book, keys, complete: true, BookTtl(sale), ct);
    }

    /// <summary>Until an hour after the session ends (at least a minute from now).</summary>
    private TimeSpan BookTtl(FlashSale sale)
    {
        var left = sale.EndsAt - clock.GetUtcNow() + BookGrace;
        return left > TimeSpan.FromMinutes(1) ? left : TimeSpan.FromMinutes(1);
    }

    private async Task<long[]> FreeAsync(FlashSale sale, IReadOnlyList<FlashSaleItem> items, CancellationToken ct)
    {
        await using var db = state.Open();
        var resources = await HoldLedger.ResourcesAsync(db, sale.WorkspaceId, items.Select(i => FlashSaleKeys.Stock(sale.Id, i.Sku)).ToArray(), ct);
        return items.Select(i => resources.TryGetValue(FlashSaleKeys.Stock(sale.Id, i.Sku), out var r) ? Math.Max(0, i.Stock - r.Held - r.Spent) : i.Stock).ToArray();
    }
}
