using System.Net;
using Bunit;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Ui;
using Flywheel.Ui.Pages.Promotions;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Modules.Promotions.Bargains;

/// <summary>The Bargains page against a real host's store, through the API's own handlers.</summary>
public sealed class BargainsPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ACampaign_IsRefusedNamingTheField_ThenCreated_AndItsBargainsAreListedWithTheirHelps()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<BargainsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=no-bargains]"), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid=new-bargain]");
        page.WaitForAssertion(() => page.Find("[data-testid=bargain-form]"), Wait);
        await ConsoleTest.ChangeAsync(page, "field-name", "Kettle 砍价");
        await ConsoleTest.ChangeAsync(page, "field-sku", "kettle");
        await ConsoleTest.ChangeAsync(page, "field-start_price", "100");
        await ConsoleTest.ChangeAsync(page, "field-floor_price", "1");
        await ConsoleTest.ChangeAsync(page, "field-helpers", "5");
        // 5 helps of at least ¥30 cut at least 150: more than the 99 there is to cut.
        await ConsoleTest.ChangeAsync(page, "field-min_cut", "30");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-bargain]");
        page.WaitForAssertion(() => Assert.Contains("cannot add up to exactly", ConsoleTest.Field(page, "field-min_cut").TextContent, StringComparison.Ordinal), Wait);

        await ConsoleTest.ChangeAsync(page, "field-min_cut", "");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-bargain]");
        page.WaitForAssertion(() => page.Find("[data-testid='bargain-Kettle 砍价']"), Wait);
        await ConsoleTest.ClickAsync(page, "[data-testid='activate-Kettle 砍价']");
        page.WaitForAssertion(() => page.Find("[data-testid='pause-Kettle 砍价']"), Wait);
        string campaign;
        await using (var db = console.State.Open())
        {
            var stored = await db.BargainCampaigns.SingleAsync();
            // Defaults: a cut of 1 fen at least, the whole 9900 fen at most.
            Assert.Equal((10_000L, 100L, 1L, 9_900L), (stored.StartPrice, stored.FloorPrice, stored.MinCut, stored.MaxCut));
            campaign = stored.Id;
            Assert.Equal(2, await db.AuditLog.CountAsync(a => a.EntityType == "bargain_campaign" && a.EntityId == campaign));
        }

        var started = await PromotionsClient.CreatedAsync(await console.App.PostJsonAsync($"/api/v1/bargains/{campaign}/instances", new { customer_id = "alice" }));
        var id = started.GetProperty("id").GetString()!;
        var help = await console.App.PostJsonAsync($"/api/v1/bargains/{campaign}/instances/{id}/help", new { helper_id = "bob", device_id = "phone-1", ip = "10.0.0.1" });
        Assert.Equal(HttpStatusCode.OK, help.StatusCode);
        await ConsoleTest.ClickAsync(page, "[data-testid='bargains-Kettle 砍价']");
        page.WaitForAssertion(() => page.Find("[data-testid=instance-alice]"), Wait);
        var row = page.Find("[data-testid=instance-alice]").TextContent;
        Assert.Contains("1 / 5", row, StringComparison.Ordinal);
        Assert.Contains("bob", row, StringComparison.Ordinal);
        Assert.Contains("phone-1 · 10.0.0.1", row, StringComparison.Ordinal);
    }
}
