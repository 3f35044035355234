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

        ConsoleTest.Input(page, "funnel-steps").Change("product_view");
        await page.InvokeAsync(() => page.Find("[data-testid=funnel-run]").Click());
        page.WaitForAssertion(() => Assert.Contains("a funnel has 2 to 10", page.Markup, StringComparison.Ordinal), Wait);
    }
}
