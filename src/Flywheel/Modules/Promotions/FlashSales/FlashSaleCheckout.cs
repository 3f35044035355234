using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Modules.Promotions.Holds;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// How checkout carries flash-sale units: the quote prices them (<see cref="FlashSalePrices"/>), the reservation records
/// which attempts its price used, and the commit spends the checkout's holds and those attempts in one transaction.
/// </summary>
public static class FlashSaleCheckout
{
    private const string DetailsField = "flash_attempts";

    /// <summary>The quote's promotions with the flash prices added; a flash price holds nothing more (its attempt holds the units).</summary>
    public static LivePromotions AddTo(LivePromotions live, FlashSalePrices flash)
    {
        if (flash.Promotions.Count == 0)
        {
            return live;
        }
        var holds = new Dictionary<string, Func<long, IReadOnlyList<HoldRequest>>>(live.HoldsIfApplied, StringComparer.Ordinal);
        foreach (var p in flash.Promotions)
        {
            holds[p.Id] = _ => [];
        }
        return live with { Promotions = [.. live.Promotions, .. flash.Promotions], HoldsIfApplied = holds };
    }

    /// <summary>Adds to a checkout reservation's details the attempts whose price it applied.</summary>
    public static void Record(JsonObject details, CheckoutQuote priced)
    {
        var used = priced.Quote.Promotions.Where(o => o.Applied && priced.FlashAttempts.ContainsKey(o.PromotionId))
            .SelectMany(o => priced.FlashAttempts[o.PromotionId]).ToArray();
        if (used.Length > 0)
        {
            details[DetailsField] = new JsonArray(used.Select(id => (JsonNode)id).ToArray());
        }
    }

    /// <summary>
    /// Commits a checkout reservation and the attempts its price used, all or none. When an attempt lapsed or was
    /// released first, nothing changes and the reservation comes back still held: the order must be quoted again.
    /// </summary>
    public static async Task<CloseOutcome> CommitAsync(
        HoldLedger ledger, TimeProvider clock, string workspaceId, string reservationId, string? orderId, CancellationToken ct)
    {
        var reservation = await ledger.GetAsync(workspaceId, reservationId, ct);
        var attempts = reservation is null ? [] : JsonNode.Parse(reservation.Details)?[DetailsField]?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];
        if (attempts.Length == 0)
        {
            return await ledger.CommitAsync(workspaceId, reservationId, orderId, ct);
        }
        if (await ledger.CommitTogetherAsync(workspaceId, [reservationId, .. attempts], orderId, ct))
        {
            return new CloseOutcome(await ledger.GetAsync(workspaceId, reservationId, ct), true);
        }
        var current = await ledger.GetAsync(workspaceId, reservationId, ct);
        if (current is { State: ReservationState.Held } && current.ExpiresAt > clock.GetUtcNow())
        {
            return new CloseOutcome(current, false);
        }
        // The checkout itself was committed, released or lapsed already: the ledger's own commit answers (and lapses it
        // if due). It cannot commit it alone: it commits only an open reservation before its expiry, and this one is not.
        return await ledger.CommitAsync(workspaceId, reservationId, orderId, ct);
    }
}
