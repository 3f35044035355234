namespace Flywheel.Modules.Demo.Generation;

/// <summary>What was generated, counted while writing it. Money in fen.</summary>
public sealed class DemoSummary
{
    public DemoOptions Options { get; init; } = null!;
    public long Products { get; set; }
    public long Customers { get; set; }
    public long AnonymousVisitors { get; set; }
    public long Events { get; set; }
    public SortedDictionary<string, long> EventsByType { get; } = new(StringComparer.Ordinal);
    public long Orders { get; set; }
    public long PaidOrders { get; set; }
    public long CancelledOrders { get; set; }
    public long Refunds { get; set; }
    public long GmvMinor { get; set; }
    public long RefundedMinor { get; set; }
    public SortedDictionary<string, long> CustomersByChannel { get; } = new(StringComparer.Ordinal);
    /// <summary>Acquisition spend by channel in whole yuan: customers × the channel's cost per customer.</summary>
    public SortedDictionary<string, decimal> SpendByChannel { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> CustomersByPersona { get; } = new(StringComparer.Ordinal);
    public long LastSeq { get; set; }
    /// <summary>The workspace's public key, which the demo storefront's tracking script sends events with (public keys are write-only).</summary>
    public string? PublicKey { get; set; }
    public double Seconds { get; set; }

    public void Count(DemoCustomer c)
    {
        Customers++;
        AnonymousVisitors += c.Visitors;
        Events += c.Events.Count;
        foreach (var e in c.Events)
        {
            EventsByType[e.Type] = EventsByType.GetValueOrDefault(e.Type) + 1;
        }
        foreach (var o in c.Orders)
        {
            Orders++;
            if (o.PaidAt is not null)
            {
                PaidOrders++;
                GmvMinor += o.TotalMinor;
            }
            if (o.CancelledAt is not null)
            {
                CancelledOrders++;
            }
            Refunds += o.Refunds.Count;
            RefundedMinor += o.Refunds.Sum(r => r.AmountMinor);
        }
        CustomersByChannel[c.Channel.Key] = CustomersByChannel.GetValueOrDefault(c.Channel.Key) + 1;
        SpendByChannel[c.Channel.Key] = SpendByChannel.GetValueOrDefault(c.Channel.Key) + c.Channel.CostPerCustomer;
        CustomersByPersona[c.Persona.Key] = CustomersByPersona.GetValueOrDefault(c.Persona.Key) + 1;
    }
}
