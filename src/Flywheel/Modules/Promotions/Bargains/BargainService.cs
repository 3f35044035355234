using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Replay;
using Flywheel.Platform;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flywheel.Modules.Promotions.Bargains;

/// <summary>A help's answer: the bargain after it and the cut made, or why it was refused (nothing changed).</summary>
public sealed record HelpResult(Bargain? Bargain, BargainHelp? Help, string? Refusal);

/// <summary>
/// 砍价 (docs/bargains.md): a customer starts a bargain; friends help, each cutting a random amount within the bounds
/// so that the last of the configured helps lands exactly on the floor; the customer then buys at the floor price
/// through <see cref="OfferCheckout"/>. Every limit — one help per helper and per device, the number of helps, the
/// campaign's per-device and per-IP limits, one purchase — is a resource of the hold ledger, taken in the same
/// transaction as the cut is written.
/// </summary>
public sealed class BargainService(StateStore state, HoldLedger ledger, OfferCheckout offers, IOptions<PromotionsOptions> options, TimeProvider clock)
{
    public const string Purpose = "bargain";

    /// <summary>A conditional update of the cut can lose only to a help committed meanwhile; this many tries is plenty.</summary>
    private const int Attempts = 5;

    /// <summary>Starts the customer's bargain, or finds the one they started (one per customer and campaign).</summary>
    public async Task<(Bargain? Bargain, bool Existing, string? Refusal)> StartAsync(string workspaceId, BargainCampaign campaign, string customerId, CancellationToken ct)
    {
        if (await FindAsync(workspaceId, campaign.Id, customerId, ct) is { } earlier)
        {
            return (earlier, true, null);
        }
        var now = clock.GetUtcNow();
        if (!CampaignTerms.Live(campaign.Status, campaign.StartsAt, campaign.EndsAt, now))
        {
            return (null, false, $"Bargain campaign {campaign.Id} is not running ({campaign.Status}): no bargain can be started.");
        }
        var bargain = new Bargain
        {
            Id = Ids.New("brg"),
            WorkspaceId = workspaceId,
            CampaignId = campaign.Id,
            CustomerId = customerId,
            State = BargainState.Open,
            StartPrice = campaign.StartPrice,
            FloorPrice = campaign.FloorPrice,
            Helpers = campaign.Helpers,
            MinCut = campaign.MinCut,
            MaxCut = campaign.MaxCut,
            CreatedAt = now,
            ExpiresAt = CampaignTerms.Deadline(campaign.TimeLimitHours, campaign.EndsAt, now),
        };
        try
        {
            await using var db = state.Open();
            db.Bargains.Add(bargain);
            await db.SaveChangesAsync(ct);
            return (bargain, false, null);
        }
        catch (DbUpdateException)
        {
            // Started by a concurrent request: the unique index let one in, and that one is the answer.
            return await FindAsync(workspaceId, campaign.Id, customerId, ct) is { } winner ? (winner, true, null) : throw new InvalidOperationException("A bargain insert failed without a bargain to show for it.");
        }
    }

