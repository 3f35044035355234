using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.Checkout;

/// <summary>
/// The request of a checkout with an offer price (joining a group, buying a bargain): the header Idempotency-Key, a
/// cart as <c>/checkout/reserve</c> takes it that has a line of the offer's SKU, and the shop's optional order id.
/// </summary>
public sealed record OfferRequest(string Key, CartRequest Cart, string? OrderId)
{
    /// <summary>The request, or a 400 naming each field wrong.</summary>
    public static async Task<(OfferRequest? Request, IResult? Problem)> ReadAsync(
        HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, string sku, CancellationToken ct)
    {
        var key = request.Headers[Idempotency.Header].ToString().Trim();
        if (key.Length is 0 or > Idempotency.MaxKeyLength)
        {
            return (null, Problems.Validation(Idempotency.Header, $"is required: one value of 1 to {Idempotency.MaxKeyLength} characters naming this order."));
        }
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, [.. CartRequest.Fields, "order_id"]);
        if (document is null)
        {
            return (null, Problems.Validation(errors.ToDictionary()));
        }
        var orderId = Fields.Optional(new JsonInput(document.RootElement, errors).Text("order_id"), "order_id", 200, errors);
        var settings = await WorkspaceSettings.LoadAsync(db, caller.WorkspaceId(), ct);
        var cart = CartRequest.Read(document.RootElement, settings.Currency, clock.GetUtcNow(), errors);
        if (cart is not null && !cart.Cart.Lines.Any(l => l.Sku == sku))
        {
            errors.Add("lines", $"needs a line of SKU '{sku}', the SKU this price is for.");
        }
        return cart is null || errors.Any ? (null, Problems.Validation(errors.ToDictionary())) : (new OfferRequest(key, cart, orderId), null);
    }
}
