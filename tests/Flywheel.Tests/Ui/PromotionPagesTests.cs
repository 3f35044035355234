using Bunit;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Ui.Pages.Promotions;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Ui;

/// <summary>The Promotions, Coupons and Cart simulator pages against a real host's store, through the API's own handlers.</summary>
public sealed class PromotionPagesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task APromotion_IsRefusedWithTheFieldsMessage_ThenCreated_ThenActivated()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<PromotionsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=no-promotions]"), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid=new-promotion]");
        page.WaitForAssertion(() => page.Find("[data-testid=promotion-form]"), Wait);
        await ConsoleTest.ChangeAsync(page, "field-name", "满200减20");
        await ConsoleTest.ChangeAsync(page, "field-reward", """{"kind": "threshold_off", "threshold": 200, "off": 250}""");
        await ConsoleTest.ChangeAsync(page, "field-budget", "1000");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-promotion]");

        // The core's rule, shown at the reward; nothing stored.
        page.WaitForAssertion(() => Assert.Contains("reward.off: must not exceed the threshold", ConsoleTest.Field(page, "field-reward").TextContent, StringComparison.Ordinal), Wait);
        await using (var db = console.State.Open())
        {
            Assert.Empty(await db.Promotions.ToListAsync());
        }

        await ConsoleTest.ChangeAsync(page, "field-reward", """{"kind": "threshold_off", "threshold": 200, "off": 20}""");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-promotion]");
        page.WaitForAssertion(() => page.Find("[data-testid='promotion-满200减20']"), Wait);
        Assert.Contains("Draft", page.Find("[data-testid='promotion-满200减20']").TextContent, StringComparison.Ordinal);
        Assert.Equal("0.00 / 1000.00", page.Find("[data-testid='budget-满200减20']").TextContent.Trim());

        await ConsoleTest.ClickAsync(page, "[data-testid='activate-满200减20']");
        page.WaitForAssertion(() => page.Find("[data-testid='pause-满200减20']"), Wait);
        await using var db2 = console.State.Open();
        var stored = await db2.Promotions.SingleAsync();
        Assert.Equal("active", stored.Status);
        Assert.Equal(100_000, stored.Budget); // ¥1000.00 in fen.
    }

    [Fact]
    public async Task ATemplatesCodes_AreGenerated_AndListedWithTheirState()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.App.CreateTemplateAsync(new { name = "¥10 off", @class = "order", reward = new { kind = "amount_off", amount = 10 }, total_limit = 4 });
        await console.SignInAsOwnerAsync();
        var page = console.Render<CouponsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid='template-¥10 off']"), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid='open-¥10 off']");
        page.WaitForAssertion(() => page.Find("[data-testid=coupons-panel]"), Wait);
        await ConsoleTest.ChangeAsync(page, "field-count", "5");
        await ConsoleTest.ClickAsync(page, "[data-testid=generate]");
        // 5 would exceed the 4 the template may issue.
        page.WaitForAssertion(() => Assert.Contains("4 coupons in total", page.Find("[data-testid=coupons-panel]").TextContent, StringComparison.Ordinal), Wait);

        await ConsoleTest.ChangeAsync(page, "field-count", "3");
        await ConsoleTest.ClickAsync(page, "[data-testid=generate]");
        page.WaitForAssertion(() => page.Find("[data-testid=coupons-table]"), Wait);
        var codes = ConsoleTest.Input(page, "generated-codes").GetAttribute("value")?.Split('\n') ?? ConsoleTest.Input(page, "generated-codes").TextContent.Split('\n');
        Assert.Equal(3, codes.Length);
        Assert.All(codes, c => Assert.Contains("Unclaimed", page.Find($"[data-testid='coupon-{c}']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSimulator_PricesACart_AndExplainsEachPromotion()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await CheckoutTests.ActiveAsync(console.App, new { name = "满200减20", @class = "order", reward = new { kind = "threshold_off", threshold = 200, off = 20 } });
        await console.SignInAsOwnerAsync();
        var page = console.Render<CartSimulatorPage>();

        // 2 × 125 = 250 − 20 = 230, plus ¥10 shipping = 240.
        await ConsoleTest.ChangeAsync(page, "field-lines", "TEA, 2, 125, food");
        await ConsoleTest.ChangeAsync(page, "field-shipping", "10");
        await ConsoleTest.ClickAsync(page, "[data-testid=price]");
        page.WaitForAssertion(() => Assert.Equal("¥240.00", page.Find("[data-testid=payable]").TextContent.Trim()), Wait);
        Assert.Contains("Applied", page.Find("[data-testid='outcome-满200减20']").TextContent, StringComparison.Ordinal);

        // 188 + 10: the threshold is ¥12 away, said as a hint; the outcome says why.
        await ConsoleTest.ChangeAsync(page, "field-lines", "TEA, 1, 188");
        await ConsoleTest.ChangeAsync(page, "field-codes", "NOPE");
        await ConsoleTest.ClickAsync(page, "[data-testid=price]");
        page.WaitForAssertion(() => Assert.Equal("¥198.00", page.Find("[data-testid=payable]").TextContent.Trim()), Wait);
        Assert.Contains("Spend ¥12 more", page.Find("[data-testid=near-miss]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Threshold not reached", page.Find("[data-testid='outcome-满200减20']").TextContent, StringComparison.Ordinal);
        Assert.Contains("Unknown code", page.Find("[data-testid='rejected-NOPE']").TextContent, StringComparison.Ordinal);

        // A line without a price is named.
        await ConsoleTest.ChangeAsync(page, "field-lines", "TEA, 1");
        await ConsoleTest.ClickAsync(page, "[data-testid=price]");
        page.WaitForAssertion(() => Assert.Contains("lines[0].unit_price", ConsoleTest.Field(page, "field-lines").TextContent, StringComparison.Ordinal), Wait);
    }
}
