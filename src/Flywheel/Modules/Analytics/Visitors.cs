using Flywheel.Modules.Customers.Contracts;
using Flywheel.Platform.Events;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Analytics;

/// <summary>Who the visitor of an event is, for analyses counted per visitor.</summary>
public static class Visitors
{
    /// <summary>
    /// A function naming each of <paramref name="events"/>' visitor: its customer; else the customer its anonymous id was
    /// linked to (by identify or a sign-in); else the anonymous id itself, marked so that it cannot equal a customer id.
    /// </summary>
    public static async Task<Func<LeanEvent, string>> ResolveAsync(FlywheelDb db, string workspaceId, IReadOnlyList<LeanEvent> events, CancellationToken ct)
    {
        var links = await IdentityLinkQueries.CustomersOfAsync(
            db, workspaceId, [.. events.Where(e => e.CustomerId is null && e.AnonymousId is not null).Select(e => e.AnonymousId!)], ct);
        return e => e.CustomerId ?? (links.TryGetValue(e.AnonymousId!, out var customer) ? customer : "anonymous:" + e.AnonymousId);
    }
}
