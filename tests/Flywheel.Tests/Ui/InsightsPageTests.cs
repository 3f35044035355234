using Bunit;
using Flywheel.Ui.Pages.Analytics;

namespace Flywheel.Tests.Ui;

public sealed class InsightsPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Page_ShowsAnomaliesAndTheDrillDown_OfTheLastDays()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        // One paid order of 80.00 from feed ads three days ago: the last 28 days against the 28 before rise by 80.00.
        var at = console.App.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(-3);
        (await console.App.PostJsonAsync("/api/v1/orders", new
        {
            order_id = "o1", customer_id = "c1", status = "paid", channel = "feed_ads",
            lines = new[] { new { sku = "S", quantity = 1, price = 80.00m, category = "beauty" } }, total = 80.00m,
            placed_at = at.AddMinutes(-1).ToString("O"), paid_at = at.ToString("O"),
        })).EnsureSuccessStatusCode();
        await Modules.Analytics.Insights.InsightsApiTests.WaitForProjectionsAsync(console.App);
        await console.SignInAsOwnerAsync();

        var page = console.Render<InsightsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=drill-path]"), Wait);

        // Too little history for any baseline: no alarms.
        Assert.NotNull(page.Find("[data-testid=no-anomalies]"));
        Assert.Contains("GMV: 0 → 80 (+80", page.Find("[data-testid=explain-total]").TextContent, StringComparison.Ordinal);
        // No visitors in either period: factors cannot be split, but the channel carries the whole rise.
        Assert.Empty(page.FindAll("[data-testid=factors-table]"));
        Assert.Contains("feed_ads", page.Find("[data-testid=dimension-channel]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Channel = feed_ads +80 (100%)", page.Find("[data-testid=drill-path]").TextContent, StringComparison.Ordinal);
    }
}
