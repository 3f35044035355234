using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Modules.Promotions.Replay;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.GroupBuys;

/// <summary>How an open or a join went: the group and the member's reservation, or why nothing was held.</summary>
public sealed record JoinResult(GroupBuyGroup? Group, Reservation? Reservation, bool Existing, string? Refusal, bool KeyReused = false)
{
    public static JoinResult Refused(string why) => new(null, null, false, why);
}

/// <summary>
/// 拼团 on the hold ledger (docs/group-buys.md). A member's order is one ledger reservation holding a seat of the
/// group (capacity: its size, so a group never overfills), the customer's one seat in it, and whatever the order's
/// price needs (coupons, budgets), priced with the group price through <see cref="OfferCheckout"/>. When the last seat
/// is taken every member's reservation is committed; when the deadline passes unfilled every one is released — or,
/// with virtual completion, committed if enough members joined. Every step is a conditional update from the state it
/// leaves, so a retry, a second node or the sweep never does it twice.
/// </summary>
public sealed class GroupBuyService(StateStore state, HoldLedger ledger, OfferCheckout offers, TimeProvider clock)
{
    public const string Purpose = CheckoutService.GroupBuyPurpose;

    /// <summary>
    /// How long a member's reservation outlives the group's deadline: the time the sweep has to settle a group that
    /// filled in its last moment, or to decide one that timed out, before the ledger lapses the reservation itself.
    /// </summary>
    public static readonly TimeSpan SettleGrace = TimeSpan.FromHours(1);

    /// <summary>Opens a group with its leader's order as the first member. The same key finds the group it opened.</summary>
    public async Task<JoinResult> OpenAsync(string workspaceId, GroupBuyCampaign campaign, string key, CartRequest request, string? orderId, CancellationToken ct)
    {
        if (await ExistingAsync(workspaceId, key, request, ct) is { } earlier)
        {
            return earlier;
        }
        var now = clock.GetUtcNow();
        if (NotLive(campaign, now) is { } why)
        {
            return JoinResult.Refused(why);
        }
        var group = new GroupBuyGroup
        {
            Id = Ids.New("grp"),
            WorkspaceId = workspaceId,
            CampaignId = campaign.Id,
            LeaderId = request.Cart.Customer.Id,
            State = GroupState.Open,
            Size = campaign.GroupSize,
            Price = campaign.GroupPrice,
            CreatedAt = now,
            ExpiresAt = CampaignTerms.Deadline(campaign.TimeLimitHours, campaign.EndsAt, now),
        };
        await using (var db = state.Open())
        {
            db.GroupBuyGroups.Add(group);
            await db.SaveChangesAsync(ct);
        }
        var result = await JoinAsync(workspaceId, campaign, group, key, request, orderId, ct);
        if (result.Refusal is not null || result.Group?.Id != group.Id)
        {
            // Nothing held (or the key's first request opened another group meanwhile): the empty group goes.
            await using var db = state.Open();
            await db.GroupBuyGroups.Where(g => g.Id == group.Id).ExecuteDeleteAsync(ct);
        }
        return result;
    }

