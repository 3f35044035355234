using Bunit;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Ui.Layout;

namespace Flywheel.Tests.Ui;

public sealed class NavMenuTests
{
    [Theory]
    [InlineData(Role.Owner, true)]
    [InlineData(Role.Admin, true)]
    [InlineData(Role.Marketer, false)]
    [InlineData(Role.Viewer, false)]
    public async Task SettingsLinks_AreShownToAdministratorsOnly(Role role, bool shown)
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var id = role == Role.Owner ? console.OwnerId : await console.AddMemberAsync("member@example.com", role);
        await console.SignInAsync(id, role);

        var page = console.Render<NavMenu>();

        var links = page.FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        foreach (var settings in new[] { "settings/workspace", "settings/users", "settings/keys", "settings/audit" })
        {
            Assert.Equal(shown, links.Contains(settings));
        }
        // Every role reads orders, products and customers with their tags (Scopes.ForRole).
        Assert.Contains("orders", links);
        Assert.Contains("products", links);
        Assert.Contains("tags", links);
    }
}
