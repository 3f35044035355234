using System.Security.Claims;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Traits;

/// <summary>GET /api/v1/customers/{external_id}/traits: computed purchase traits and the lifecycle stage, as of now.</summary>
public static class GetCustomerTraits
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/customers/{externalId}/traits", HandleAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("GetCustomerTraits").WithSummary("A customer's computed traits and lifecycle stage");

    public static async Task<Results<Ok<CustomerTraitsView>, ProblemHttpResult>> HandleAsync(
        string externalId, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var traits = await LoadAsync(db, workspaceId, externalId, clock.GetUtcNow(), ct);
        if (traits is null)
        {
            return Problems.NotFound($"There is no customer with external id '{externalId}'.");
        }
        var score = await db.RfmScores.AsNoTracking()
            .FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.CustomerExternalId == externalId, ct);
        var transitions = await db.RfmTransitions.AsNoTracking()
            .Where(t => t.WorkspaceId == workspaceId && t.CustomerExternalId == externalId)
            .OrderByDescending(t => t.At).ThenByDescending(t => t.Id).Take(MaxTransitions)
            .Select(t => new CustomerTraitsView.RfmTransitionView(t.FromGroup, t.ToGroup, t.At)).ToListAsync(ct);
        var rfm = score is null ? null : new CustomerTraitsView.RfmView(score.R, score.F, score.M, score.Group, score.GroupSince, score.ScoredAt, transitions);
        return TypedResults.Ok(CustomerTraitsView.From(externalId, traits, rfm));
    }

    /// <summary>RFM group changes shown, newest first.</summary>
    private const int MaxTransitions = 20;

    /// <summary>The customer's traits as of <paramref name="now"/>; null when there is no such customer.</summary>
    public static async Task<CustomerTraits?> LoadAsync(FlywheelDb db, string workspaceId, string externalId, DateTimeOffset now, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.ExternalId == externalId)
            .Select(c => new { c.RegistrationChannel, c.LastSeenAt })
            .FirstOrDefaultAsync(ct);
        if (customer is null)
        {
            return null;
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var orders = await OrderQueries.PaidByCustomerAsync(db, workspaceId, externalId, ct);
        return CustomerTraits.Compute(orders, settings.Currency, customer.RegistrationChannel, customer.LastSeenAt, now, LifecycleOptions.Default);
    }
}

/// <summary>The API's form of <see cref="CustomerTraits"/>: money in major units of <see cref="Currency"/>.</summary>
public sealed record CustomerTraitsView(
    string CustomerId, string Currency, int PaidOrders, decimal TotalSpend, decimal Refunded, decimal NetSpend, decimal? AverageOrderValue,
    int RefundCount, DateTimeOffset? FirstOrderAt, DateTimeOffset? LastOrderAt, int? DaysSinceLastOrder, double? AverageDaysBetweenOrders,
    double? CouponUseRate, IReadOnlyList<string> FavouriteCategories, int CategoriesBought, string? AcquisitionChannel, DateTimeOffset? LastSeenAt,
    int OtherCurrencyOrders, CustomerTraitsView.LifecycleView Lifecycle, CustomerTraitsView.RfmView? Rfm)
{
    public sealed record LifecycleView(string Stage, DateTimeOffset? Since, DateTimeOffset? ChangesAt);

    /// <summary>The scores of the workspace's last RFM scoring (null when the customer was not scored: no paid order then).</summary>
    public sealed record RfmView(int R, int F, int M, string Group, DateTimeOffset GroupSince, DateTimeOffset ScoredAt, IReadOnlyList<RfmTransitionView> Transitions);

    public sealed record RfmTransitionView(string? From, string To, DateTimeOffset At);

    public static CustomerTraitsView From(string customerId, CustomerTraits t, RfmView? rfm) => new(
        customerId, t.Currency, t.PaidOrders, t.Major(t.TotalSpendMinor), t.Major(t.RefundedMinor), t.Major(t.NetSpendMinor),
        t.AverageOrderValueMinor is { } aov ? t.Major(aov) : null, t.RefundCount, t.FirstOrderAt, t.LastOrderAt, t.DaysSinceLastOrder,
        t.AverageDaysBetweenOrders, t.CouponUseRate, t.FavouriteCategories, t.CategoriesBought, t.AcquisitionChannel, t.LastSeenAt, t.OtherCurrencyOrders,
        new LifecycleView(Traits.Lifecycle.Name(t.Lifecycle.Stage), t.Lifecycle.Since, t.Lifecycle.ChangesAt), rfm);
}
