using Bunit;
using Flywheel.Tests.Ui;
using Flywheel.Ui.Pages.Promotions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.FlashSales;

/// <summary>The flash-sale page against a real host's store: a session refused naming its field, created, then monitored.</summary>
public sealed class FlashSalesPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Now = new(2026, 11, 11, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task ASession_IsRefusedWithTheItemsMessage_ThenCreated_AndItsFiguresFollowTheAttempts()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync(b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        await console.SignInAsOwnerAsync();
        var page = console.Render<FlashSalesPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=no-flash-sales]"), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid=new-flash-sale]");
        page.WaitForAssertion(() => page.Find("[data-testid=flash-sale-form]"), Wait);
        await ConsoleTest.ChangeAsync(page, "field-name", "Noon tea");
        // Times without an offset are the workspace's, Asia/Shanghai: 20:00–21:00 there is 12:00–13:00 UTC, around now.
        await ConsoleTest.ChangeAsync(page, "field-starts_at", "2026-11-11 20:00");
        await ConsoleTest.ChangeAsync(page, "field-ends_at", "2026-11-11 21:00");
        await ConsoleTest.ChangeAsync(page, "field-items", "tea, 80, 0");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-flash-sale]");
        page.WaitForAssertion(() => Assert.Contains("items[0].stock", ConsoleTest.Field(page, "field-items").TextContent, StringComparison.Ordinal), Wait);
        await using (var db = console.State.Open())
        {
            Assert.Empty(await db.FlashSales.ToListAsync());
        }

        await ConsoleTest.ChangeAsync(page, "field-items", "tea, 80, 5");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-flash-sale]");
        page.WaitForAssertion(() => page.Find("[data-testid='flash-Noon tea-tea']"), Wait);
        Assert.Contains("Open", page.Find("[data-testid='flash-Noon tea-tea']").TextContent, StringComparison.Ordinal);

        // Two units won and paid through the API; the monitor shows them sold after a refresh.
        string id;
        await using (var db = console.State.Open())
        {
            var stored = await db.FlashSales.SingleAsync();
            id = stored.Id;
            Assert.Equal("[{\"Sku\":\"tea\",\"Price\":8000,\"Stock\":5}]", stored.Items); // ¥80.00 in fen.
        }
        foreach (var customer in new[] { "c1", "c2" })
        {
            var attempt = await console.App.WinAsync(id, customer, "k-" + customer);
            await console.App.Client.PostAsync($"/api/v1/flash-sales/attempts/{attempt}/commit", null);
        }
        await ConsoleTest.ClickAsync(page, "[data-testid=refresh]");
        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid='sold-Noon tea-tea']").TextContent.Trim()), Wait);
    }
}
