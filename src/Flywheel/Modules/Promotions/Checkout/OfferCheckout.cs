using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Modules.Promotions.Replay;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.Checkout;

/// <summary>
/// A price one customer has earned for one SKU — a group's price, a bargained price — given to pricing as an
/// item-class special price for that customer's line, so that it goes through the same pipeline as every promotion.
/// </summary>
public sealed record OfferPrice(string Id, string Name, string Sku, long UnitPrice, IReadOnlyList<PromotionClass> CombinesWith)
{
    public Promotion AsPromotion() => new()
    {
        Id = Id,
        Name = Name,
        Class = PromotionClass.Item,
        Reward = new SpecialPrices([new SpecialPrice(Sku, UnitPrice)]),
        Scope = new PromotionScope { Skus = [Sku] },
        CombinesWith = CombinesWith,
    };
}

/// <summary>What one extra finite thing the offer takes, and how to say it ran out.</summary>
public sealed record OfferHold(HoldRequest Request, string WhenRefused);

/// <summary>
/// An offer checkout's reservation (new, or found by its key), or why nothing was reserved; or the reservation its key
/// already took for a different cart (<see cref="KeyReused"/>).
/// </summary>
public sealed record OfferReservation(Reservation? Reservation, bool Existing, string? Refusal, bool KeyReused = false);

/// <summary>
/// Checkout of a cart holding an offer price: the cart is priced with the offer and with those live promotions and
/// coupons it combines with (each listing the other's class), and the reservation holds the offer's own finite things
/// (a seat, one purchase) together with what the applied promotions and coupons need — all in one ledger reservation,
/// which keeps the quote and what it was priced with (<see cref="PricingRecord"/>, the offer's definition included), so
/// it can be replayed like any checkout.
/// </summary>
public sealed class OfferCheckout(StateStore state, HoldLedger ledger, LiveCatalog catalog)
{
    public async Task<CheckoutQuote> QuoteAsync(string workspaceId, CartRequest request, OfferPrice offer, CancellationToken ct)
    {
        await using var db = state.Open();
        var live = await LivePromotions.LoadAsync(db, catalog, workspaceId, request.Cart, request.Codes, ct);
        var price = offer.AsPromotion();
        // Only what stacks with the offer is priced with it: anything else could only be chosen instead of it.
        var promotions = live.Promotions.Where(p => Stacking.CanCombine(price, p)).Append(price).ToList();
        var coupons = live.Coupons.Where(c => Stacking.CanCombine(price, c)).ToList();
        var quote = CartPricer.Price(request.Cart with { Coupons = coupons }, promotions);
        if (!Applied(quote, offer.Id) && quote.Promotions.Any(o => o.Applied))
        {
            // Something that combines with the offer gave more without it (a threshold the offer price falls below):
            // the offer is what the customer came for, so it is priced alone.
            (promotions, coupons) = ([price], []);
            quote = CartPricer.Price(request.Cart with { Coupons = [] }, promotions);
        }
        return new CheckoutQuote(quote, live with { Promotions = promotions, Coupons = coupons });
    }

    /// <summary>
    /// Prices the cart with the offer and reserves everything or nothing. The same key gives back the reservation it
    /// made, without pricing or holding again.
    /// </summary>
    public async Task<OfferReservation> ReserveAsync(
        string workspaceId, string idempotencyKey, string purpose, CartRequest request, OfferPrice offer, IReadOnlyList<OfferHold> offerHolds,
        TimeSpan ttl, JsonObject details, CancellationToken ct)
    {
        if (await ledger.FindByKeyAsync(workspaceId, idempotencyKey, ct) is { } earlier)
        {
            return new OfferReservation(earlier, true, null, PricingRecord.TakenForAnotherCheckout(earlier, request));
        }
        var priced = await QuoteAsync(workspaceId, request, offer, ct);
        var holds = priced.Quote.Promotions.Where(o => o.Applied && o.PromotionId != offer.Id)
            .SelectMany(o => priced.Live.HoldsIfApplied[o.PromotionId](o.Amount))
            .Concat(offerHolds.Select(h => h.Request))
            .ToList();
        details["quote"] = priced.View();
        details[PricingRecord.DetailsKey] = PricingRecord.Of(request, priced.Live).ToJson();
        var outcome = await ledger.ReserveAsync(workspaceId, idempotencyKey, purpose, request.Cart.Customer.Id, holds, ttl, details.ToJsonString(), ct);
        if (outcome.Refused is { } refused)
        {
            var own = offerHolds.FirstOrDefault(h => h.Request.Resource == refused.Resource);
            return new OfferReservation(null, false, own?.WhenRefused ?? CheckoutService.Explain(refused));
        }
        return new OfferReservation(
            outcome.Reservation, outcome.Existing, null, outcome.Existing && PricingRecord.TakenForAnotherCheckout(outcome.Reservation!, request));
    }

    private static bool Applied(PriceQuote quote, string id) => quote.Promotions.Any(o => o.PromotionId == id && o.Applied);
}
