using Bunit;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Ui.Pages.Customers;

namespace Flywheel.Tests.Ui;

public sealed class RfmPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ScoreNow_FillsTheGridAndTheGroups()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var now = console.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // Two buyers: b1 paid twice (the later two days ago), b2 once, 40 days ago.
        foreach (var (id, customer, daysAgo) in new[] { ("o1", "b1", 10), ("o2", "b1", 2), ("o3", "b2", 40) })
        {
            (await console.App.PostJsonAsync("/api/v1/orders", new
            {
                order_id = id, customer_id = customer, status = "paid",
                lines = new[] { new { sku = "S", quantity = 1, price = 10.00m } }, total = 10.00m,
                placed_at = now.AddDays(-daysAgo).AddMinutes(-1).ToString("O"), paid_at = now.AddDays(-daysAgo).ToString("O"),
            })).EnsureSuccessStatusCode();
        }
        using (var timeout = new CancellationTokenSource(Wait))
        {
            await console.App.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
        }
        await console.SignInAsOwnerAsync();

        var page = console.Render<RfmPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=rfm-score]"), Wait);
        await ConsoleTest.ClickAsync(page, "[data-testid=rfm-score]");

        // n = 2. b1: latest order, more orders → 1 below on R and F → 1 + ⌊5·1/2⌋ = 3; b2: 0 below → 1.
        // Money: b1 20.00 above b2 10.00 → b1 M 3, b2 M 1. Groups: b1 (3, 3) need_attention, b2 (1, 1) lost.
        page.WaitForAssertion(() => Assert.Contains("2 buying customers", page.Find("[data-testid=rfm-scored]").TextContent, StringComparison.Ordinal), Wait);
        Assert.StartsWith("1", page.Find("[data-testid=cell-3-3]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("1", page.Find("[data-testid=cell-1-1]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("0", page.Find("[data-testid=cell-5-5]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("50.0%", page.Find("[data-testid=group-need_attention]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Lost", page.Find("[data-testid=group-lost]").TextContent, StringComparison.Ordinal);
    }
}
