using Flywheel.Platform;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Holds;

/// <summary>What one reservation asks of one resource: <see cref="Amount"/> units of at most <see cref="Capacity"/>.</summary>
public sealed record HoldRequest(string Resource, long Amount, long Capacity);

/// <summary>
/// The answer to a reservation: the reservation (a new one, or <see cref="Existing"/> when the idempotency key had
/// already taken one), or the resource that had too little left.
/// </summary>
public sealed record ReserveOutcome(Reservation? Reservation, bool Existing, HoldRequest? Refused);

/// <summary>What became of a commit or release: the reservation as it now is, and whether this call changed it.</summary>
public sealed record CloseOutcome(Reservation? Reservation, bool Changed);

/// <summary>
/// Reserve → commit / release for everything finite, kept in the state store so that it is exact under any
/// concurrency, on any number of nodes sharing the store, and across restarts (design: docs/promotions.md, "Holds").
/// Every take is one conditional UPDATE (<c>held + spent + n ≤ capacity</c>) inside a transaction that also writes the
/// reservation, so no caller ever reads a count and writes it back; resources are touched in key order so that two
/// transactions cannot deadlock; every state change of a reservation is a conditional UPDATE from 'held', so commit,
/// release and the expiry sweep each happen at most once whoever runs them.
/// </summary>
public sealed class HoldLedger(StateStore state, TimeProvider clock)
{
    /// <summary>
    /// Takes every hold or none. With an <paramref name="idempotencyKey"/> already used in the workspace, takes nothing
    /// and returns that reservation, whatever state it is in now.
    /// </summary>
    public async Task<ReserveOutcome> ReserveAsync(
        string workspaceId, string idempotencyKey, string purpose, string? customerId, IReadOnlyList<HoldRequest> holds,
        TimeSpan ttl, string details, CancellationToken ct)
    {
        if (await FindByKeyAsync(workspaceId, idempotencyKey, ct) is { } earlier)
        {
            return new ReserveOutcome(earlier, true, null);
        }
        return await ReserveUnseenAsync(workspaceId, idempotencyKey, purpose, customerId, holds, ttl, details, ct);
    }

    /// <summary>
    /// <see cref="ReserveAsync"/> for a caller that has just looked for the key elsewhere and found nothing, without
    /// looking again first: a key used after all is still found, through the unique index, and answered the same.
    /// </summary>
    public async Task<ReserveOutcome> ReserveUnseenAsync(
        string workspaceId, string idempotencyKey, string purpose, string? customerId, IReadOnlyList<HoldRequest> holds,
        TimeSpan ttl, string details, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var reservation = new Reservation
        {
            Id = Ids.New("rsv"),
            WorkspaceId = workspaceId,
            IdempotencyKey = idempotencyKey,
            Purpose = purpose,
            CustomerId = customerId,
            State = ReservationState.Held,
            CreatedAt = now,
            ExpiresAt = now + ttl,
            Details = details,
        };
        var merged = Merge(holds);
        await using var db = state.Open();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Reservations.Add(reservation);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same key, inserted meanwhile by a concurrent request: that one's reservation is the answer. Any other
            // failure of the insert is not ours to hide.
            await tx.RollbackAsync(ct);
            var winner = await FindByKeyAsync(workspaceId, idempotencyKey, ct);
            if (winner is null)
            {
                throw;
            }
            return new ReserveOutcome(winner, true, null);
        }
        foreach (var hold in merged)
        {
            if (!await TakeAsync(db, workspaceId, hold, held: true, ct))
            {
                await tx.RollbackAsync(ct);
                return new ReserveOutcome(null, false, hold);
            }
            db.Holds.Add(new Hold { ReservationId = reservation.Id, WorkspaceId = workspaceId, ResourceKey = hold.Resource, Amount = hold.Amount });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ReserveOutcome(reservation, false, null);
    }

    /// <summary>Spends at once, with no reservation (a claim counted against its limits): every request or none.</summary>
    /// <returns>Null when taken, else the request that had too little left.</returns>
    public async Task<HoldRequest?> SpendAsync(FlywheelDb db, string workspaceId, IReadOnlyList<HoldRequest> requests, CancellationToken ct)
    {
        foreach (var request in Merge(requests))
        {
            if (!await TakeAsync(db, workspaceId, request, held: false, ct))
            {
                return request;
            }
        }
        return null;
    }

