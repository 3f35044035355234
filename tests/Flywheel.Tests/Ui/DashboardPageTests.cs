using Bunit;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Platform.Ingestion;
using Flywheel.Ui.Pages.Analytics;

namespace Flywheel.Tests.Ui;

public sealed class DashboardPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Page_ShowsTheMetricsOfTheLast30Days_AndExplainsAnUnknownSegment()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var now = console.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // Three days ago: c1 views two pages 10 minutes apart (one session, not a bounce) and pays an order of 12.50.
        (await console.App.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                new { event_id = "1", type = "page_view", customer_id = "c1", timestamp = now.AddDays(-3).ToString("O") },
                new { event_id = "2", type = "page_view", customer_id = "c1", timestamp = now.AddDays(-3).AddMinutes(10).ToString("O") },
            },
        })).EnsureSuccessStatusCode();
        (await console.App.PostJsonAsync("/api/v1/orders", new
        {
            order_id = "o1", customer_id = "c1", status = "paid",
            lines = new[] { new { sku = "S", quantity = 1, price = 12.50m } }, total = 12.50m,
            placed_at = now.AddDays(-3).AddMinutes(11).ToString("O"), paid_at = now.AddDays(-3).AddMinutes(12).ToString("O"),
        })).EnsureSuccessStatusCode();
        using (var timeout = new CancellationTokenSource(Wait))
        {
            await console.App.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
            await console.App.Services.GetRequiredService<IngestPipeline>().WaitForLoadedAsync(timeout.Token);
        }
        await console.SignInAsOwnerAsync();

        var page = console.Render<DashboardPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=kpi-gmv]"), Wait);

        string Value(string key) => page.Find($"[data-testid=kpi-{key}] [data-testid=kpi-value]").TextContent.Trim();
        Assert.Contains("12.50", Value("gmv"), StringComparison.Ordinal);
        Assert.Equal("1", Value("orders"));
        Assert.Equal("2", Value("pv"));
        Assert.Equal("1", Value("sessions"));
        Assert.Equal("0.0%", Value("bounce_rate"));
        Assert.Equal("600.0", Value("avg_visit_seconds"));
        // Nothing in the 30 days before: no comparison.
        Assert.Equal("0", page.Find("[data-testid=kpi-pv] [data-testid=kpi-previous]").TextContent.Trim());

        ConsoleTest.Input(page, "dashboard-segment").Change("no-such-segment");
        await page.InvokeAsync(() => page.Find("[data-testid=dashboard-apply]").Click());
        page.WaitForAssertion(() => Assert.Contains("there is no segment 'no-such-segment'", page.Find("[data-testid=dashboard-errors]").TextContent, StringComparison.Ordinal), Wait);
    }
}
