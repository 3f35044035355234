using Flywheel.Platform.Events;

namespace Flywheel.Tests.Modules.Analytics;

/// <summary>Funnel view → cart → pay with a 7-day window; every figure below is counted by hand from the events.</summary>
public sealed class FunnelEngineTests
{
    private static readonly string[] Steps = ["view", "cart", "pay"];
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    private static DateTimeOffset D(int day, int hour = 0) => new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day - 1).AddHours(hour);

    private static FunnelEvent E(string visitor, string type, DateTimeOffset at) => new(visitor, at, type);

    private static readonly FunnelEvent[] Events =
    [
        // v1 goes through in three hours.
        E("v1", "view", D(1)), E("v1", "cart", D(1, 1)), E("v1", "pay", D(1, 3)),
        // v2 stops at the cart.
        E("v2", "view", D(2)), E("v2", "cart", D(3)),
        // v3 pays without a cart step.
        E("v3", "view", D(5)), E("v3", "pay", D(6)),
        // v4's cart before viewing does not count; entry at the view on day 2, cart on day 4.
        E("v4", "cart", D(1)), E("v4", "view", D(2)), E("v4", "cart", D(4)),
        // v5 viewed before the range (not an entry), enters on day 3, and reaches the cart after the window.
        E("v5", "view", D(0)), E("v5", "view", D(3)), E("v5", "cart", D(12)),
        // v8 pays once before the cart and again after: a step of the funnel in between for the strict mode.
        E("v8", "view", D(2, 10)), E("v8", "pay", D(2, 11)), E("v8", "cart", D(2, 12)), E("v8", "pay", D(2, 13)),
    ];

    private static IReadOnlyList<FunnelStepResult> Run(FunnelOrder order, DateTimeOffset now, FunnelEvent[]? events = null) =>
        FunnelEngine.Run(Steps, events ?? Events, D(1), D(11), Week, order, now);

    [Fact]
    public void Ordered_CountsEntriesInTheRange_AndStepsWithinTheWindow()
    {
        var r = Run(FunnelOrder.Ordered, D(20));
        // Entered: v1, v2, v3, v4, v5, v8. Cart: v1, v2, v4, v8 (v3 has none, v5's is past day 3 + 7). Pay: v1, v8.
        Assert.Equal([6, 4, 2], r.Select(s => s.Reached));
        Assert.Equal([0, 2, 2], r.Select(s => s.Dropped));
        Assert.Equal([0, 0, 0], r.Select(s => s.Waiting));
        Assert.Equal(4.0 / 6, r[1].Conversion!.Value, 9);
        Assert.Equal(0.5, r[2].Conversion!.Value, 9);
        Assert.Equal(2.0 / 6, r[2].ConversionFromFirst!.Value, 9);
        Assert.Null(r[0].Conversion);
        // View → cart: v1 1 h, v8 2 h, v2 1 day, v4 2 days → median (2 h + 24 h) / 2 = 13 h. Cart → pay: v1 2 h, v8 1 h → 1.5 h.
        Assert.Equal(TimeSpan.FromHours(13), r[1].MedianFromPrevious);
        Assert.Equal(TimeSpan.FromHours(1.5), r[2].MedianFromPrevious);
    }

    [Fact]
    public void Strict_EndsARun_AtAnotherStepInBetween()
    {
        var r = Run(FunnelOrder.Strict, D(20));
        // v8's view is followed by a payment, another step of the funnel: it stops at the view.
        Assert.Equal([6, 3, 1], r.Select(s => s.Reached));
        Assert.Equal([0, 3, 2], r.Select(s => s.Dropped));
    }

    [Fact]
    public void AnyOrder_CountsStepsInTheWindowWhateverTheirOrder()
    {
        var r = Run(FunnelOrder.AnyOrder, D(20));
        // As ordered, but v8's cart and payment count whatever their order: the step's time is the latest so far, so
        // v8 reaches cart and pay both at 12:00 (gap 0) and v1 pays 2 h after the cart → median 1 h.
        Assert.Equal([6, 4, 2], r.Select(s => s.Reached));
        Assert.Equal(TimeSpan.FromHours(1), r[2].MedianFromPrevious);
    }

    [Fact]
    public void VisitorsWhoseWindowIsOpen_AreInProgress_NotDropped()
    {
        // On day 10 v7 (entered day 9) has until day 16: waiting for the payment, not lost. v2's window closed on day 9.
        var events = new[] { E("v7", "view", D(9)), E("v7", "cart", D(9, 1)), E("v2", "view", D(2)), E("v2", "cart", D(3)) };
        var r = Run(FunnelOrder.Ordered, D(10), events);
        Assert.Equal([2, 2, 0], r.Select(s => s.Reached));
        Assert.Equal(1, r[2].Waiting);
        Assert.Equal(1, r[2].Dropped);
        Assert.Equal(0.0, r[2].Conversion!.Value);
        Assert.Throws<ArgumentException>(() => FunnelEngine.Run(["view"], events, D(1), D(11), Week, FunnelOrder.Ordered, D(10)));
    }
}
