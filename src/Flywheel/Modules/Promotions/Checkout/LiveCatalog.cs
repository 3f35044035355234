using System.Collections.Concurrent;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Management;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Checkout;

/// <summary>An active promotion as checkout keeps it: its finite things' settings and its parsed definition.</summary>
public sealed record LivePromotion(
    string Id, int Version, long? Budget, string? CampaignBudgetId, int? PerCustomerLimit, int? TotalLimit, Promotion Definition)
{
    /// <summary>Whether anything in the hold ledger can refuse it: only then are the ledger's facts read for it.</summary>
    public bool IsFinite => Budget is not null || CampaignBudgetId is not null || PerCustomerLimit is not null || TotalLimit is not null;
}

/// <summary>
/// Each workspace's active promotions, parsed, held in memory and never stale: every quote reads the workspace's
/// promotion change counter (<see cref="PromotionChanges"/>, one row by primary key) and reloads the list only when
/// the counter moved — whichever node made the change, since the counter is raised in the shared state store in the
/// same transaction as the change. Definitions that did not change (same id and version) are not parsed again.
/// What can change without a promotion changing — the ledger's counts, campaign budgets, coupons — is not kept here.
/// </summary>
public sealed class LiveCatalog
{
    private sealed record Snapshot(long Changes, IReadOnlyList<LivePromotion> Promotions);

    private readonly ConcurrentDictionary<string, Snapshot> byWorkspace = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<LivePromotion>> ActiveAsync(FlywheelDb db, string workspaceId, CancellationToken ct)
    {
        // The counter first, then the rows: a list loaded after reading the counter holds at least every change it counts.
        var changes = await PromotionChanges.ReadAsync(db, workspaceId, ct);
        if (byWorkspace.TryGetValue(workspaceId, out var current) && current.Changes == changes)
        {
            return current.Promotions;
        }
        var loaded = new Snapshot(changes, await LoadAsync(db, workspaceId, current, ct));
        byWorkspace[workspaceId] = loaded;
        return loaded.Promotions;
    }

    /// <summary>One read of every active promotion; only definitions new or changed since the last load are parsed.</summary>
    private static async Task<IReadOnlyList<LivePromotion>> LoadAsync(FlywheelDb db, string workspaceId, Snapshot? previous, CancellationToken ct)
    {
        var parsed = previous?.Promotions.ToDictionary(p => p.Id, StringComparer.Ordinal) ?? [];
        var stored = await db.Promotions.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.Status == PromotionStatus.Active).OrderBy(p => p.Id)
            .ToListAsync(ct);
        return stored.Select(p => new LivePromotion(
                p.Id, p.Version, p.Budget, p.CampaignBudgetId, p.PerCustomerLimit, p.TotalLimit,
                parsed.TryGetValue(p.Id, out var known) && known.Version == p.Version ? known.Definition : DefinitionJson.ReadStored(p.Definition, p.Id, p.Name)))
            .ToList();
    }
}