    /// <summary>
    /// The holds become spent. Idempotent: committing a committed reservation changes nothing. A reservation released,
    /// or past its expiry, is not committed (its holds are, or are now, returned).
    /// </summary>
    public async Task<CloseOutcome> CommitAsync(string workspaceId, string reservationId, string? orderId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using (var db = state.Open())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var changed = await db.Reservations
                .Where(r => r.WorkspaceId == workspaceId && r.Id == reservationId && r.State == ReservationState.Held && r.ExpiresAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, ReservationState.Committed).SetProperty(r => r.ClosedAt, now)
                    .SetProperty(r => r.OrderId, orderId), ct);
            if (changed == 1)
            {
                foreach (var hold in await HoldsOfAsync(db, reservationId, ct))
                {
                    await db.Resources.Where(r => r.WorkspaceId == workspaceId && r.Key == hold.ResourceKey)
                        .ExecuteUpdateAsync(s => s.SetProperty(r => r.Held, r => r.Held - hold.Amount).SetProperty(r => r.Spent, r => r.Spent + hold.Amount), ct);
                }
                await tx.CommitAsync(ct);
                return new CloseOutcome(await GetAsync(workspaceId, reservationId, ct), true);
            }
        }
        // Not open, or lapsed without the sweep having run yet: lapse it now so the answer and the counts agree.
        var current = await GetAsync(workspaceId, reservationId, ct);
        if (current is { State: ReservationState.Held })
        {
            await CloseAsync(workspaceId, reservationId, ReservationState.Expired, ct);
            current = await GetAsync(workspaceId, reservationId, ct);
        }
        return new CloseOutcome(current, false);
    }

    /// <summary>
    /// Commits several open reservations in one transaction, all or none — a checkout and the flash-sale units it was
    /// priced with — so that an order is never paid at a price whose units lapsed meanwhile. False, changing nothing,
    /// when any of them is no longer open or is past its expiry.
    /// </summary>
    public async Task<bool> CommitTogetherAsync(string workspaceId, IReadOnlyList<string> reservationIds, string? orderId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = state.Open();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var id in reservationIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var changed = await db.Reservations
                .Where(r => r.WorkspaceId == workspaceId && r.Id == id && r.State == ReservationState.Held && r.ExpiresAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, ReservationState.Committed).SetProperty(r => r.ClosedAt, now)
                    .SetProperty(r => r.OrderId, orderId), ct);
            if (changed == 0)
            {
                await tx.RollbackAsync(ct);
                return false;
            }
        }
        var holds = await db.Holds.AsNoTracking().Where(h => reservationIds.Contains(h.ReservationId)).ToListAsync(ct);
        // Resources in key order, as every transaction of the ledger locks them.
        foreach (var hold in holds.GroupBy(h => h.ResourceKey, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var amount = hold.Sum(h => h.Amount);
            await db.Resources.Where(r => r.WorkspaceId == workspaceId && r.Key == hold.Key)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Held, r => r.Held - amount).SetProperty(r => r.Spent, r => r.Spent + amount), ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Returns every hold. Idempotent; a committed reservation is left as it is.</summary>
    public async Task<CloseOutcome> ReleaseAsync(string workspaceId, string reservationId, CancellationToken ct)
    {
        var changed = await CloseAsync(workspaceId, reservationId, ReservationState.Released, ct);
        return new CloseOutcome(await GetAsync(workspaceId, reservationId, ct), changed);
    }

    /// <summary>Returns the holds of reservations past their expiry, at most <paramref name="batch"/> of them; the number lapsed.</summary>
    public async Task<int> SweepAsync(int batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<(string WorkspaceId, string Id)> due;
        await using (var db = state.Open())
        {
            due = (await db.Reservations.AsNoTracking()
                .Where(r => r.State == ReservationState.Held && r.ExpiresAt <= now)
                .OrderBy(r => r.ExpiresAt).Take(batch)
                .Select(r => new { r.WorkspaceId, r.Id }).ToListAsync(ct))
                .Select(r => (r.WorkspaceId, r.Id)).ToList();
        }
        var lapsed = 0;
        foreach (var (workspaceId, id) in due)
        {
            // Another node sweeping, or a release meanwhile, makes this a no-op rather than a second return.
            if (await CloseAsync(workspaceId, id, ReservationState.Expired, ct))
            {
                lapsed++;
            }
        }
        return lapsed;
    }

    public async Task<Reservation?> GetAsync(string workspaceId, string reservationId, CancellationToken ct)
    {
        await using var db = state.Open();
        return await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.Id == reservationId, ct);
    }

    public async Task<IReadOnlyList<Hold>> HoldsAsync(string reservationId, CancellationToken ct)
    {
        await using var db = state.Open();
        return await HoldsOfAsync(db, reservationId, ct);
    }

    /// <summary>The resources of <paramref name="keys"/> that exist; absent ones have nothing held or spent.</summary>
    public static async Task<Dictionary<string, FiniteResource>> ResourcesAsync(FlywheelDb db, string workspaceId, IReadOnlyCollection<string> keys, CancellationToken ct) =>
        keys.Count == 0
            ? new Dictionary<string, FiniteResource>(StringComparer.Ordinal)
            : await db.Resources.AsNoTracking().Where(r => r.WorkspaceId == workspaceId && keys.Contains(r.Key))
                .ToDictionaryAsync(r => r.Key, StringComparer.Ordinal, ct);

    /// <summary>Moves an open reservation to <paramref name="to"/> and returns its holds; false when it was not open.</summary>
    private async Task<bool> CloseAsync(string workspaceId, string reservationId, string to, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = state.Open();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Reservations
            .Where(r => r.WorkspaceId == workspaceId && r.Id == reservationId && r.State == ReservationState.Held)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, to).SetProperty(r => r.ClosedAt, now), ct);
        if (changed == 0)
        {
            return false;
        }
        foreach (var hold in await HoldsOfAsync(db, reservationId, ct))
        {
            await db.Resources.Where(r => r.WorkspaceId == workspaceId && r.Key == hold.ResourceKey)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Held, r => r.Held - hold.Amount), ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// One conditional UPDATE: adds to held (or spent) only while held + spent stays within the capacity. The row is
    /// created first if missing; the capacity is the caller's current one (an operator may have raised or cut it).
    /// </summary>
    private static async Task<bool> TakeAsync(FlywheelDb db, string workspaceId, HoldRequest request, bool held, CancellationToken ct)
    {
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO promo_resources ("WorkspaceId", "Key", "Capacity", "Held", "Spent") VALUES ({workspaceId}, {request.Resource}, {request.Capacity}, 0, 0) ON CONFLICT DO NOTHING""", ct);
        var amount = request.Amount;
        var capacity = request.Capacity;
        var fits = db.Resources.Where(r => r.WorkspaceId == workspaceId && r.Key == request.Resource && r.Held + r.Spent + amount <= capacity);
        var changed = held
            ? await fits.ExecuteUpdateAsync(s => s.SetProperty(r => r.Held, r => r.Held + amount).SetProperty(r => r.Capacity, capacity), ct)
            : await fits.ExecuteUpdateAsync(s => s.SetProperty(r => r.Spent, r => r.Spent + amount).SetProperty(r => r.Capacity, capacity), ct);
        return changed == 1;
    }

    /// <summary>One request per resource (amounts added), in key order: the order every transaction locks them in.</summary>
    private static List<HoldRequest> Merge(IReadOnlyList<HoldRequest> requests) =>
        requests.Where(r => r.Amount > 0)
            .GroupBy(r => r.Resource, StringComparer.Ordinal)
            .Select(g => new HoldRequest(g.Key, g.Sum(r => r.Amount), g.Min(r => r.Capacity)))
            .OrderBy(r => r.Resource, StringComparer.Ordinal)
            .ToList();

    private static async Task<List<Hold>> HoldsOfAsync(FlywheelDb db, string reservationId, CancellationToken ct) =>
        await db.Holds.AsNoTracking().Where(h => h.ReservationId == reservationId).OrderBy(h => h.ResourceKey).ToListAsync(ct);

    /// <summary>The reservation an idempotency key took, if any.</summary>
    public async Task<Reservation?> FindByKeyAsync(string workspaceId, string key, CancellationToken ct)
    {
        await using var db = state.Open();
        return await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.IdempotencyKey == key, ct);
    }
}
