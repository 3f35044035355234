using Flywheel.Modules.Orders.Orders;
using Flywheel.Ui.Pages.Customers;

namespace Flywheel.Tests.Ui;

public sealed class OrderTraitsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_CountsPaidOrdersBeforeRefundsAndShowsRefundsApart()
    {
        var orders = new[]
        {
            Order("o1", total: 100.00m, refunded: 0m, paidAt: Now.AddDays(-40), ("beauty", 100.00m)),
            Order("o2", total: 250.50m, refunded: 50.50m, paidAt: Now.AddDays(-10), ("baby", 150.50m), ("beauty", 100.00m)),
            // Placed, never paid: counts for nothing.
            Order("o3", total: 999.00m, refunded: 0m, paidAt: null, ("home", 999.00m)),
        };

        var traits = OrderTraits.From(orders, Now);

        Assert.Equal(2, traits.PaidOrders);
        Assert.Equal(350.50m, traits.Gmv);              // 100.00 + 250.50
        Assert.Equal(50.50m, traits.Refunded);
        Assert.Equal(300.00m, traits.NetSpend);         // 350.50 − 50.50
        Assert.Equal(175.25m, traits.AverageOrderValue); // 350.50 / 2
        Assert.Equal(Now.AddDays(-40), traits.FirstPaidAt);
        Assert.Equal(Now.AddDays(-10), traits.LastPaidAt);
        Assert.Equal(10, traits.DaysSinceLastOrder);
        Assert.Equal("beauty", traits.TopCategory);     // beauty 200.00 > baby 150.50; home was never paid
    }

    [Fact]
    public void From_NoPaidOrders_HasNoAverageAndNoDates()
    {
        var traits = OrderTraits.From([Order("o1", 10m, 0m, null, ("food", 10m))], Now);

        Assert.Equal(0, traits.PaidOrders);
        Assert.Equal(0m, traits.Gmv);
        Assert.Null(traits.AverageOrderValue);
        Assert.Null(traits.LastPaidAt);
        Assert.Null(traits.DaysSinceLastOrder);
        Assert.Null(traits.TopCategory);
    }

    private static OrderView Order(string id, decimal total, decimal refunded, DateTimeOffset? paidAt, params (string Category, decimal Amount)[] lines) =>
        new(id, "c1", paidAt is null ? "placed" : "paid", "CNY", total, 0m, 0m, total, refunded, null, null, null, null,
            Now.AddDays(-50), paidAt, null, "api",
            lines.Select((l, i) => new OrderView.LineView($"sku{i}", null, l.Category, null, 1, l.Amount, 0m, l.Amount)).ToList(),
            [], Now, Now);
}
