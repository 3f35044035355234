using Bunit;
using Bunit.TestDoubles;
using Flywheel.Ui.Pages.Settings;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Ui;

public sealed class WorkspacePageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Save_WithoutAName_ShowsTheErrorAtTheNameField_AndChangesNothing()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<WorkspacePage>();
        page.WaitForAssertion(() => page.Find("[data-testid=workspace-save]"), Wait);

        await ConsoleTest.ChangeAsync(page, "workspace-name", "   ");
        await ConsoleTest.ClickAsync(page, "[data-testid=workspace-save]");

        // WorkspaceSettings.Validate answers "name": "is required." for a blank name.
        page.WaitForAssertion(() => Assert.Contains("is required.", ConsoleTest.Field(page, "workspace-name").TextContent, StringComparison.Ordinal), Wait);
        Assert.DoesNotContain("is required.", ConsoleTest.Field(page, "workspace-zone").TextContent, StringComparison.Ordinal);
        Assert.Empty(((BunitNavigationManager)console.Navigation).History);
        await using var db = console.State.Open();
        Assert.Equal("Default", (await db.Workspaces.SingleAsync(w => w.Id == console.WorkspaceId)).Name);
    }

    [Fact]
    public async Task Save_NewName_StoresAndAuditsIt_AndReloadsThePage()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<WorkspacePage>();
        page.WaitForAssertion(() => page.Find("[data-testid=workspace-save]"), Wait);

        await ConsoleTest.ChangeAsync(page, "workspace-name", "Flagship store");
        await ConsoleTest.ClickAsync(page, "[data-testid=workspace-save]");

        var navigation = (BunitNavigationManager)console.Navigation;
        page.WaitForAssertion(() => Assert.Single(navigation.History), Wait);
        Assert.EndsWith("/settings/workspace", navigation.Uri, StringComparison.Ordinal);
        Assert.True(navigation.History.Single().Options.ForceLoad);
        await using var db = console.State.Open();
        Assert.Equal("Flagship store", (await db.Workspaces.SingleAsync(w => w.Id == console.WorkspaceId)).Name);
        Assert.True(await db.AuditLog.AnyAsync(a => a.Action == "updated" && a.EntityType == "workspace" && a.Actor == "user:" + console.OwnerId));
    }

    [Fact]
    public async Task Create_MakesTheSignedInUserOwnerOfTheNewWorkspace()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<WorkspacePage>();
        page.WaitForAssertion(() => page.Find("[data-testid=workspace-create-button]"), Wait);

        await ConsoleTest.ChangeAsync(page, "new-workspace-name", "Second brand");
        await ConsoleTest.ClickAsync(page, "[data-testid=workspace-create-button]");

        page.WaitForAssertion(() => Assert.Contains("Second brand", page.Find("[data-testid=workspace-created]").TextContent, StringComparison.Ordinal), Wait);
        await using var db = console.State.Open();
        var created = await db.Workspaces.SingleAsync(w => w.Name == "Second brand");
        var membership = await db.Memberships.SingleAsync(m => m.WorkspaceId == created.Id);
        Assert.Equal(console.OwnerId, membership.UserId);
        Assert.Equal(Flywheel.Modules.Workspaces.Model.Role.Owner, membership.Role);
        // It starts with the settings of the workspace it was created from: the defaults of first start.
        Assert.Equal(("CNY", "Asia/Shanghai", "zh-CN"), (created.Currency, created.TimeZone, created.Locale));
    }
}
