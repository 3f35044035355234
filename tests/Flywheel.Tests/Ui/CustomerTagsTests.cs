using Bunit;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Ui.Pages.Customers;
using MudBlazor;
using static Flywheel.Tests.Modules.Customers.Tags.TagTestData;

namespace Flywheel.Tests.Ui;

/// <summary>The tag chips on a customer's page (the page itself needs the event store, so the chips are rendered alone).</summary>
public sealed class CustomerTagsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ManualTags_AreAddedAndRemovedHere_OthersOnlyShown()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await CreateCustomersAsync(console.App, "c1");
        await CreateTagAsync(console.App, new { name = "VIP" });
        await CreateTagAsync(console.App, new { name = "Newsletter" });
        await CreateTagAsync(console.App, new { name = "Wholesale", kind = "imported" });
        (await TagAsync(console.App, "VIP", "c1")).EnsureSuccessStatusCode();
        (await TagAsync(console.App, "Wholesale", "c1")).EnsureSuccessStatusCode();
        await console.SignInAsOwnerAsync();
        var chips = Render(console, "c1");
        chips.WaitForAssertion(() => Assert.Equal(["VIP", "Wholesale"], Chips(chips)), Wait);

        // Only the manual tag can be taken off here; the imported one is replaced as a whole elsewhere.
        Assert.NotEmpty(chips.FindAll("[data-testid=customer-tag-VIP] .mud-chip-close-button"));
        Assert.Empty(chips.FindAll("[data-testid=customer-tag-Wholesale] .mud-chip-close-button"));
        // The choice of tags to add loads on its own, possibly after the chips.
        chips.WaitForAssertion(() => chips.FindComponent<MudSelect<string>>(), Wait);
        var choice = chips.FindComponent<MudSelect<string>>();
        await chips.InvokeAsync(() => choice.Instance.ValueChanged.InvokeAsync("Newsletter"));
        await ConsoleTest.ClickAsync(chips, "[data-testid=customer-tag-add]");

        chips.WaitForAssertion(() => Assert.Equal(["Newsletter", "VIP", "Wholesale"], Chips(chips)), Wait);
        Assert.Contains(("Newsletter", "c1", "console"), (await MembersAsync(console.App)).Select(m => (m.Tag, m.Customer, m.Source)));

        await ConsoleTest.ClickAsync(chips, "[data-testid=customer-tag-VIP] .mud-chip-close-button");

        chips.WaitForAssertion(() => Assert.Equal(["Newsletter", "Wholesale"], Chips(chips)), Wait);
        Assert.Equal(["Newsletter", "Wholesale"], (await MembersAsync(console.App)).Select(m => m.Tag));
    }

    [Fact]
    public async Task AViewer_SeesTheChipsOnly()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await CreateCustomersAsync(console.App, "c1");
        await CreateTagAsync(console.App, new { name = "VIP" });
        (await TagAsync(console.App, "VIP", "c1")).EnsureSuccessStatusCode();
        var viewer = await console.AddMemberAsync("viewer@example.com", Role.Viewer);
        await console.SignInAsync(viewer, Role.Viewer);

        var chips = Render(console, "c1");

        chips.WaitForAssertion(() => Assert.Equal(["VIP"], Chips(chips)), Wait);
        Assert.Empty(chips.FindAll(".mud-chip-close-button"));
        Assert.Empty(chips.FindAll("[data-testid=customer-tag-add]"));
    }

    private static IRenderedComponent<Bunit.Rendering.ContainerFragment> Render(ConsoleTest console, string customerId) =>
        console.Bunit.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<CustomerTags>(1);
            builder.AddAttribute(2, nameof(CustomerTags.CustomerId), customerId);
            builder.CloseComponent();
        });

    private static List<string> Chips(IRenderedComponent<Bunit.Rendering.ContainerFragment> chips) =>
        [.. chips.FindAll("[data-testid^=customer-tag-]").Where(e => e.ClassList.Contains("mud-chip")).Select(e => e.TextContent.Trim())];
}
