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

        await ConsoleTest.ChangeAsync(page, "dashboard-segment", "no-such-segment");
        await ConsoleTest.ClickAsync(page, "[data-testid=dashboard-apply]");
        page.WaitForAssertion(() => Assert.Contains("there is no segment 'no-such-segment'", page.Find("[data-testid=dashboard-errors]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task Page_ShowsTheMarketingGroup_FromSpendData()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var now = console.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // Three days ago: c1 lands from baidu and pays 100.00 an hour later, its first order; baidu cost 50.00 that day
        // for 1,000 impressions and 40 clicks. The workspace's gross margin is 0.5.
        (await console.App.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                new { event_id = "1", type = "page_view", customer_id = "c1", timestamp = now.AddDays(-3).ToString("O"), context = new { utm_source = "baidu" } },
            },
        })).EnsureSuccessStatusCode();
        (await console.App.PostJsonAsync("/api/v1/orders", new
        {
            order_id = "o1", customer_id = "c1", status = "paid",
            lines = new[] { new { sku = "S", quantity = 1, price = 100.00m } }, total = 100.00m,
            placed_at = now.AddDays(-3).AddMinutes(59).ToString("O"), paid_at = now.AddDays(-3).AddHours(1).ToString("O"),
        })).EnsureSuccessStatusCode();
        var day = DateOnly.FromDateTime(now.AddDays(-3).ToOffset(TimeSpan.FromHours(8)).DateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await console.App.Client.PutAsJsonAsync("/api/v1/marketing/spend",
            new { rows = new[] { new { date = day, channel = "baidu", spend = 50.00m, impressions = 1000, clicks = 40 } } })).EnsureSuccessStatusCode();
        (await console.App.Client.PutAsJsonAsync("/api/v1/marketing/settings", new { gross_margin = 0.5m })).EnsureSuccessStatusCode();
        using (var timeout = new CancellationTokenSource(Wait))
        {
            await console.App.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
            await console.App.Services.GetRequiredService<IngestPipeline>().WaitForLoadedAsync(timeout.Token);
        }
        await console.SignInAsOwnerAsync();

        var page = console.Render<DashboardPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=kpi-spend]"), Wait);

        string Value(string key) => page.Find($"[data-testid=kpi-{key}] [data-testid=kpi-value]").TextContent.Trim();
        Assert.Equal("¥50.00", Value("spend"));
        // CTR 40 / 1,000 = 4.0%; CPC 50.00 / 40 = 1.25; one conversion: CPA and CAC 50.00;
        // ROAS 100 / 50 = 2.00×; ROI (100 × 0.5 − 50) / 50 = 0.
        Assert.Equal("4.0%", Value("ctr"));
        Assert.Equal("¥1.25", Value("cpc"));
        Assert.Equal("¥50.00", Value("cpa"));
        Assert.Equal("¥50.00", Value("cac"));
        Assert.Equal("2.00×", Value("roas"));
        Assert.Equal("0.0%", Value("roi"));
        // No spend in the 30 days before: unknown, not zero.
        Assert.Equal("—", page.Find("[data-testid=kpi-spend] [data-testid=kpi-previous]").TextContent.Trim());
        var note = page.Find("[data-testid=dashboard-marketing-note]").TextContent;
        Assert.Contains("Last non-direct", note, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("50.0%", note, StringComparison.Ordinal);
    }
}
