using System.Data.Common;
using Flywheel.Modules.Customers.Model;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Customers.Rfm;
using Flywheel.Modules.Customers.Traits;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform.Events;
using Flywheel.Platform.State;
using Flywheel.Platform;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Contracts;

/// <summary>What a shop knows about a customer besides their events: registration and consents.</summary>
public sealed record CustomerHistory(
    string ExternalId, DateTimeOffset? RegisteredAt, string? RegistrationChannel, bool ConsentEmail, bool ConsentSms, bool ConsentPush);

/// <summary>The names customers are classified by, as the API, the console and the segment language spell them.</summary>
public static class CustomerClassifications
{
    /// <summary>Lifecycle stages, from prospect to won back.</summary>
    public static IReadOnlyList<string> LifecycleStages { get; } = [.. Enum.GetValues<LifecycleStage>().Select(Lifecycle.Name)];

    /// <summary>Named RFM groups, best first.</summary>
    public static IReadOnlyList<string> RfmGroups => RfmScoring.Groups;

    /// <summary>
    /// The lifecycle stage a customer was in at <paramref name="at"/>, from the payment times of their paid orders
    /// (oldest first): only payments before that moment count, so an order's own payment does not change the stage its
    /// buyer had when placing it.
    /// </summary>
    public static string LifecycleStageAt(IReadOnlyList<DateTimeOffset> paidAscending, DateTimeOffset at) =>
        Lifecycle.Name(Lifecycle.Of([.. paidAscending.TakeWhile(t => t < at)], at, LifecycleOptions.Default).Stage);
}

/// <summary>Who anonymous visitors turned out to be.</summary>
public static class IdentityLinkQueries
{
    /// <summary>The customer each of <paramref name="anonymousIds"/> is linked to, for those that are linked.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> CustomersOfAsync(
        FlywheelDb db, string workspaceId, IReadOnlyCollection<string> anonymousIds, CancellationToken ct)
    {
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in anonymousIds.Distinct(StringComparer.Ordinal).Chunk(1000))
        {
            var found = await db.IdentityLinks.AsNoTracking()
                .Where(l => l.WorkspaceId == workspaceId && chunk.Contains(l.AnonymousId))
                .Select(l => new { l.AnonymousId, l.CustomerExternalId })
                .ToListAsync(ct);
            foreach (var l in found)
            {
                links[l.AnonymousId] = l.CustomerExternalId;
            }
        }
        return links;
    }
}

/// <summary>Names of the customers module's projections, for loaders that write their result directly.</summary>
public static class CustomerProjections
{
    /// <summary>The checkpoint of the projection that keeps profiles and identity links current from events.</summary>
    public const string Profiles = "customers.profiles";
}

/// <summary>
/// Writes customers together with their event history into an empty workspace, as the profile projection would leave
/// them after applying those events: first/last seen are the earliest and latest event naming the customer, identify
/// traits are applied in sequence order by the projection's own rule, and every anonymous id seen with the customer is
/// linked to them. A loader that writes these rows and the events may then set the projection's checkpoint past the
/// events: applying them again would change nothing. Assumes each anonymous id belongs to one customer.
/// Rows go into the caller's transaction.
/// </summary>
public sealed class CustomerHistoryWriter : IDisposable
{
    private readonly BulkInsert customers;
    private readonly BulkInsert links;
    private readonly string workspaceId;
    private readonly long nowTicks;
    private readonly HashSet<string> anonymousIds = new(StringComparer.Ordinal);

    public CustomerHistoryWriter(DbConnection connection, DbTransaction transaction, string workspaceId, DateTimeOffset now)
    {
        this.workspaceId = workspaceId;
        nowTicks = now.UtcTicks;
        customers = new BulkInsert(connection, transaction, "cdp_customers",
            "Id", "WorkspaceId", "ExternalId", "Name", "Phone", "Email", "Gender", "Birthday", "Region", "City", "RegisteredAt",
            "RegistrationChannel", "ConsentEmail", "ConsentSms", "ConsentPush", "Attributes", "FirstSeenAt", "LastSeenAt",
            "CreatedAt", "UpdatedAt");
        links = new BulkInsert(connection, transaction, "cdp_identity_links", "WorkspaceId", "AnonymousId", "CustomerExternalId", "LinkedAt");
    }

    /// <remarks><para><c>events</c>: The events of the workspace that name this customer, in sequence order (others are skipped).</para></remarks>
    public void Add(CustomerHistory history, IReadOnlyList<EventRecord> events)
    {
        var created = history.RegisteredAt?.UtcTicks ?? nowTicks;
        var c = new Customer
        {
            Id = Ids.New("cus"),
            WorkspaceId = workspaceId,
            ExternalId = history.ExternalId,
            RegisteredAt = history.RegisteredAt,
            RegistrationChannel = history.RegistrationChannel,
        };
        DateTime? first = null, last = null;
        anonymousIds.Clear();
        foreach (var e in events)
        {
            if (e.CustomerId != history.ExternalId)
            {
                continue;
            }
            first = first is null || e.Timestamp < first ? e.Timestamp : first;
            last = last is null || e.Timestamp > last ? e.Timestamp : last;
            if (e.AnonymousId is not null && anonymousIds.Add(e.AnonymousId))
            {
                links.Add(workspaceId, e.AnonymousId, history.ExternalId, nowTicks);
            }
            if (e.Type == EventTypes.Identify)
            {
                ProfileProjection.ApplyTraits(c, e.Properties);
            }
        }
        customers.Add(c.Id, workspaceId, c.ExternalId, c.Name, c.Phone, c.Email, c.Gender,
            c.Birthday, c.Region, c.City, c.RegisteredAt?.UtcTicks,
            c.RegistrationChannel, history.ConsentEmail, history.ConsentSms, history.ConsentPush, c.Attributes, first?.Ticks, last?.Ticks,
            created, nowTicks);
    }

