using System.Globalization;
using System.Security.Claims;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// /api/v1/flash-sales/{id}/attempts: a buyer's 抢购. 201 with the units held for the payment window, or 409 when the
/// session is not open, the stock is gone or the buyer has reached the per-customer limit. The units are paid through
/// checkout (its quote prices them at the flash price, its commit spends them) or committed here directly.
/// </summary>
public static class FlashSaleAttemptsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/flash-sales/{id}/attempts", AttemptAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("AttemptFlashSale").WithSummary("Try to win units of a SKU; held for the session's payment window");
        group.MapGet("/flash-sales/attempts/{attemptId}", GetAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("GetFlashSaleAttempt").WithSummary("One attempt and the state of its units");
        group.MapPost("/flash-sales/attempts/{attemptId}/commit", CommitAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("CommitFlashSaleAttempt").WithSummary("The order was paid outside checkout: the units are sold");
        group.MapPost("/flash-sales/attempts/{attemptId}/release", ReleaseAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("ReleaseFlashSaleAttempt").WithSummary("The buyer gave up: the units return to the stock");
    }

    /// <summary>Needs an Idempotency-Key: a retry after a lost answer finds the units won instead of trying again.</summary>
    public static async Task<IResult> AttemptAsync(
        string id, HttpRequest request, ClaimsPrincipal caller, FlashSaleCatalog catalog, FlashSaleAttempts attempts, CancellationToken ct)
    {
        var key = request.Headers[Idempotency.Header].ToString().Trim();
        if (key.Length is 0 or > Idempotency.MaxKeyLength)
        {
            return Problems.Validation(Idempotency.Header, $"is required: one value of 1 to {Idempotency.MaxKeyLength} characters naming this attempt.");
        }
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "customer_id", "sku", "quantity");
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var j = new JsonInput(document.RootElement, errors);
        var customerId = Fields.Required(j.Text("customer_id"), "customer_id", 200, errors);
        var sku = Fields.Required(j.Text("sku"), "sku", 200, errors);
        var quantity = j.WholeNumber("quantity") ?? 1;
        if (quantity < 1 && !errors.Has("quantity"))
        {
            errors.Add("quantity", "must be at least 1.");
        }
        var workspaceId = caller.WorkspaceId();
        if (await catalog.GetAsync(workspaceId, id, ct) is not { } cataloged)
        {
            return NotFoundSale(id);
        }
        var sale = cataloged.Sale;
        var item = sku is null ? null : cataloged.Item(sku);
        if (sku is not null && item is null)
        {
            errors.Add("sku", $"'{sku}' is not on sale in flash sale {id}.");
        }
        if (quantity > sale.PerCustomerLimit && !errors.Has("quantity"))
        {
            errors.Add("quantity", $"must be at most {sale.PerCustomerLimit}, the per-customer limit.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var result = await attempts.AttemptAsync(sale, key, customerId!, item!, quantity, ct);
        return result switch
        {
            { Refusal: AttemptRefusal.SoldOut } => Problems.Conflict($"Sold out: no unit of '{sku}' is left in flash sale {id}."),
            { Refusal: AttemptRefusal.CustomerLimit } => Problems.Conflict(
                $"The customer already holds or bought {sale.PerCustomerLimit} of '{sku}' in flash sale {id}, the most allowed."),
            { Refusal: AttemptRefusal.NotOpen } => Problems.Conflict(NotOpen(sale)),
            { Refusal: AttemptRefusal.OtherPurpose } => Problems.Conflict($"The Idempotency-Key '{key}' was used for something other than a flash-sale attempt."),
            { Existing: true } => TypedResults.Ok(FlashSaleViews.Attempt(result.Reservation!, cataloged.Currency)),
            _ => TypedResults.Created($"/api/v1/flash-sales/attempts/{result.Reservation!.Id}", FlashSaleViews.Attempt(result.Reservation!, cataloged.Currency)),
        };
    }

    public static async Task<IResult> GetAsync(string attemptId, ClaimsPrincipal caller, FlashSaleAttempts attempts, StateStore state, CancellationToken ct) =>
        await attempts.GetAsync(caller.WorkspaceId(), attemptId, ct) is { } r ? TypedResults.Ok(await ViewAsync(state, r, ct)) : NotFoundAttempt(attemptId);

    /// <summary>Optional body {order_id}. Committing twice answers the same; a released or expired attempt is refused.</summary>
    public static async Task<IResult> CommitAsync(string attemptId, HttpRequest request, ClaimsPrincipal caller, FlashSaleAttempts attempts, StateStore state, CancellationToken ct)
    {
        string? orderId = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var errors = new FieldErrors();
            using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "order_id");
            if (document is null)
            {
                return Problems.Validation(errors.ToDictionary());
            }
            orderId = Fields.Optional(new JsonInput(document.RootElement, errors).Text("order_id"), "order_id", 200, errors);
            if (errors.Any)
            {
                return Problems.Validation(errors.ToDictionary());
            }
        }
        var workspaceId = caller.WorkspaceId();
        if (await attempts.GetAsync(workspaceId, attemptId, ct) is null)
        {
            return NotFoundAttempt(attemptId);
        }
        var outcome = await attempts.CommitAsync(workspaceId, attemptId, orderId, ct);
        return outcome.Reservation switch
        {
            { State: ReservationState.Committed } r => TypedResults.Ok(await ViewAsync(state, r, ct)),
            { State: ReservationState.Released } => Problems.Conflict($"Attempt {attemptId} was released: its units went back to the stock. Try again."),
            var r => Problems.Conflict(
                $"Attempt {attemptId}'s payment window ended at {r!.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)} and its units went back to the stock. Try again."),
        };
    }

    /// <summary>Releasing twice (or after expiry) answers the same; a committed attempt is not released.</summary>
    public static async Task<IResult> ReleaseAsync(string attemptId, ClaimsPrincipal caller, FlashSaleAttempts attempts, StateStore state, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        if (await attempts.GetAsync(workspaceId, attemptId, ct) is null)
        {
            return NotFoundAttempt(attemptId);
        }
        var outcome = await attempts.ReleaseAsync(workspaceId, attemptId, ct);
        return outcome.Reservation switch
        {
            { State: ReservationState.Committed } => Problems.Conflict($"Attempt {attemptId} was paid: its units are sold and are not released."),
            var r => TypedResults.Ok(await ViewAsync(state, r!, ct)),
        };
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> ViewAsync(StateStore state, Reservation r, CancellationToken ct)
    {
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, r.WorkspaceId, ct);
        return FlashSaleViews.Attempt(r, settings.Currency);
    }

    private static string NotOpen(FlashSale sale) => sale.Status == FlashSaleStatus.Cancelled
        ? $"Flash sale {sale.Id} was cancelled."
        : $"Flash sale {sale.Id} is open from {sale.StartsAt.ToString("O", CultureInfo.InvariantCulture)} until {sale.EndsAt.ToString("O", CultureInfo.InvariantCulture)}, not now.";

    private static ProblemHttpResult NotFoundSale(string id) => Problems.NotFound($"There is no flash sale '{id}' in this workspace.");

    private static ProblemHttpResult NotFoundAttempt(string id) => Problems.NotFound($"There is no flash-sale attempt '{id}' in this workspace.");
}
