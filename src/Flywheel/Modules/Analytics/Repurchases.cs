using Flywheel.Modules.Analytics.Overview;

namespace Flywheel.Modules.Analytics;

/// <summary>
/// The repurchase rate's bookkeeping (docs/metrics.md, "Repurchase rate"): every customer's paid orders over the span a
/// repurchase may fall in, and the cohort of a period — each customer's first paid order in it — counted against them.
/// </summary>
public sealed class Repurchases
{
    private readonly Dictionary<string, List<(DateTime PaidAt, bool FullyRefunded)>> byCustomer = new(StringComparer.Ordinal);

    /// <summary>Records a paid order of a customer (any order of the span, in or after the period).</summary>
    public void Add(string customerId, DateTime paidAtUtc, bool fullyRefunded)
    {
        if (!byCustomer.TryGetValue(customerId, out var list))
        {
            byCustomer[customerId] = list = [];
        }
        list.Add((paidAtUtc, fullyRefunded));
    }

    /// <summary>
    /// The cohort of <paramref name="firstPaidInPeriod"/> (customer → time t of their first paid order in the period):
    /// those whose t + window is after <paramref name="now"/> are censored; the others repurchased when they paid an
    /// order not fully refunded in (t, t + window].
    /// </summary>
    public RepurchaseCohort Cohort(IReadOnlyDictionary<string, DateTime> firstPaidInPeriod, TimeSpan window, DateTimeOffset now)
    {
        long censored = 0, repurchased = 0;
        foreach (var (customer, t) in firstPaidInPeriod)
        {
            if (t + window > now.UtcDateTime)
            {
                censored++;
            }
            else if (byCustomer.TryGetValue(customer, out var orders) && orders.Any(o => o.PaidAt > t && o.PaidAt <= t + window && !o.FullyRefunded))
            {
                repurchased++;
            }
        }
        return new RepurchaseCohort(firstPaidInPeriod.Count, censored, repurchased);
    }
}
