using Flywheel.Modules.Analytics.Overview;
using Flywheel.Platform.Events;

namespace Flywheel.Modules.Analytics.Dashboard;

/// <summary>
/// What the stores answered for one bucket of a period, or for the whole period, before it becomes metrics. A part a cut
/// cannot apply to stays null (traffic under a category cut, sales under a source cut), and so do the figures that are
/// only counted over a whole period (monthly actives, repurchase, dormant wake-up).
/// </summary>
public sealed class Tally
{
    private readonly Dictionary<string, int> paidOrdersByCustomer = new(StringComparer.Ordinal);

    public TrafficFigures? Traffic { get; set; }

    /// <summary>Visitors active on a day, averaged over the days.</summary>
    public decimal? DailyActive { get; set; }

    /// <summary>Visitors active in the 30 days ending on the period's last day.</summary>
    public long? MonthlyActive { get; set; }

    /// <summary>Whether the sales figures below apply (false under a source cut).</summary>
    public bool HasSales { get; set; }

    public long GmvMinor { get; private set; }

    /// <summary>Refunds so far of the orders paid in the bucket; null under a category cut (a refund has no category).</summary>
    public long? RefundedMinor { get; set; }

    public long PaidOrders { get; private set; }

    /// <summary>Orders placed in the bucket, and how many of them were paid; null under a category cut.</summary>
    public (long Placed, long Paid)? Placed { get; set; }

    public long? NewCustomers { get; set; }

    /// <summary>Each paying customer's first payment in the bucket.</summary>
    public Dictionary<string, DateTime> FirstPaid { get; } = new(StringComparer.Ordinal);

    public long RepeatCustomers => paidOrdersByCustomer.Count(c => c.Value >= 2);

    public IReadOnlyDictionary<int, RepurchaseCohort>? Repurchase { get; set; }

    /// <summary>Spend data and what the channels with spend brought in; null without spend rows or under a cut spend has not.</summary>
    public MarketingFigures? Marketing { get; set; }

    /// <summary>Customers dormant when the period began, and how many of them paid during it.</summary>
    public (long Dormant, long Woken)? WakeUp { get; set; }

    public void AddPaid(string? customerId, DateTime paidAtUtc, long amountMinor, long refundedMinor)
    {
        GmvMinor += amountMinor;
        PaidOrders++;
        if (RefundedMinor is not null)
        {
            RefundedMinor += refundedMinor;
        }
        if (customerId is null)
        {
            return;
        }
        paidOrdersByCustomer[customerId] = paidOrdersByCustomer.GetValueOrDefault(customerId) + 1;
        if (!FirstPaid.TryGetValue(customerId, out var first) || paidAtUtc < first)
        {
            FirstPaid[customerId] = paidAtUtc;
        }
    }
}