    /// <summary>One friend's help: every limit taken and the cut written in one transaction, or nothing at all.</summary>
    public async Task<HelpResult> HelpAsync(BargainCampaign campaign, Bargain bargain, string helperId, string deviceId, string ip, CancellationToken ct)
    {
        if (helperId == bargain.CustomerId)
        {
            return Refused($"Customer {helperId} started bargain {bargain.Id} and cannot help it.");
        }
        var limits = new (HoldRequest Request, string WhenRefused)[]
        {
            (new(BargainKeys.Helper(bargain.Id, helperId), 1, 1), $"{helperId} has already helped bargain {bargain.Id}: one help per helper."),
            (new(BargainKeys.BargainDevice(bargain.Id, deviceId), 1, 1), $"Device {deviceId} has already helped bargain {bargain.Id}: one help per device."),
            (new(BargainKeys.Helps(bargain.Id), 1, bargain.Helpers), $"Bargain {bargain.Id} has had all {bargain.Helpers} helps: its price is at the floor."),
            (new(BargainKeys.Device(campaign.Id, deviceId), 1, campaign.PerDeviceLimit), $"Device {deviceId} has given the {campaign.PerDeviceLimit} help(s) one device may give in this campaign."),
            (new(BargainKeys.Ip(campaign.Id, ip), 1, campaign.PerIpLimit), $"IP address {ip} has given the {campaign.PerIpLimit} help(s) one address may give in this campaign."),
        };
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var now = clock.GetUtcNow();
            await using var db = state.Open();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The ledger's conditional updates come first: they lock this bargain's help count, so the read below sees
            // every help committed before this one.
            if (await ledger.SpendAsync(db, bargain.WorkspaceId, limits.Select(l => l.Request).ToList(), ct) is { } refused)
            {
                await tx.RollbackAsync(ct);
                return Refused(limits.First(l => l.Request.Resource == refused.Resource).WhenRefused);
            }
            var current = await db.Bargains.AsNoTracking().FirstAsync(b => b.Id == bargain.Id, ct);
            if (current.State != BargainState.Open || now >= current.ExpiresAt)
            {
                await tx.RollbackAsync(ct);
                return Refused($"Bargain {bargain.Id} is {(current.State == BargainState.Open ? BargainState.Expired : current.State)}: it takes no more helps.");
            }
            var remaining = current.StartPrice - current.FloorPrice - current.CutTotal;
            var cut = BargainCuts.Next(remaining, current.Helpers - current.Helps, current.MinCut, current.MaxCut, Random.Shared);
            var last = current.Helps + 1 == current.Helpers;
            var changed = await db.Bargains.Where(b => b.Id == current.Id && b.Helps == current.Helps)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Helps, b => b.Helps + 1).SetProperty(b => b.CutTotal, b => b.CutTotal + cut)
                    .SetProperty(b => b.State, last ? BargainState.Succeeded : BargainState.Open)
                    .SetProperty(b => b.SucceededAt, last ? now : (DateTimeOffset?)null), ct);
            if (changed == 0)
            {
                await tx.RollbackAsync(ct);
                continue;
            }
            var help = new BargainHelp
            {
                BargainId = current.Id,
                HelperId = helperId,
                WorkspaceId = current.WorkspaceId,
                Sequence = current.Helps + 1,
                Cut = cut,
                DeviceId = deviceId,
                Ip = ip,
                CreatedAt = now,
            };
            db.BargainHelps.Add(help);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new HelpResult(await db.Bargains.AsNoTracking().FirstAsync(b => b.Id == current.Id, ct), help, null);
        }
        return Refused($"Bargain {bargain.Id} is being helped by many at once; try the help again.");
    }

    /// <summary>Buys a bargain that reached its floor, before it expires: the cart priced with the floor price, held until paid.</summary>
    public async Task<OfferReservation> BuyAsync(BargainCampaign campaign, Bargain bargain, OfferRequest request, CancellationToken ct)
    {
        if (await ledger.FindByKeyAsync(bargain.WorkspaceId, request.Key, ct) is { } earlier)
        {
            return new OfferReservation(earlier, true, null, PricingRecord.TakenForAnotherCheckout(earlier, request.Cart));
        }
        var now = clock.GetUtcNow();
        if (request.Cart.Cart.Customer.Id != bargain.CustomerId)
        {
            return new OfferReservation(null, false, $"Bargain {bargain.Id} is customer {bargain.CustomerId}'s; it is bought by them.");
        }
        if (bargain.State != BargainState.Succeeded)
        {
            return new OfferReservation(null, false, $"Bargain {bargain.Id} has had {bargain.Helps} of its {bargain.Helpers} helps: it is bought once its price reaches the floor.");
        }
        if (now >= bargain.ExpiresAt)
        {
            return new OfferReservation(null, false, $"Bargain {bargain.Id} expired at {bargain.ExpiresAt:O}; its price can no longer be bought.");
        }
        var offer = new OfferPrice("bargain:" + campaign.Id, campaign.Name, campaign.Sku, bargain.FloorPrice, CampaignFields.Classes(campaign.CombinesWith));
        OfferHold[] purchase = [new(new HoldRequest(BargainKeys.Purchase(bargain.Id), 1, 1), $"Bargain {bargain.Id} has been bought, or is held by an open checkout. Nothing was reserved.")];
        var details = new JsonObject { ["bargain_id"] = bargain.Id, ["campaign_id"] = campaign.Id, ["order_id"] = request.OrderId };
        return await offers.ReserveAsync(bargain.WorkspaceId, request.Key, Purpose, request.Cart, offer, purchase, options.Value.ReservationTtl, details, ct);
    }

    private async Task<Bargain?> FindAsync(string workspaceId, string campaignId, string customerId, CancellationToken ct)
    {
        await using var db = state.Open();
        return await db.Bargains.AsNoTracking().FirstOrDefaultAsync(b => b.WorkspaceId == workspaceId && b.CampaignId == campaignId && b.CustomerId == customerId, ct);
    }

    private static HelpResult Refused(string why) => new(null, null, why);
}
