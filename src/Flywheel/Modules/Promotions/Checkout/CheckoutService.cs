using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.FlashSales;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Presales;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Modules.Promotions.Replay;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Checkout;

/// <summary>A quote with the promotions it was priced against.</summary>
public sealed record CheckoutQuote(PriceQuote Quote, LivePromotions Live)
{
    public JsonObject View() => QuoteView.Of(Quote, Live.RejectedCodes);

    /// <summary>The flash-sale attempts behind each flash price offered, by promotion id.</summary>
    public IReadOnlyDictionary<string, string[]> FlashAttempts { get; init; } = new Dictionary<string, string[]>();
}

/// <summary>
/// How a reservation went: made (or found by its key), refused because something ran out meanwhile, or refused because
/// its key already named a different checkout (<see cref="KeyReused"/>).
/// </summary>
public sealed record ReserveResult(Reservation? Reservation, bool Existing, string? Refusal, bool KeyReused = false);

/// <summary>
/// Checkout on top of the pricing core and the hold ledger: price a cart against what is live, reserve what the
/// price needs, then commit when the order is paid or release when it is not.
/// </summary>
public sealed class CheckoutService(StateStore state, HoldLedger ledger, LiveCatalog catalog, TimeProvider clock)
{
    public const string Purpose = "checkout";

    /// <summary>The purpose of a group buy member's reservation (GroupBuys/GroupBuyService).</summary>
    public const string GroupBuyPurpose = "group_buy";

    /// <summary>Prices the cart against the active promotions and the customer's coupons. Reads only.</summary>
    public async Task<CheckoutQuote> QuoteAsync(string workspaceId, CartRequest request, CancellationToken ct)
    {
        await using var db = state.Open();
        var live = await LivePromotions.LoadAsync(db, catalog, workspaceId, request.Cart, request.Codes, ct);
        var flash = await FlashSalePrices.LoadAsync(db, workspaceId, request.Cart, ct);
        live = FlashSaleCheckout.AddTo(live, flash);
        var quote = CartPricer.Price(request.Cart with { Coupons = live.Coupons }, live.Promotions);
        return new CheckoutQuote(quote, live) { FlashAttempts = flash.Attempts };
    }

    /// <summary>
    /// Prices the cart again and holds what the price needs: each applied coupon's code, each applied promotion's use
    /// (in total and for the customer) and its discount from the budget. All or nothing. The same key gives back the
    /// reservation it made, without pricing or holding anything again, provided it is asked for the same cart and codes.
    /// The reservation keeps the quote and everything it was a function of (<see cref="PricingRecord"/>), for replay.
    /// </summary>
    public async Task<ReserveResult> ReserveAsync(string workspaceId, string idempotencyKey, CartRequest request, TimeSpan ttl, CancellationToken ct)
    {
        if (await FindByKeyAsync(workspaceId, idempotencyKey, ct) is { } earlier)
        {
            return Found(earlier, request);
        }
        var priced = await QuoteAsync(workspaceId, request, ct);
        var holds = priced.Quote.Promotions.Where(o => o.Applied)
            .SelectMany(o => priced.Live.HoldsIfApplied[o.PromotionId](o.Amount))
            .Concat(request.Deposits.Select(id => new HoldRequest(ResourceKeys.PresaleDeposit(id), 1, 1)))
            .ToList();
        var details = new JsonObject
        {
            ["quote"] = priced.View(),
            [PricingRecord.DetailsKey] = PricingRecord.Of(request, priced.Live).ToJson(),
        };
        FlashSaleCheckout.Record(details, priced);
        var outcome = await ledger.ReserveAsync(workspaceId, idempotencyKey, Purpose, request.Cart.Customer.Id, holds, ttl, details.ToJsonString(), ct);
        if (outcome.Refused is { } refused)
        {
            return new ReserveResult(null, false, Explain(refused));
        }
        return outcome.Existing ? Found(outcome.Reservation!, request) : new ReserveResult(outcome.Reservation, false, null);
    }

    /// <summary>The reservation an idempotency key already took: the answer to a retry of the same checkout only.</summary>
    private static ReserveResult Found(Reservation earlier, CartRequest request) =>
        earlier.Purpose == Purpose && PricingRecord.TakenForAnotherCheckout(earlier, request)
            ? new ReserveResult(earlier, true, null, KeyReused: true)
            : new ReserveResult(earlier, true, null);

