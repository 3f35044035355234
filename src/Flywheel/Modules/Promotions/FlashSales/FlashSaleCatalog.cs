using System.Collections.Concurrent;
using System.Diagnostics;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// A session as the catalog holds it, with its items and its workspace's currency read once rather than on every attempt.
/// </summary>
public sealed record CatalogedSale(FlashSale Sale, IReadOnlyList<FlashSaleItem> Items, string Currency)
{
    public FlashSaleItem? Item(string sku)
    {
        foreach (var item in Items)
        {
            if (item.Sku == sku)
            {
                return item;
            }
        }
        return null;
    }
}

/// <summary>
/// Sessions as attempts read them: from memory, re-read from the store once an entry is a second old, so that a
/// hundred thousand attempts do not each read the session's row. A change made on this node is seen at once
/// (<see cref="Forget"/>); one made on another node sharing the store within <see cref="MaxAge"/>.
/// </summary>
public sealed class FlashSaleCatalog(StateStore state)
{
    /// <summary>How long a session read from the store is used before it is read again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string WorkspaceId, string Id), Entry> entries = new();

    public async Task<CatalogedSale?> GetAsync(string workspaceId, string id, CancellationToken ct)
    {
        if (entries.TryGetValue((workspaceId, id), out var entry) && Stopwatch.GetElapsedTime(entry.ReadAt) < MaxAge)
        {
            return entry.Sale;
        }
        await using var db = state.Open();
        var sale = await db.FlashSales.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Id == id, ct);
        var cataloged = sale is null ? null : new CatalogedSale(sale, sale.ItemList(), (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Currency);
        entries[(workspaceId, id)] = new Entry(cataloged, Stopwatch.GetTimestamp());
        return cataloged;
    }

    /// <summary>Drops a session changed on this node, so that the next attempt reads the change.</summary>
    public void Forget(string workspaceId, string id) => entries.TryRemove((workspaceId, id), out _);

    /// <summary>The time is real time, not the business clock: it measures staleness, which a test's stopped clock must not stop.</summary>
    private sealed record Entry(CatalogedSale? Sale, long ReadAt);
}