    public void Dispose()
    {
        customers.Dispose();
        links.Dispose();
    }
}

/// <summary>When a customer became known to the shop.</summary>
public sealed record CustomerAcquisition
{
    public required string CustomerId { get; init; }
    /// <summary>The earlier of registration and first event (see <see cref="CustomerQueries.AcquiredBetween"/>).</summary>
    public DateTimeOffset AcquiredAt { get; init; }
}

/// <summary>Queries over customers that other modules may compose further (LINQ, so that they run on every state store).</summary>
public static class CustomerQueries
{
    /// <summary>
    /// Customers of a workspace acquired in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>). A customer is acquired
    /// at the earlier of their registration time (registered_at, from the profile API or an import) and their first
    /// event (first_seen_at: the earliest event naming them, orders included) — so a customer registered last year
    /// whose first tracked event is today is not new today. Customers with neither time are never counted.
    /// </summary>
    public static IQueryable<CustomerAcquisition> AcquiredBetween(FlywheelDb db, string workspaceId, DateTimeOffset fromUtc, DateTimeOffset toUtc) =>
        db.Customers
            .Where(c => c.WorkspaceId == workspaceId && (c.RegisteredAt != null || c.FirstSeenAt != null))
            .Select(c => new CustomerAcquisition
            {
                CustomerId = c.ExternalId,
                AcquiredAt = c.RegisteredAt != null && (c.FirstSeenAt == null || c.RegisteredAt < c.FirstSeenAt)
                    ? c.RegisteredAt.Value
                    : c.FirstSeenAt!.Value,
            })
            .Where(c => c.AcquiredAt >= fromUtc && c.AcquiredAt < toUtc);

    /// <summary>The ids of the workspace's customers whose city is <paramref name="city"/> (exactly, as stored).</summary>
    public static IQueryable<string> InCity(FlywheelDb db, string workspaceId, string city) =>
        db.Customers.Where(c => c.WorkspaceId == workspaceId && c.City == city).Select(c => c.ExternalId);
}

/// <summary>
/// A buying customer's purchase traits as numbers, for analyses over many customers at once (clustering). Each field is
/// the trait of the same name in the traits API (<c>GET /api/v1/customers/{id}/traits</c>, docs/metrics.md), computed
/// by the same code; money in minor units of the workspace currency.
/// </summary>
public sealed record BuyerTraits(
    string CustomerId, int PaidOrders, long TotalSpendMinor, long RefundedMinor, long AverageOrderValueMinor, int DaysSinceLastOrder,
    double? AverageDaysBetweenOrders, double CouponUseRate, int CategoriesBought);

public static class CustomerTraitQueries
{
    /// <summary>
    /// The traits, as of <paramref name="now"/>, of every customer with at least one paid order in the workspace currency
    /// (the customers RFM scores), ordered by customer id (ordinal), with that currency.
    /// </summary>
    public static async Task<(string Currency, IReadOnlyList<BuyerTraits> Buyers)> BuyersAsync(
        FlywheelDb db, string workspaceId, DateTimeOffset now, CancellationToken ct)
    {
        var currency = (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Currency;
        var orders = await OrderQueries.PaidByCustomersAsync(db, workspaceId, ct);
        var buyers = new List<BuyerTraits>(orders.Count);
        foreach (var (customerId, paid) in orders.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            // Channel and last-seen time do not enter any figure taken here.
            var t = CustomerTraits.Compute(paid, currency, null, null, now, LifecycleOptions.Default);
            if (t.PaidOrders > 0)
            {
                buyers.Add(new BuyerTraits(customerId, t.PaidOrders, t.TotalSpendMinor, t.RefundedMinor, t.AverageOrderValueMinor!.Value,
                    t.DaysSinceLastOrder!.Value, t.AverageDaysBetweenOrders, t.CouponUseRate!.Value, t.CategoriesBought));
            }
        }
        return (currency, buyers);
    }
}


/// <summary>
/// The stored traits table (cdp_customer_traits): one row per customer with orders, equal to the traits the customer page
/// shows. Whoever learns that a customer's orders changed refreshes their row; the lifecycle thresholds are those the
/// stage is computed with, so that a reader of the table can derive the stage at any moment.
/// </summary>
public static class StoredTraitTable
{
    public static int LifecycleActiveDays => LifecycleOptions.Default.ActiveDays;

    public static int LifecycleLostDays => LifecycleOptions.Default.LostDays;

    public static Task RefreshAsync(FlywheelDb db, string workspaceId, IReadOnlyCollection<string> customerIds, DateTimeOffset now, CancellationToken ct) =>
        StoredTraits.RefreshAsync(db, workspaceId, customerIds, now, ct);

    public static Task<int> RebuildAsync(FlywheelDb db, string workspaceId, DateTimeOffset now, CancellationToken ct) =>
        StoredTraits.RebuildAsync(db, workspaceId, now, ct);
}