    /// <summary>Commits, and gives unclaimed codes it redeemed to the customer who used them.</summary>
    public async Task<CloseOutcome> CommitAsync(string workspaceId, string reservationId, string? orderId, CancellationToken ct)
    {
        var outcome = await FlashSaleCheckout.CommitAsync(ledger, clock, workspaceId, reservationId, orderId, ct);
        if (outcome.Changed)
        {
            await PresaleDeposits.MarkBalancePaidAsync(state, await ledger.HoldsAsync(reservationId, ct), orderId, clock.GetUtcNow(), ct);
        }
        if (outcome.Changed && outcome.Reservation?.CustomerId is { } customerId)
        {
            var codes = (await ledger.HoldsAsync(reservationId, ct)).Select(h => h.ResourceKey)
                .Where(k => k.StartsWith("coupon:", StringComparison.Ordinal)).Select(k => k["coupon:".Length..]).ToArray();
            if (codes.Length > 0)
            {
                var now = clock.GetUtcNow();
                await using var db = state.Open();
                await db.Coupons.Where(c => c.WorkspaceId == workspaceId && codes.Contains(c.Code) && c.CustomerId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, customerId).SetProperty(c => c.ClaimedAt, now), ct);
            }
        }
        return outcome;
    }

    /// <summary>
    /// Why a reservation is not closed through checkout: a seat in a group buy is committed when its group fills and
    /// released when it fails, so that a group's members settle together. Null for any other reservation.
    /// </summary>
    public async Task<string?> SettledElsewhereAsync(string workspaceId, string reservationId, CancellationToken ct) =>
        await ledger.GetAsync(workspaceId, reservationId, ct) is { Purpose: GroupBuyPurpose }
            ? $"Reservation {reservationId} is a seat in a group buy: it is committed when the group fills and released when it fails, not through checkout."
            : null;

        public Task<CloseOutcome> ReleaseAsync(string workspaceId, string reservationId, CancellationToken ct) =>
        ledger.ReleaseAsync(workspaceId, reservationId, ct);

    public async Task<JsonObject?> ViewAsync(string workspaceId, string reservationId, CancellationToken ct) =>
        await ledger.GetAsync(workspaceId, reservationId, ct) is { } r ? await ViewAsync(r, ct) : null;

    public async Task<JsonObject> ViewAsync(Reservation r, CancellationToken ct)
    {
        var holds = await ledger.HoldsAsync(r.Id, ct);
        return new JsonObject
        {
            ["id"] = r.Id,
            ["state"] = r.State,
            ["customer_id"] = r.CustomerId,
            ["order_id"] = r.OrderId,
            ["created_at"] = r.CreatedAt,
            ["expires_at"] = r.ExpiresAt,
            ["closed_at"] = r.ClosedAt,
            ["holds"] = new JsonArray(holds.Select(h => (JsonNode)new JsonObject { ["resource"] = h.ResourceKey, ["amount"] = h.Amount }).ToArray()),
            ["quote"] = JsonNode.Parse(r.Details)?["quote"]?.DeepClone(),
        };
    }

    private async Task<Reservation?> FindByKeyAsync(string workspaceId, string key, CancellationToken ct)
    {
        await using var db = state.Open();
        return await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.IdempotencyKey == key, ct);
    }

    /// <summary>Which finite thing ran out between the quote and the reservation, in words.</summary>
    public static string Explain(HoldRequest refused)
    {
        var parts = refused.Resource.Split(':');
        var what = parts switch
        {
            ["coupon", var code] => $"the coupon '{code}' has just been used or locked by another checkout",
            ["promotion", var id, "budget"] => $"the budget of promotion {id} has too little left",
            ["campaign-budget", var id] => $"campaign budget {id} has too little left",
            ["promotion", var id, "uses"] => $"promotion {id} has reached its usage limit",
            ["promotion", var id, "customer", ..] => $"the customer has used promotion {id} as often as allowed",
            ["presale-deposit", var id] => $"the balance of presale deposit {id} is being paid by another checkout, or was paid",
            _ => $"'{refused.Resource}' has too little left",
        };
        return $"Nothing was reserved: {what}. Quote the cart again.";
    }
}
