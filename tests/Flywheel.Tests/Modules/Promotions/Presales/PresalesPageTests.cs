using Bunit;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Ui;
using Flywheel.Ui.Pages.Promotions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.Presales;

/// <summary>The Presales page against a real host's store, through the API's own handlers.</summary>
public sealed class PresalesPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task APresale_IsRefusedWithTheFieldsMessage_ThenCreated_AndItsDepositsAreListedWithTheirState()
    {
        ConsoleTest.UseEnglish();
        var clock = new FakeTimeProvider(Now);
        await using var console = await ConsoleTest.StartAsync(b => b.Services.AddSingleton<TimeProvider>(clock));
        await console.SignInAsOwnerAsync();
        var page = console.Render<PresalesPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=no-presales]"), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid=new-presale]");
        page.WaitForAssertion(() => page.Find("[data-testid=presale-form]"), Wait);
        await ConsoleTest.ChangeAsync(page, "field-name", "双11 phone");
        await ConsoleTest.ChangeAsync(page, "field-skus", "phone");
        await ConsoleTest.ChangeAsync(page, "field-price", "1000");
        await ConsoleTest.ChangeAsync(page, "field-deposit", "100");
        await ConsoleTest.ChangeAsync(page, "field-deposit_value", "1200");
        await ConsoleTest.ChangeAsync(page, "field-deposit_starts_at", "2026-11-01T00:00:00Z");
        await ConsoleTest.ChangeAsync(page, "field-deposit_ends_at", "2026-11-10T00:00:00Z");
        await ConsoleTest.ChangeAsync(page, "field-balance_starts_at", "2026-11-10T00:00:00Z");
        await ConsoleTest.ChangeAsync(page, "field-balance_ends_at", "2026-11-11T00:00:00Z");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-presale]");

        // The rule D ≤ E ≤ price, shown at its field; nothing stored.
        page.WaitForAssertion(() => Assert.Contains("must not exceed the presale price", ConsoleTest.Field(page, "field-deposit_value").TextContent, StringComparison.Ordinal), Wait);
        await using (var db = console.State.Open())
        {
            Assert.Empty(await db.Presales.ToListAsync());
        }

        await ConsoleTest.ChangeAsync(page, "field-deposit_value", "200");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-presale]");
        page.WaitForAssertion(() => page.Find("[data-testid='presale-双11 phone']"), Wait);
        // Balance per unit before discounts: 1000 − 200 = 800.
        Assert.Equal("1000.00, deposit 100.00 counts as 200.00, balance 800.00", page.Find("[data-testid='terms-双11 phone']").TextContent.Trim());
        Assert.Contains("Taking deposits", page.Find("[data-testid='presale-双11 phone']").TextContent, StringComparison.Ordinal);

        string id;
        await using (var db = console.State.Open())
        {
            id = (await db.Presales.SingleAsync()).Id;
        }
        await PromotionsClient.CreatedAsync(await console.App.PostJsonAsync($"/api/v1/presales/{id}/deposits", new { customer_id = "c1" }));
        await ConsoleTest.ClickAsync(page, "[data-testid='open-双11 phone']");
        page.WaitForAssertion(() => Assert.Contains("Paid", page.Find("[data-testid=deposit-c1]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("100.00", page.Find("[data-testid=deposit-c1]").TextContent, StringComparison.Ordinal);

        // Cancelled from the page: the paid deposit is refunded, and the presale can no longer be changed there.
        await ConsoleTest.ClickAsync(page, "[data-testid='cancel-双11 phone']");
        page.WaitForAssertion(() => Assert.Contains("Refunded", page.Find("[data-testid=deposit-c1]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(page.FindAll("[data-testid='edit-双11 phone']"));
    }
}
