using System.Net;
using Bunit;
using Flywheel.Tests.Ui;
using Flywheel.Ui.Pages.Promotions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.Checkout;

/// <summary>The Budgets page against a real host's store, through the API's own handlers.</summary>
public sealed class BudgetsPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Now = new(2026, 11, 11, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ACampaignBudget_IsRefusedNamingTheField_ThenCreated_AndShowsWhatItsPromotionsSpent_AndItsBurn()
    {
        ConsoleTest.UseEnglish();
        var clock = new FakeTimeProvider(Now);
        await using var console = await ConsoleTest.StartAsync(b => b.Services.AddSingleton<TimeProvider>(clock));
        await console.SignInAsOwnerAsync();
        var page = console.Render<BudgetsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=no-budgets]"), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid=new-budget]");
        page.WaitForAssertion(() => page.Find("[data-testid=budget-form]"), Wait);
        await ConsoleTest.ChangeAsync(page, "field-name", "Double 11");
        await ConsoleTest.ChangeAsync(page, "field-amount", "-5");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-budget]");
        page.WaitForAssertion(() => Assert.Contains("must not be negative", ConsoleTest.Field(page, "field-amount").TextContent, StringComparison.Ordinal), Wait);
        await using (var db = console.State.Open())
        {
            Assert.Empty(await db.CampaignBudgets.ToListAsync());
        }

        await ConsoleTest.ChangeAsync(page, "field-amount", "100");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-budget]");
        page.WaitForAssertion(() => page.Find("[data-testid='budget-Double 11']"), Wait);
        string budget;
        await using (var db = console.State.Open())
        {
            budget = (await db.CampaignBudgets.SingleAsync()).Id;
        }

        // A ¥30-off promotion drawing on it, and one paid order: 30 of 100 spent, 70 left.
        await CheckoutTests.ActiveAsync(console.App, new
        {
            name = "¥30 off", @class = "order", reward = new { kind = "amount_off", amount = 30 }, campaign_budget = budget,
        });
        var reservation = await PromotionsClient.CreatedAsync(await console.App.ReserveAsync(PromotionsClient.Cart("c1", 100), "o1"));
        Assert.Equal(HttpStatusCode.OK, (await console.App.CommitAsync(reservation.GetProperty("id").GetString()!)).StatusCode);

        await ConsoleTest.ClickAsync(page, "[data-testid=refresh]");
        page.WaitForAssertion(() => Assert.Equal("70.00", page.Find("[data-testid='left-Double 11']").TextContent.Trim()), Wait);
        Assert.Equal("30%", page.Find("[data-testid='used-Double 11']").TextContent.Trim());
        Assert.Equal("¥30 off (30.00)", page.Find("[data-testid='drawn-Double 11']").TextContent.Trim());

        await ConsoleTest.ClickAsync(page, "[data-testid='burn-Double 11']");
        page.WaitForAssertion(() => page.Find("[data-testid=burn]"), Wait);
        var figures = page.Find("[data-testid=burn-figures]").TextContent;
        Assert.Contains("Spent: 30.00", figures, StringComparison.Ordinal);
        Assert.Contains("Left: 70.00", figures, StringComparison.Ordinal);
        // 30 over the last 7 days is 4.29 a day (30 / 7 = 4.2857…); 70 / 4.2857… = 16.33 → 16 days.
        Assert.Equal("Days left at that pace: 16", page.Find("[data-testid=burn-days-left]").TextContent.Trim());

        // Drawn on, it cannot be deleted: the page says why.
        await ConsoleTest.ClickAsync(page, "[data-testid='delete-Double 11']");
        page.WaitForAssertion(() => Assert.Contains("¥30 off", page.Find("[data-testid=budget-problem]").TextContent, StringComparison.Ordinal), Wait);
    }
}
