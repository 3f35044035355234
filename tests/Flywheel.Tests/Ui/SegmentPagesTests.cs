using Bunit;
using Bunit.Rendering;
using Flywheel.Modules.Segments.Language;
using Flywheel.Tests.Modules.Segments.Membership;
using Flywheel.Ui.Pages.Customers;
using Flywheel.Ui.Pages.Segments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Extensions;

namespace Flywheel.Tests.Ui;

/// <summary>
/// The segment pages against <see cref="SegmentShop"/>, whose members of each condition are known by construction:
/// 上海 is c1, c4 and c8; 杭州 is c2, c5 and c7; c6 carries the tag VIP; "now" is 20 Nov 2026 04:00 UTC.
/// </summary>
public sealed class SegmentPagesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TheList_ShowsEachSegment_AndDeleting_IsRefusedWhileAnotherNamesIt()
    {
        ConsoleTest.UseEnglish();
        await using var console = await StartAsync();
        await SegmentShop.CreateAsync(console.App, "shanghai", "city = '上海'");
        // In 上海 with at least one order: c1 (2 orders), c4 (1) and c8 (2).
        await SegmentShop.CreateAsync(console.App, "sh-buyers", "in segment 'shanghai' and orders_count >= 1");
        await console.SignInAsOwnerAsync();

        var page = console.Render<SegmentsPage>();

        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=segment-members-shanghai]").TextContent.Trim()), Wait);
        Assert.Equal("3", page.Find("[data-testid=segment-members-sh-buyers]").TextContent.Trim());
        Assert.Equal("city = '上海'", page.Find("[data-testid=segment-condition-shanghai]").TextContent);

        await ConsoleTest.ClickAsync(page, "[data-testid=segment-delete-shanghai]");
        page.WaitForAssertion(() => Assert.Contains("with its 3 members", page.Find(".mud-dialog").TextContent, StringComparison.Ordinal), Wait);
        await page.InvokeAsync(() => ConsoleTest.DialogButton(page, "Delete").Click());
        page.WaitForAssertion(() => Assert.Equal("Segment 'shanghai' is named by segment 'sh-buyers'; change those first.",
            page.Find("[data-testid=segments-problem]").TextContent.Trim()), Wait);
        Assert.Equal(2, await CountSegmentsAsync(console));

        await ConsoleTest.ClickAsync(page, "[data-testid=segment-delete-sh-buyers]");
        page.WaitForAssertion(() => page.Find(".mud-dialog"), Wait);
        await page.InvokeAsync(() => ConsoleTest.DialogButton(page, "Delete").Click());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=segment-members-sh-buyers]")), Wait);
        Assert.Equal(1, await CountSegmentsAsync(console));
    }

    [Fact]
    public async Task VisualEdits_WriteTheText_AndTheLiveCount_FollowsThem()
    {
        ConsoleTest.UseEnglish();
        await using var console = await StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<SegmentEditor>();
        page.WaitForAssertion(() => page.Find("[data-testid=group-0-row-0]"), Wait);

        await ChooseAsync(page, "group-0-row-0-attribute", "city");
        await ConsoleTest.ChangeAsync(page, "group-0-row-0-value", "上海");

        page.WaitForAssertion(() => Assert.Equal("city = '上海'", Text(page)), Wait);
        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=segment-preview-count]").TextContent.Trim()), Wait);
        Assert.Equal(["c1", "c4", "c8"], page.FindAll("[data-testid=segment-preview-sample] a").Select(a => a.TextContent.Trim()));
        Assert.Equal("customers/c1", page.Find("[data-testid=segment-preview-sample] a").GetAttribute("href"));
        Assert.Contains(" ms", page.Find("[data-testid=segment-preview-elapsed]").TextContent, StringComparison.Ordinal);

        await ConsoleTest.ClickAsync(page, "[data-testid=group-0-add-row]");
        await ChooseAsync(page, "group-0-row-1-kind", RowKind.Event);
        await page.InvokeAsync(() => page.FindComponents<MudAutocomplete<string>>()
            .Single(a => Equals(a.Instance.UserAttributes.GetValueOrDefault("data-testid"), "group-0-row-1-event")).Instance.ValueChanged.InvokeAsync("order_paid"));
        await ChooseAsync(page, "group-0-row-1-window", WindowKind.LastDays);

        page.WaitForAssertion(() => Assert.Equal("city = '上海' and did order_paid in last 30 days", Text(page)), Wait);
        // Paid in the 30 days before 20 Nov 04:00, of c1, c4 and c8: c4 (1 Nov) and c8 (3 Nov); c1 last paid on 20 Sep.
        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=segment-preview-count]").TextContent.Trim()), Wait);
        Assert.Equal(["c4", "c8"], page.FindAll("[data-testid=segment-preview-sample] a").Select(a => a.TextContent.Trim()));

        // The second row joined by "or" instead: 上海, or paid in the window (c2, c4, c7, c8): c1, c2, c4, c7, c8.
        await ChooseAsync(page, "group-0-row-1-joiner", Joiner.Or);
        page.WaitForAssertion(() => Assert.Equal("city = '上海' or did order_paid in last 30 days", Text(page)), Wait);
        page.WaitForAssertion(() => Assert.Equal("5", page.Find("[data-testid=segment-preview-count]").TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task EditingTheText_FillsTheBuilder_OrSaysWhereItGoesWrong()
    {
        ConsoleTest.UseEnglish();
        await using var console = await StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<SegmentEditor>();
        page.WaitForAssertion(() => page.Find("[data-testid=segment-text]"), Wait);

        await ConsoleTest.ChangeAsync(page, "segment-text", "has tag 'VIP'  OR total_spend >= 1000");

        page.WaitForAssertion(() => Assert.Equal(RowKind.HasTag, Selected<RowKind>(page, "group-0-row-0-kind")), Wait);
        Assert.Equal("VIP", Selected<string>(page, "group-0-row-0-name"));
        Assert.Equal(Joiner.Or, Selected<Joiner>(page, "group-0-row-1-joiner"));
        Assert.Equal("total_spend", Selected<string>(page, "group-0-row-1-attribute"));
        Assert.Equal(ComparisonOperator.GreaterOrEqual, Selected<ComparisonOperator>(page, "group-0-row-1-operator"));
        Assert.Equal("1000", ConsoleTest.Input(page, "group-0-row-1-value").GetAttribute("value"));
        // c6 has the tag; c1 spent 300 + 800 and c5 900 + 300; the others less than 1,000.
        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=segment-preview-count]").TextContent.Trim()), Wait);
        Assert.Equal(["c1", "c5", "c6"], page.FindAll("[data-testid=segment-preview-sample] a").Select(a => a.TextContent.Trim()));

        // "and orders_count >= " is 20 characters, so 'abc' starts at column 21 of line 2.
        await ConsoleTest.ChangeAsync(page, "segment-text", "city = '上海'\nand orders_count >= abc");
        page.WaitForAssertion(() => Assert.Contains("line 2, column 21: expected a number after '>=', found 'abc'",
            page.Find("[data-testid=segment-text-errors]").TextContent, StringComparison.Ordinal), Wait);
        // The builder keeps what it showed last.
        Assert.Equal("total_spend", Selected<string>(page, "group-0-row-1-attribute"));

        // An "or" inside a where has no place in the builder: the text stands alone, and still counts.
        // Paid in baby or home: c1, c2, c5, c7 and c8.
        await ConsoleTest.ChangeAsync(page, "segment-text", "did order_paid where (category = 'baby' or category = 'home')");
        page.WaitForAssertion(() => page.Find("[data-testid=segment-text-only]"), Wait);
        Assert.Empty(page.FindAll("[data-testid=segment-text-errors]"));
        page.WaitForAssertion(() => Assert.Equal("5", page.Find("[data-testid=segment-preview-count]").TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task Saving_ShowsARefusalByItsField_ThenCreatesTheSegment()
    {
        ConsoleTest.UseEnglish();
        await using var console = await StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<SegmentEditor>();
        page.WaitForAssertion(() => page.Find("[data-testid=segment-text]"), Wait);
        await ConsoleTest.ChangeAsync(page, "segment-key", "Hang Zhou");
        await ConsoleTest.ChangeAsync(page, "segment-name", "Hangzhou");
        await ConsoleTest.ChangeAsync(page, "segment-text", "city = '杭州'");

        await ConsoleTest.ClickAsync(page, "[data-testid=segment-save]");

        page.WaitForAssertion(() => Assert.Contains("'Hang Zhou' is not a key", ConsoleTest.Field(page, "segment-key").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(0, await CountSegmentsAsync(console));

        await ConsoleTest.ChangeAsync(page, "segment-key", "hangzhou");
        await ConsoleTest.ClickAsync(page, "[data-testid=segment-save]");

        page.WaitForAssertion(() => Assert.EndsWith("/segments/hangzhou", console.Navigation.Uri, StringComparison.Ordinal), Wait);
        Assert.Equal(["c2", "c5", "c7"], await SegmentShop.MembersAsync(console.App, "hangzhou"));
        await using var db = console.State.Open();
        var saved = await db.Segments.Select(s => new { s.Name, s.Condition }).SingleAsync();
        Assert.Equal(("Hangzhou", "city = '杭州'"), (saved.Name, saved.Condition));
    }

    [Fact]
    public async Task EditingASegment_StartsFromItsCondition_AndSavesANewVersion()
    {
        ConsoleTest.UseEnglish();
        await using var console = await StartAsync();
        await SegmentShop.CreateAsync(console.App, "hangzhou", "city = '杭州'");
        await console.SignInAsOwnerAsync();

        var page = console.Render<SegmentEditor>("hangzhou", "Key");

        // The attribute and its value field render one after the other: wait for both.
        page.WaitForAssertion(() =>
        {
            Assert.Equal("city", Selected<string>(page, "group-0-row-0-attribute"));
            Assert.Equal("杭州", ConsoleTest.Input(page, "group-0-row-0-value").GetAttribute("value"));
        }, Wait);
        await ConsoleTest.ChangeAsync(page, "group-0-row-0-value", "北京");
        page.WaitForAssertion(() => Assert.Equal("city = '北京'", Text(page)), Wait);
        await ConsoleTest.ClickAsync(page, "[data-testid=segment-save]");

        page.WaitForAssertion(() => Assert.EndsWith("/segments/hangzhou", console.Navigation.Uri, StringComparison.Ordinal), Wait);
        // c3 is the one customer in 北京.
        Assert.Equal(["c3"], await SegmentShop.MembersAsync(console.App, "hangzhou"));
        await using var db = console.State.Open();
        Assert.Equal(2, await db.Segments.Select(s => s.Version).SingleAsync());
    }

    [Fact]
    public async Task TheSegmentPage_ShowsItsMembers_Composition_AndHistory()
    {
        ConsoleTest.UseEnglish();
        await using var console = await StartAsync();
        await SegmentShop.CreateAsync(console.App, "hangzhou", "city = '杭州'");
        await console.SignInAsOwnerAsync();

        var page = console.Render<SegmentPage>("hangzhou", "Key");

        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=segment-member-count]").TextContent.Trim()), Wait);
        Assert.Equal("city = '杭州'", page.Find("[data-testid=segment-condition]").TextContent);
        Assert.Equal("1", page.Find("[data-testid=segment-version]").TextContent.Trim());
        page.WaitForAssertion(() => Assert.Equal(["c2", "c5", "c7"], page.FindAll("[data-testid=segment-member] a").Select(a => a.TextContent.Trim())), Wait);
        Assert.Equal("api/v1/segments/hangzhou/members.csv", page.Find("a[data-testid=segment-csv]").GetAttribute("href"));
        // c2 paid twice in November (active), c7 once (new), c5 last in May, over 90 days ago (lost).
        Assert.Equal(("Active", "1"), Share(page, "lifecycle", "active"));
        Assert.Equal(("New", "1"), Share(page, "lifecycle", "new"));
        Assert.Equal(("Lost", "1"), Share(page, "lifecycle", "lost"));
        Assert.Equal(("杭州", "3"), Share(page, "city", "杭州"));
        // The shop sends no acquisition channel.
        Assert.Equal(("(none)", "3"), Share(page, "channel", "none"));
        // All three entered when the segment was made.
        var changes = page.FindAll("[data-testid=segment-changes] tbody tr").Select(r => (r.Children[0].TextContent.Trim(), r.Children[1].TextContent.Trim())).Order();
        Assert.Equal([("c2", "Entered"), ("c5", "Entered"), ("c7", "Entered")], changes);
    }

    [Fact]
    public async Task TheMemberList_PagesForwardAndBack()
    {
        ConsoleTest.UseEnglish();
        await using var console = await StartAsync();
        await SegmentShop.CreateAsync(console.App, "hangzhou", "city = '杭州'");
        await console.SignInAsOwnerAsync();

        var page = console.Bunit.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<SegmentPage>(1);
            builder.AddAttribute(2, nameof(SegmentPage.Key), "hangzhou");
            builder.AddAttribute(3, nameof(SegmentPage.PageSize), 2);
            builder.CloseComponent();
        });
        List<string> Shown() => [.. page.FindAll("[data-testid=segment-member] a").Select(a => a.TextContent.Trim())];

        // Two at a time, by customer id: c2 and c5, then c7.
        page.WaitForAssertion(() => Assert.Equal(["c2", "c5"], Shown()), Wait);
        await ConsoleTest.ClickAsync(page, "[data-testid=segment-members-next]");
        page.WaitForAssertion(() => Assert.Equal(["c7"], Shown()), Wait);
        Assert.True(page.Find("[data-testid=segment-members-next]").HasAttribute("disabled"));
        await ConsoleTest.ClickAsync(page, "[data-testid=segment-members-previous]");
        page.WaitForAssertion(() => Assert.Equal(["c2", "c5"], Shown()), Wait);
    }

    [Fact]
    public async Task TheCustomerPage_ListsTheCustomersSegments_BesideTheirTags()
    {
        ConsoleTest.UseEnglish();
        await using var console = await StartAsync();
        await SegmentShop.CreateAsync(console.App, "hangzhou", "city = '杭州'");
        await SegmentShop.CreateAsync(console.App, "shanghai", "city = '上海'");
        // c2 spent 200 + 350.
        await SegmentShop.CreateAsync(console.App, "spent-500", "total_spend >= 500");
        await console.SignInAsOwnerAsync();

        var page = console.Render<CustomerDetail>("c2");

        page.WaitForAssertion(() => Assert.Equal(["hangzhou", "spent-500"], page.FindAll("[data-testid=customer-segments] a").Select(a => a.TextContent.Trim())), Wait);
        Assert.Equal("segments/hangzhou", page.Find("[data-testid=customer-segment-hangzhou] a").GetAttribute("href"));
        await ConsoleTest.ClickAsync(page, "[data-testid=customer-segment-changes-toggle]");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=customer-segment-changes] tr").Count), Wait);
    }

    [Fact]
    public async Task ANewSegment_StartsFromTheConditionItIsGiven()
    {
        ConsoleTest.UseEnglish();
        await using var console = await StartAsync();
        await console.SignInAsOwnerAsync();
        // What the clusters page links to after saving a cluster as a tag.
        console.Navigation.NavigateTo($"segments/new?condition={Uri.EscapeDataString("has tag 'VIP'")}&name=VIP%20buyers");
        var page = console.Render<SegmentEditor>();

        // The page reads the query once its parameters are set; each part shows when that render lands.
        page.WaitForAssertion(() => Assert.Equal("has tag 'VIP'", Text(page)), Wait);
        page.WaitForAssertion(() => Assert.Equal(RowKind.HasTag, Selected<RowKind>(page, "group-0-row-0-kind")), Wait);
        page.WaitForAssertion(() => Assert.Equal("VIP buyers", ConsoleTest.Input(page, "segment-name").GetAttribute("value")), Wait);
        // Only c6 carries the tag.
        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-testid=segment-preview-count]").TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task TheCustomerList_FiltersBySegmentTagAndCity()
    {
        ConsoleTest.UseEnglish();
        await using var console = await StartAsync();
        // Buyers: c1, c2, c4, c5, c7 and c8 (c3 and c6 never paid).
        await SegmentShop.CreateAsync(console.App, "buyers", "paid_orders_count >= 1");
        await console.SignInAsOwnerAsync();
        var page = console.Render<CustomerList>();
        string[] Ids() => [.. page.FindAll("[data-testid=customer-table] tbody tr").Select(r => r.QuerySelector("td")!.TextContent.Trim())];
        page.WaitForAssertion(() => Assert.Equal(SegmentShop.Everyone, Ids()), Wait);

        await page.InvokeAsync(() => Select<string>(page, "customer-segment-filter").Instance.ValueChanged.InvokeAsync("buyers"));
        page.WaitForAssertion(() => Assert.Equal(["c1", "c2", "c4", "c5", "c7", "c8"], Ids()), Wait);
        // Buyers in 上海: c1, c4, c8.
        await page.InvokeAsync(() => page.FindComponents<MudTextField<string>>()
            .Single(f => Equals(f.Instance.UserAttributes.GetValueOrDefault("data-testid"), "customer-city-filter")).Instance.ValueChanged.InvokeAsync("上海"));
        page.WaitForAssertion(() => Assert.Equal(["c1", "c4", "c8"], Ids()), Wait);

        await page.InvokeAsync(() => Select<string>(page, "customer-segment-filter").Instance.ValueChanged.InvokeAsync(null));
        await page.InvokeAsync(() => page.FindComponents<MudTextField<string>>()
            .Single(f => Equals(f.Instance.UserAttributes.GetValueOrDefault("data-testid"), "customer-city-filter")).Instance.ValueChanged.InvokeAsync(null));
        await page.InvokeAsync(() => Select<string>(page, "customer-tag-filter").Instance.ValueChanged.InvokeAsync("VIP"));
        page.WaitForAssertion(() => Assert.Equal(["c6"], Ids()), Wait);
    }

    private static async Task<ConsoleTest> StartAsync()
    {
        var console = await ConsoleTest.StartAsync(b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(SegmentShop.Now)));
        await SegmentShop.BuildAsync(console.App);
        await SegmentShop.SettleAsync(console.App);
        return console;
    }

    private static async Task<int> CountSegmentsAsync(ConsoleTest console)
    {
        await using var db = console.State.Open();
        return await db.Segments.CountAsync();
    }

    private static string Text(IRenderedComponent<ContainerFragment> page) => ConsoleTest.Input(page, "segment-text").GetAttribute("value") ?? ConsoleTest.Input(page, "segment-text").TextContent;

    private static IRenderedComponent<MudSelect<T>> Select<T>(IRenderedComponent<ContainerFragment> page, string testId) =>
        page.FindComponents<MudSelect<T>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), testId));

    private static T? Selected<T>(IRenderedComponent<ContainerFragment> page, string testId) => Select<T>(page, testId).Instance.GetState(x => x.Value);

    private static Task ChooseAsync<T>(IRenderedComponent<ContainerFragment> page, string testId, T value) =>
        page.InvokeAsync(() => Select<T>(page, testId).Instance.ValueChanged.InvokeAsync(value));

    private static (string Label, string Count) Share(IRenderedComponent<ContainerFragment> page, string dimension, string value)
    {
        var cells = page.Find($"[data-testid='composition-{dimension}-{value}']").QuerySelectorAll("td");
        return (cells[0].TextContent.Trim(), cells[1].TextContent.Trim());
    }
}
