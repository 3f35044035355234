using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Flywheel.Modules.Promotions.Checkout;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Pricing;

namespace Flywheel.Modules.Promotions.Replay;

/// <summary>
/// One promotion or coupon a cart was priced against, with the ledger's facts at that moment. A stored promotion is
/// named by its <see cref="Version"/> (its definition is kept in promo_promotion_versions); anything else (a coupon
/// resolved from its template) carries its <see cref="Definition"/> itself. Records kept before campaign budgets
/// existed have no <see cref="SharedBudget"/>, which is what their promotions had.
/// </summary>
public sealed record PricedPromotion(
    string Id, string Name, int? Version, string? Definition, string? CouponCode, long? BudgetRemaining, bool LimitReached,
    SharedBudget? SharedBudget = null);

/// <summary>
/// Everything one checkout's price was a function of: the cart as pricing saw it (its time included), the codes entered,
/// the promotions and coupons in the order they were priced, each with its facts, and the codes refused before pricing.
/// The pricing core being pure, this is enough to price the cart again to the same answer, whatever changed since.
/// </summary>
public sealed record PricingRecord(
    Cart Cart, IReadOnlyList<string> Codes, IReadOnlyList<PricedPromotion> Promotions, IReadOnlyList<PricedPromotion> Coupons,
    IReadOnlyList<RejectedCode> RejectedCodes)
{
    /// <summary>Where a checkout reservation's details keep the record.</summary>
    public const string DetailsKey = "priced_with";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static PricingRecord Of(CartRequest request, LivePromotions live) => new(
        request.Cart with { Coupons = [] },
        request.Codes,
        [.. live.Promotions.Select(p => Entry(p, live.Versions.TryGetValue(p.Id, out var v) ? v : null))],
        [.. live.Coupons.Select(c => Entry(c, null))],
        live.RejectedCodes);

    public JsonNode ToJson() => JsonSerializer.SerializeToNode(this, Options)!;

    /// <summary>
    /// Whether a reservation an Idempotency-Key already took was for another checkout than <paramref name="request"/>:
    /// the key reused for a different cart or codes, which must be refused rather than answered with the other one.
    /// </summary>
    public static bool TakenForAnotherCheckout(Reservation earlier, CartRequest request) =>
        Read(JsonNode.Parse(earlier.Details)?[DetailsKey]) is { } record && !record.SameCheckoutAs(request);

    public static PricingRecord? Read(JsonNode? node) => node?.Deserialize<PricingRecord>(Options);

    /// <summary>
    /// Whether <paramref name="request"/> asks for the same checkout as the one recorded: the same cart and codes; only the
    /// time, which is the server's at each attempt, may differ, and so may the presale terms of its lines, which the
    /// server looks up (a retry after the balance was paid finds the deposit used and sends the line without them).
    /// </summary>
    public bool SameCheckoutAs(CartRequest request)
    {
        var mine = JsonSerializer.SerializeToNode(AsSent(Cart), Options);
        var theirs = JsonSerializer.SerializeToNode(AsSent(request.Cart) with { Coupons = [] }, Options);
        return JsonNode.DeepEquals(mine, theirs) && Codes.SequenceEqual(request.Codes, StringComparer.Ordinal);
    }

    private static Cart AsSent(Cart cart) => cart with { Now = default, Lines = [.. cart.Lines.Select(l => l with { Presale = null })] };

    private static PricedPromotion Entry(Promotion p, int? version) =>
        new(p.Id, p.Name, version, version is null ? DefinitionJson.Stored(p) : null, p.CouponCode, p.BudgetRemaining, p.LimitReached, p.SharedBudget);
}
