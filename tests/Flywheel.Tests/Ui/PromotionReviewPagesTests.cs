using Bunit;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Ui.Pages.Promotions;

namespace Flywheel.Tests.Ui;

/// <summary>The promotion simulation and pricing replay pages against a real host's store, through the API's own handlers.</summary>
public sealed class PromotionReviewPagesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TheSimulationPage_ShowsWhatADraftWouldHaveDone_AndNamesABadDate()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await SimulationTests.OrderAsync(console.App, "o1", "c1", "2026-11-02T10:00:00+08:00", ("TEA", 5, 50m));
        await SimulationTests.OrderAsync(console.App, "o2", "c2", "2026-11-03T10:00:00+08:00", ("TEA", 1, 50m));
        var draft = (await console.App.CreatePromotionAsync(new { name = "满200减20", @class = "order", reward = new { kind = "threshold_off", threshold = 200, off = 20 } }))
            .GetProperty("id").GetString()!;
        await console.SignInAsOwnerAsync();
        var page = console.Render<PromotionSimulationPage>(draft);

        await ConsoleTest.ChangeAsync(page, "field-from", "2026-11-01");
        await ConsoleTest.ChangeAsync(page, "field-to", "2026-11-30");
        await ConsoleTest.ClickAsync(page, "[data-testid=simulate]");
        // o1 (250) reaches 满200 and gets 20 off; o2 (50) does not: 1 of 2 orders, ¥20.
        page.WaitForAssertion(() => Assert.Contains("1 / 2 (50.0%)", page.Find("[data-testid=orders-touched]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("¥20.00", page.Find("[data-testid=cost]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Threshold not reached", page.Find("[data-testid=simulation-reasons]").TextContent, StringComparison.Ordinal);
        Assert.Contains("First orders", page.Find("[data-testid=simulation-buyers]").TextContent, StringComparison.Ordinal);

        await ConsoleTest.ChangeAsync(page, "field-from", "November");
        await ConsoleTest.ClickAsync(page, "[data-testid=simulate]");
        page.WaitForAssertion(() => Assert.Contains("yyyy-MM-dd", ConsoleTest.Field(page, "field-from").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(page.FindAll("[data-testid=simulation-result]"));
    }

    [Fact]
    public async Task TheReplayPage_PricesAPaidOrdersCheckoutAgain_AndSaysWhenThereIsNone()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.App.CreatePromotionAsync(new { name = "¥20 off", status = "active", @class = "order", reward = new { kind = "amount_off", amount = 20 } });
        var reserved = await PromotionsClient.CreatedAsync(await console.App.ReserveAsync(PromotionsClient.Cart("c1", 100), "k1"));
        (await console.App.PostJsonAsync($"/api/v1/checkout/{reserved.GetProperty("id").GetString()}/commit", new { order_id = "ord-9" })).EnsureSuccessStatusCode();
        await console.SignInAsOwnerAsync();
        var page = console.Render<PricingReplayPage>();

        await ConsoleTest.ChangeAsync(page, "field-order", "ord-9");
        await ConsoleTest.ClickAsync(page, "[data-testid=replay]");
        // 100 − 20 = 80, as recorded.
        page.WaitForAssertion(() => Assert.Equal("¥80.00", page.Find("[data-testid=payable]").TextContent.Trim()), Wait);
        Assert.Contains("exactly the recorded price", page.Find("[data-testid=replay-verdict]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Applied", page.Find("[data-testid='outcome-¥20 off']").TextContent, StringComparison.Ordinal);

        await ConsoleTest.ChangeAsync(page, "field-order", "ord-unknown");
        await ConsoleTest.ClickAsync(page, "[data-testid=replay]");
        page.WaitForAssertion(() => Assert.Contains("only orders paid through the checkout API", page.Find("[data-testid=replay-problem]").TextContent, StringComparison.Ordinal), Wait);
    }
}
