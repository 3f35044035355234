using Bunit;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Tests.Support;
using Flywheel.Ui.Pages.Settings;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Ui;

public sealed class UsersPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Owner = FlywheelApp.AdminEmail;

    [Fact]
    public async Task Admin_SeesTheOwnerAsFixed_WithoutRemove_ButMayChangeOthers()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var adminId = await console.AddMemberAsync("ops@example.com", Role.Admin);
        await console.AddMemberAsync("analyst@example.com", Role.Analyst);
        await console.SignInAsync(adminId, Role.Admin);
        var page = console.Render<UsersPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=user-row-email]").Count), Wait);

        Assert.Contains("Owner", page.Find($"[data-testid='user-role-fixed-{Owner}']").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll($"[data-testid='user-remove-{Owner}']"));
        Assert.Empty(page.FindAll($"[data-testid='user-role-{Owner}']"));
        Assert.NotEmpty(page.FindAll("[data-testid='user-role-analyst@example.com']"));
        Assert.NotEmpty(page.FindAll("[data-testid='user-remove-analyst@example.com']"));
    }

    [Fact]
    public async Task Owner_SeesEveryoneChangeable()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.AddMemberAsync("ops@example.com", Role.Admin);
        await console.SignInAsOwnerAsync();
        var page = console.Render<UsersPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=user-row-email]").Count), Wait);

        Assert.Empty(page.FindAll("[data-testid^='user-role-fixed-']"));
        Assert.NotEmpty(page.FindAll($"[data-testid='user-remove-{Owner}']"));
    }

    [Fact]
    public async Task RemovingTheLastOwner_ShowsTheApiRule_AndKeepsTheOwner()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<UsersPage>();
        page.WaitForAssertion(() => page.Find($"[data-testid='user-remove-{Owner}']"), Wait);

        await ConsoleTest.ClickAsync(page, $"[data-testid='user-remove-{Owner}']");
        page.WaitForAssertion(() => ConsoleTest.DialogButton(page, "Remove"), Wait);
        await page.InvokeAsync(() => ConsoleTest.DialogButton(page, "Remove").Click());

        // Users.RemoveAsync refuses with this detail (409).
        page.WaitForAssertion(() => Assert.Contains("A workspace must keep at least one owner.", page.Find("[data-testid=users-problem]").TextContent, StringComparison.Ordinal), Wait);
        await using var db = console.State.Open();
        Assert.True(await db.Memberships.AnyAsync(m => m.UserId == console.OwnerId && m.WorkspaceId == console.WorkspaceId));
    }

    [Fact]
    public async Task Add_NewAccountWithAShortPassword_ShowsThePasswordError()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<UsersPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=user-add-open]"), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid=user-add-open]");
        // The button's handler may finish, and the form render, after Click returns (seen on a busy machine).
        page.WaitForAssertion(() => page.Find("[data-testid=user-add-form]"), Wait);
        await ConsoleTest.ChangeAsync(page, "user-email", "new@example.com");
        await ConsoleTest.ChangeAsync(page, "user-password", "short");
        await ConsoleTest.ClickAsync(page, "[data-testid=user-add]");

        // Users.MinPasswordLength is 10.
        page.WaitForAssertion(() => Assert.Contains("at least 10 characters", ConsoleTest.Field(page, "user-password").TextContent, StringComparison.Ordinal), Wait);
        await using var db = console.State.Open();
        Assert.False(await db.Users.AnyAsync(u => u.Email == "new@example.com"));
    }

    [Fact]
    public async Task Add_NewAccount_AddsTheMemberWithTheChosenRole()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<UsersPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=user-add-open]"), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid=user-add-open]");
        // The button's handler may finish, and the form render, after Click returns (seen on a busy machine).
        page.WaitForAssertion(() => page.Find("[data-testid=user-add-form]"), Wait);
        await ConsoleTest.ChangeAsync(page, "user-email", "New@Example.com");
        await ConsoleTest.ChangeAsync(page, "user-name", "Xiao Li");
        await ConsoleTest.ChangeAsync(page, "user-password", "0123456789");
        await ConsoleTest.ClickAsync(page, "[data-testid=user-add]");

        // Emails are stored lower-cased; the role the form starts with is viewer.
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=user-row-email]"), e => e.TextContent == "new@example.com"), Wait);
        await using var db = console.State.Open();
        var user = await db.Users.SingleAsync(u => u.Email == "new@example.com");
        Assert.Equal("Xiao Li", user.DisplayName);
        Assert.Equal(Role.Viewer, (await db.Memberships.SingleAsync(m => m.UserId == user.Id)).Role);
    }
}
