using System.Collections.Concurrent;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform.Counters;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// The admission gate in front of the ledger: one counter per SKU of units an attempt may still be admitted for, in
/// the counters engine (in the process on the embedded backend, in Redis on the production one). Once it reads 0,
/// attempts are answered "sold out" without a transaction in the state store. It is never the truth — the ledger
/// is — and it errs only one way: after <see cref="RestoreAsync"/> it never reads fewer units than the ledger has
/// free, so it never turns a buyer away while stock remains (argument: docs/flash-sales.md, "The guarantee").
/// </summary>
public sealed class FlashSaleGate(ICounters counters, StateStore state)
{
    /// <summary>The sessions (by id and version) whose counters this process has restored from the ledger.</summary>
    private readonly ConcurrentDictionary<(string Id, int Version), Lazy<Task>> restored = new();

    /// <summary>Admits an attempt for <paramref name="units"/> if the gate has them, taking them from it.</summary>
    public async Task<bool> TryAdmitAsync(FlashSale sale, string sku, long units, CancellationToken ct)
    {
        await EnsureRestoredAsync(sale, ct);
        return (await counters.TryAddAsync(FlashSaleKeys.Gate(sale.WorkspaceId, sale.Id, sku), -units, long.MaxValue, ct: ct)).Succeeded;
    }

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

    private async Task<long[]> FreeAsync(FlashSale sale, IReadOnlyList<FlashSaleItem> items, CancellationToken ct)
    {
        await using var db = state.Open();
        var resources = await HoldLedger.ResourcesAsync(db, sale.WorkspaceId, items.Select(i => FlashSaleKeys.Stock(sale.Id, i.Sku)).ToArray(), ct);
        return items.Select(i => resources.TryGetValue(FlashSaleKeys.Stock(sale.Id, i.Sku), out var r) ? Math.Max(0, i.Stock - r.Held - r.Spent) : i.Stock).ToArray();
    }
}
