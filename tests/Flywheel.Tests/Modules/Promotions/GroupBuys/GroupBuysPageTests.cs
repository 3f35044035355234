using Bunit;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Ui;
using Flywheel.Ui.Pages.Promotions;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Modules.Promotions.GroupBuys;

/// <summary>The Group buys page against a real host's store, through the API's own handlers.</summary>
public sealed class GroupBuysPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ACampaign_IsRefusedNamingTheField_ThenCreatedAndActivated_AndItsGroupsAreListedWithTheirMembers()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<GroupBuysPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=no-group-buys]"), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid=new-group-buy]");
        page.WaitForAssertion(() => page.Find("[data-testid=group-buy-form]"), Wait);
        await ConsoleTest.ChangeAsync(page, "field-name", "Bag 拼团");
        await ConsoleTest.ChangeAsync(page, "field-sku", "bag");
        await ConsoleTest.ChangeAsync(page, "field-group_price", "59");
        await ConsoleTest.ChangeAsync(page, "field-group_size", "1");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-group-buy]");
        page.WaitForAssertion(() => Assert.Contains("must be from 2 to 100", ConsoleTest.Field(page, "field-group_size").TextContent, StringComparison.Ordinal), Wait);
        await using (var db = console.State.Open())
        {
            Assert.Empty(await db.GroupBuys.ToListAsync());
        }

        await ConsoleTest.ChangeAsync(page, "field-group_size", "3");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-group-buy]");
        page.WaitForAssertion(() => page.Find("[data-testid='group-buy-Bag 拼团']"), Wait);
        await ConsoleTest.ClickAsync(page, "[data-testid='activate-Bag 拼团']");
        page.WaitForAssertion(() => page.Find("[data-testid='pause-Bag 拼团']"), Wait);
        string campaign;
        await using (var db = console.State.Open())
        {
            var stored = await db.GroupBuys.SingleAsync();
            Assert.Equal(("active", 5900L, 3), (stored.Status, stored.GroupPrice, stored.GroupSize)); // ¥59 in fen.
            campaign = stored.Id;
            var audited = await db.AuditLog.Where(a => a.EntityType == "group_buy" && a.EntityId == campaign).Select(a => a.Action).ToListAsync();
            Assert.Equal(["created", "status_changed"], audited.Order(StringComparer.Ordinal));
        }

        // A leader opens a group and one friend joins: 2 of 3 seats, both held until the group fills.
        var groupId = (await PromotionsClient.CreatedAsync(await GroupBuyTests.OpenAsync(console.App, campaign, "leader", "open-1"))).GetProperty("group").GetProperty("id").GetString()!;
        await PromotionsClient.CreatedAsync(await GroupBuyTests.JoinAsync(console.App, campaign, groupId, "friend", "join-1"));
        await ConsoleTest.ClickAsync(page, "[data-testid='groups-Bag 拼团']");
        page.WaitForAssertion(() => page.Find("[data-testid=group-leader]"), Wait);
        var row = page.Find("[data-testid=group-leader]").TextContent;
        Assert.Contains("Open", row, StringComparison.Ordinal);
        Assert.Contains("2 / 3", row, StringComparison.Ordinal);
        Assert.Contains("friend · held · 59", row, StringComparison.Ordinal);
    }
}
