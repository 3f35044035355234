using System.Globalization;
using System.Security.Claims;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Presales;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.Extensions.Options;

namespace Flywheel.Modules.Promotions.Checkout;

/// <summary>
/// /api/v1/checkout: quote a cart (pure), reserve what its price needs, commit when the order is paid, release when
/// it is cancelled. Flow and guarantees: docs/promotions.md, "Checkout".
/// </summary>
public static class CheckoutApi
{
    public const int MinTtlSeconds = 30;
    public const int MaxTtlSeconds = 86_400;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/checkout/quote", QuoteAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("QuoteCart").WithSummary("Price a cart with the live promotions and the customer's coupons; changes nothing");
        group.MapPost("/checkout/reserve", ReserveAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("ReserveCheckout").WithSummary("Price a cart again and hold its coupons, usage and budget until commit or release");
        group.MapGet("/checkout/{id}", GetAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("GetReservation").WithSummary("A reservation, its holds and its quote");
        group.MapPost("/checkout/{id}/commit", CommitAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("CommitCheckout").WithSummary("The order is paid: the holds are spent");
        group.MapPost("/checkout/{id}/release", ReleaseAsync).RequireAuthorization(Scopes.CheckoutWrite)
            .WithName("ReleaseCheckout").WithSummary("The order is cancelled: everything held returns");
    }

    public static async Task<IResult> QuoteAsync(HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, CheckoutService checkout, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, CartRequest.Fields);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        if (CartRequest.Read(document.RootElement, settings.Currency, clock.GetUtcNow(), errors) is not { } cart)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var balance = await PresaleBalances.ApplyAsync(db, workspaceId, cart, ct);
        if (balance.Problem is { } problem)
        {
            return problem;
        }
        return new QuoteResponse(await checkout.QuoteAsync(workspaceId, balance.Request!, ct));
    }

    /// <summary>Needs an Idempotency-Key: a retry after a lost answer finds the reservation instead of holding twice.</summary>
    public static async Task<IResult> ReserveAsync(
        HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, CheckoutService checkout, TimeProvider clock, IOptions<PromotionsOptions> options, CancellationToken ct)
    {
        var key = request.Headers[Idempotency.Header].ToString().Trim();
        if (key.Length is 0 or > Idempotency.MaxKeyLength)
        {
            return Problems.Validation(Idempotency.Header, $"is required: one value of 1 to {Idempotency.MaxKeyLength} characters naming this checkout attempt.");
        }
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, [.. CartRequest.Fields, "ttl_seconds"]);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var ttlSeconds = new JsonInput(document.RootElement, errors).WholeNumber("ttl_seconds");
        if (ttlSeconds is < MinTtlSeconds or > MaxTtlSeconds)
        {
            errors.Add("ttl_seconds", $"must be from {MinTtlSeconds} to {MaxTtlSeconds} seconds.");
        }
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var cart = CartRequest.Read(document.RootElement, settings.Currency, clock.GetUtcNow(), errors);
        if (cart is null || errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var balance = await PresaleBalances.ApplyAsync(db, workspaceId, cart, ct);
        if (balance.Problem is { } problem)
        {
            return problem;
        }
        var ttl = ttlSeconds is { } s ? TimeSpan.FromSeconds(s) : options.Value.ReservationTtl;
        var result = await checkout.ReserveAsync(workspaceId, key, balance.Request!, ttl, ct);
        if (result.KeyReused)
        {
            return KeyReused(key, result.Reservation!.Id);
        }
        if (result.Refusal is { } refusal)
        {
            return Problems.Conflict(refusal);
        }
        var view = await checkout.ViewAsync(result.Reservation!, ct);
        return result.Existing ? TypedResults.Ok(view) : TypedResults.Created($"/api/v1/checkout/{result.Reservation!.Id}", view);
    }

    public static async Task<IResult> GetAsync(string id, ClaimsPrincipal caller, CheckoutService checkout, CancellationToken ct) =>
        await checkout.ViewAsync(caller.WorkspaceId(), id, ct) is { } view ? TypedResults.Ok(view) : NotFound(id);

    /// <summary>Optional body {order_id}. Committing twice answers the same; a released or expired reservation is refused.</summary>
    public static async Task<IResult> CommitAsync(string id, HttpRequest request, ClaimsPrincipal caller, CheckoutService checkout, CancellationToken ct)
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
        if (await checkout.SettledElsewhereAsync(workspaceId, id, ct) is { } why)
        {
            return Problems.Conflict(why);
        }
        var outcome = await checkout.CommitAsync(workspaceId, id, orderId, ct);
        return outcome.Reservation switch
        {
            null => NotFound(id),
            { State: ReservationState.Committed } r => TypedResults.Ok(await checkout.ViewAsync(r, ct)),
            { State: ReservationState.Released } => Problems.Conflict($"Reservation {id} was released: nothing is held any more, so it cannot be committed. Reserve again."),
            { State: ReservationState.Held } => Problems.Conflict(
                $"Reservation {id} was priced with flash-sale units that are no longer held (released, or their payment window passed), so nothing was committed. Release it and quote again."),
            var r => Problems.Conflict(
                $"Reservation {id} expired at {r.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)} and its holds were returned, so it cannot be committed. Reserve again."),
        };
    }

    /// <summary>Releasing twice (or after expiry) answers the same; a committed reservation is not released.</summary>
    public static async Task<IResult> ReleaseAsync(string id, ClaimsPrincipal caller, CheckoutService checkout, CancellationToken ct)
    {
        if (await checkout.SettledElsewhereAsync(caller.WorkspaceId(), id, ct) is { } why)
        {
            return Problems.Conflict(why);
        }
        var outcome = await checkout.ReleaseAsync(caller.WorkspaceId(), id, ct);
        return outcome.Reservation switch
        {
            null => NotFound(id),
            { State: ReservationState.Committed } => Problems.Conflict($"Reservation {id} was committed (the order was paid): what it held is spent and is not released."),
            var r => TypedResults.Ok(await checkout.ViewAsync(r, ct)),
        };
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string id) => Problems.NotFound($"There is no reservation '{id}' in this workspace.");

    /// <summary>422: the key already reserved a different cart; answering with that reservation would mislead the caller.</summary>
    public static IResult KeyReused(string key, string reservationId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused.",
            detail: $"The Idempotency-Key '{key}' already reserved a different cart (reservation {reservationId}); nothing was reserved. "
                + "Use a new key for a new checkout attempt.");
}