    /// <summary>Takes a seat, or refuses when the group is full, closed or past its deadline. The same key answers as before.</summary>
    public async Task<JoinResult> JoinAsync(
        string workspaceId, GroupBuyCampaign campaign, GroupBuyGroup group, string key, CartRequest request, string? orderId, CancellationToken ct)
    {
        if (await ExistingAsync(workspaceId, key, request, ct) is { } earlier)
        {
            return earlier;
        }
        var now = clock.GetUtcNow();
        if (NotLive(campaign, now) is { } why)
        {
            return JoinResult.Refused(why);
        }
        if (group.State != GroupState.Open || now >= group.ExpiresAt)
        {
            return JoinResult.Refused($"Group {group.Id} is {(group.State == GroupState.Open ? "past its deadline" : group.State)}: it takes no more members.");
        }
        var customerId = request.Cart.Customer.Id;
        var offer = new OfferPrice("group_buy:" + campaign.Id, campaign.Name, campaign.Sku, group.Price, CampaignFields.Classes(campaign.CombinesWith));
        OfferHold[] seat =
        [
            new(new HoldRequest(GroupBuyKeys.Seats(group.Id), 1, group.Size), $"Group {group.Id} is full: all {group.Size} seats are taken. Nothing was reserved."),
            new(new HoldRequest(GroupBuyKeys.Member(group.Id, customerId), 1, 1), $"Customer {customerId} already has a seat in group {group.Id}. Nothing was reserved."),
        ];
        var details = new JsonObject { ["group_id"] = group.Id, ["campaign_id"] = campaign.Id, ["order_id"] = orderId };
        var ttl = group.ExpiresAt + SettleGrace - now;
        var reserved = await offers.ReserveAsync(workspaceId, key, Purpose, request, offer, seat, ttl, details, ct);
        if (reserved.Refusal is { } refusal)
        {
            return JoinResult.Refused(refusal);
        }
        if (reserved.Existing)
        {
            return await ExistingAsync(workspaceId, key, request, ct) ?? JoinResult.Refused(NotAGroupKey(key));
        }
        var current = await AfterJoinAsync(workspaceId, group.Id, ct);
        if (current.State == GroupState.Failed)
        {
            // The deadline passed while this seat was taken, and the group was failed without it: it is returned here.
            await ledger.ReleaseAsync(workspaceId, reserved.Reservation!.Id, ct);
            return JoinResult.Refused($"Group {group.Id} timed out while the seat was being taken; nothing is held.");
        }
        return new JoinResult(current, await ledger.GetAsync(workspaceId, reserved.Reservation!.Id, ct), false, null);
    }

