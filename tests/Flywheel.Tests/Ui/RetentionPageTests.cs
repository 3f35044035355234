using Bunit;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Ui.Pages.Analytics;

namespace Flywheel.Tests.Ui;

public sealed class RetentionPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Page_ShowsMonthlyCohortsOfFirstOrders_AsAHeatmap()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var now = console.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // Two customers whose first orders were paid in the same local month as each other, at least 40 days ago.
        var first = now.AddDays(-45);
        foreach (var (id, customer) in new[] { ("o1", "c1"), ("o2", "c2") })
        {
            (await console.App.PostJsonAsync("/api/v1/orders", new
            {
                order_id = id, customer_id = customer, status = "paid",
                lines = new[] { new { sku = "S", quantity = 1, price = 5.00m } }, total = 5.00m,
                placed_at = first.AddMinutes(-1).ToString("O"), paid_at = first.ToString("O"),
            })).EnsureSuccessStatusCode();
        }
        using (var timeout = new CancellationTokenSource(Wait))
        {
            await console.App.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
        }
        await console.SignInAsOwnerAsync();

        var page = console.Render<RetentionPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=retention-table]"), Wait);

        // The cohort of that month (in the workspace's zone, hence the lookup), 2 customers, all of them in period 0.
        await using var db = console.State.Open();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(db.Workspaces.Single().TimeZone);
        var local = TimeZoneInfo.ConvertTime(first, zone);
        var cells = page.Find($"[data-testid=cohort-{local:yyyy-MM}-01]").QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal("2", cells[1]);
        Assert.Equal("100%", cells[2]);
    }
}
