using Flywheel.Platform.State;

namespace Flywheel.Modules.Customers.Contracts;

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
}