    /// <summary>
    /// Decides every open group past its deadline (virtual completion or failure), and finishes settling groups whose
    /// members were left held by an interruption. The number of groups decided.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<GroupBuyGroup> due;
        List<string> unsettled;
        await using (var db = state.Open())
        {
            due = await db.GroupBuyGroups.AsNoTracking().Where(g => g.State == GroupState.Open && g.ExpiresAt <= now)
                .OrderBy(g => g.ExpiresAt).Take(200).ToListAsync(ct);
            // Members still held in a group already decided: its settlement was interrupted.
            unsettled = await (from r in db.Reservations
                               join h in db.Holds on r.Id equals h.ReservationId
                               join g in db.GroupBuyGroups on h.ResourceKey equals "group:" + g.Id + ":seats"
                               where r.Purpose == Purpose && r.State == ReservationState.Held && g.State != GroupState.Open
                               select g.Id).Distinct().Take(200).ToListAsync(ct);
        }
        foreach (var group in due)
        {
            await TimeOutAsync(group, ct);
        }
        foreach (var groupId in unsettled)
        {
            await using var db = state.Open();
            if (await db.GroupBuyGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId, ct) is { } group)
            {
                await SettleAsync(group, ct);
            }
        }
        return due.Count;
    }

    /// <summary>The reservations holding the group's seats, in the order they joined.</summary>
    public static async Task<List<Reservation>> MembersAsync(FlywheelDb db, string workspaceId, string groupId, CancellationToken ct)
    {
        var seats = GroupBuyKeys.Seats(groupId);
        return await (from h in db.Holds
                      join r in db.Reservations on h.ReservationId equals r.Id
                      where h.WorkspaceId == workspaceId && h.ResourceKey == seats
                      orderby r.CreatedAt, r.Id
                      select r).AsNoTracking().ToListAsync(ct);
    }

    /// <summary>Once the last seat is taken the group succeeds (once, whichever join sees it first) and every member settles.</summary>
    private async Task<GroupBuyGroup> AfterJoinAsync(string workspaceId, string groupId, CancellationToken ct)
    {
        await using var db = state.Open();
        var group = await db.GroupBuyGroups.AsNoTracking().FirstAsync(g => g.Id == groupId, ct);
        if (group.State == GroupState.Open)
        {
            var seats = await db.Resources.AsNoTracking().FirstAsync(r => r.WorkspaceId == workspaceId && r.Key == GroupBuyKeys.Seats(groupId), ct);
            if (seats.Held + seats.Spent >= group.Size)
            {
                await CloseAsync(groupId, GroupState.Succeeded, 0, ct);
            }
            group = await db.GroupBuyGroups.AsNoTracking().FirstAsync(g => g.Id == groupId, ct);
        }
        if (group.State != GroupState.Open)
        {
            await SettleAsync(group, ct);
        }
        return group;
    }

    /// <summary>At the deadline: virtual completion when the campaign has it and enough members joined, else failure.</summary>
    private async Task TimeOutAsync(GroupBuyGroup group, CancellationToken ct)
    {
        int? virtualMin;
        int real;
        await using (var db = state.Open())
        {
            virtualMin = await db.GroupBuys.Where(c => c.Id == group.CampaignId).Select(c => c.VirtualCompletionMinMembers).FirstOrDefaultAsync(ct);
            real = (await MembersAsync(db, group.WorkspaceId, group.Id, ct)).Count(r => r.State == ReservationState.Held);
        }
        var succeeds = virtualMin is { } min && real >= min;
        await CloseAsync(group.Id, succeeds ? GroupState.Succeeded : GroupState.Failed, succeeds ? group.Size - real : 0, ct);
        await using var read = state.Open();
        await SettleAsync(await read.GroupBuyGroups.AsNoTracking().FirstAsync(g => g.Id == group.Id, ct), ct);
    }

    /// <summary>Open → succeeded or failed, once: a conditional update from open.</summary>
    private async Task CloseAsync(string groupId, string to, int virtualMembers, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = state.Open();
        await db.GroupBuyGroups.Where(g => g.Id == groupId && g.State == GroupState.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.State, to).SetProperty(g => g.ClosedAt, now).SetProperty(g => g.VirtualMembers, virtualMembers), ct);
    }

    /// <summary>Commits every held member of a succeeded group (with the order each gave), releases every one of a failed group.</summary>
    private async Task SettleAsync(GroupBuyGroup group, CancellationToken ct)
    {
        List<Reservation> members;
        await using (var db = state.Open())
        {
            members = (await MembersAsync(db, group.WorkspaceId, group.Id, ct)).Where(r => r.State == ReservationState.Held).ToList();
        }
        foreach (var member in members)
        {
            if (group.State == GroupState.Succeeded)
            {
                await ledger.CommitAsync(group.WorkspaceId, member.Id, OrderId(member), ct);
            }
            else
            {
                await ledger.ReleaseAsync(group.WorkspaceId, member.Id, ct);
            }
        }
    }

    /// <summary>What the key's earlier request got, flagged when it was for a different cart.</summary>
    private async Task<JoinResult?> ExistingAsync(string workspaceId, string key, CartRequest request, CancellationToken ct)
    {
        if (await ledger.FindByKeyAsync(workspaceId, key, ct) is not { } reservation)
        {
            return null;
        }
        var groupId = reservation.Purpose == Purpose ? JsonNode.Parse(reservation.Details)?["group_id"]?.GetValue<string>() : null;
        await using var db = state.Open();
        var group = groupId is null ? null : await db.GroupBuyGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId, ct);
        return group is null
            ? JoinResult.Refused(NotAGroupKey(key))
            : new JoinResult(group, reservation, true, null, PricingRecord.TakenForAnotherCheckout(reservation, request));
    }

    private static string NotAGroupKey(string key) => $"The Idempotency-Key '{key}' was used for another reservation, not a seat in a group; use a new key.";

    private static string? NotLive(GroupBuyCampaign campaign, DateTimeOffset now) =>
        CampaignTerms.Live(campaign.Status, campaign.StartsAt, campaign.EndsAt, now)
            ? null
            : $"Group buy {campaign.Id} is not running ({campaign.Status}{(campaign.EndsAt is { } end && end <= now ? ", ended" : "")}{(campaign.StartsAt is { } start && now < start ? ", not started" : "")}): no group can be opened or joined.";

    private static string? OrderId(Reservation r) => JsonNode.Parse(r.Details)?["order_id"]?.GetValue<string>();
}
