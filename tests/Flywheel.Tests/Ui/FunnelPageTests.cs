using Bunit;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Ui.Pages.Analytics;

namespace Flywheel.Tests.Ui;

public sealed class FunnelPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Page_RunsTheDefaultFunnelOverTheLast30Days_AndExplainsABadStepList()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var now = console.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // c1 views and adds to the cart five days ago; c2 only views.
        (await console.App.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                new { event_id = "1", type = "product_view", customer_id = "c1", timestamp = now.AddDays(-5).ToString("O") },
                new { event_id = "2", type = "add_to_cart", customer_id = "c1", timestamp = now.AddDays(-5).AddMinutes(3).ToString("O") },
                new { event_id = "3", type = "product_view", customer_id = "c2", timestamp = now.AddDays(-4).ToString("O") },
            },
        })).EnsureSuccessStatusCode();
        using (var timeout = new CancellationTokenSource(Wait))
        {
            await console.App.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
        }
        await console.SignInAsOwnerAsync();

        var page = console.Render<FunnelPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=funnel-table]"), Wait);

        // Default steps: product_view, add_to_cart, checkout_started, order_paid. Reached 2, 1, 0, 0. c2's 7-day window
        // is still open: waiting at the cart, not lost, so the cart's conversion is 1 of 1 settled, and 1 of 2 from the start.
        string Cell(int step, int column) => page.Find($"[data-testid=funnel-step-{step}]").QuerySelectorAll("td")[column].TextContent.Trim();
        Assert.Equal(["2", "1", "0", "0"], Enumerable.Range(1, 4).Select(s => Cell(s, 1)));
        Assert.Equal("100.0%", Cell(2, 2));
        Assert.Equal("50.0%", Cell(2, 3));
        Assert.Equal("1", Cell(2, 4));
        Assert.Equal("0", Cell(2, 5));
        Assert.Equal("3:00", Cell(2, 6));

        await ConsoleTest.ChangeAsync(page, "funnel-steps", "product_view");
        await ConsoleTest.ClickAsync(page, "[data-testid=funnel-run]");
        page.WaitForAssertion(() => Assert.Contains("a funnel has 2 to 10", page.Markup, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task Page_FiltersStepsWithTheirWindows_BreaksDown_ExportsCsv_AndSavesTheDroppedAsASegment()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var now = console.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // c1 (from google) views and adds to the cart 3 minutes later; c2 (from xhs) views and adds to the cart two days
        // later, outside a 1-day step window; c3 (from google) only views. Every window of 1 day has closed.
        (await console.App.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                new { event_id = "1", type = "product_view", customer_id = "c1", timestamp = now.AddDays(-6).ToString("O"), context = new { utm_source = "google" } },
                new { event_id = "2", type = "add_to_cart", customer_id = "c1", timestamp = now.AddDays(-6).AddMinutes(3).ToString("O") },
                new { event_id = "3", type = "product_view", customer_id = "c2", timestamp = now.AddDays(-5).ToString("O"), context = new { utm_source = "xhs" } },
                new { event_id = "4", type = "add_to_cart", customer_id = "c2", timestamp = now.AddDays(-3).ToString("O") },
                new { event_id = "5", type = "product_view", customer_id = "c3", timestamp = now.AddDays(-4).ToString("O"), context = new { utm_source = "google" } },
            },
        })).EnsureSuccessStatusCode();
        using (var timeout = new CancellationTokenSource(Wait))
        {
            await console.App.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
        }
        await console.SignInAsOwnerAsync();

        var page = console.Render<FunnelPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=funnel-table]"), Wait);
        await ConsoleTest.ChangeAsync(page, "funnel-steps", "product_view\nadd_to_cart within 1 day");
        await ConsoleTest.ChangeAsync(page, "funnel-breakdown", "utm_source");
        await ConsoleTest.ClickAsync(page, "[data-testid=funnel-run]");

        // google: c1 and c3 entered, c1 carted in time; xhs: c2 entered and carted too late.
        string Cell(string group, int step, int column) =>
            page.Find($"[data-testid=funnel-group-{group}-step-{step}]").QuerySelectorAll("td")[column].TextContent.Trim();
        page.WaitForAssertion(() => Assert.Equal("2", Cell("google", 1, 2)), Wait);
        Assert.Equal("1", Cell("google", 2, 2));
        Assert.Equal("0", Cell("xhs", 2, 2));
        Assert.Equal("1", Cell("xhs", 2, 6));
        var csv = Uri.UnescapeDataString(page.Find("[data-testid=funnel-csv]").GetAttribute("href")!);
        Assert.Contains("google,2,add_to_cart,,1,1,0,1,0.5,0.5,180", csv, StringComparison.Ordinal);

        // Dropped at the cart: c2 and c3, both customers.
        await ConsoleTest.ChangeAsync(page, "funnel-segment-key", "no-cart");
        await ConsoleTest.ClickAsync(page, "[data-testid=funnel-save-dropped]");
        page.WaitForAssertion(() => Assert.Contains("Segment no-cart saved: 2 customers; 0 anonymous", page.Find("[data-testid=funnel-saved]").TextContent,
            StringComparison.Ordinal), Wait);
    }
}
