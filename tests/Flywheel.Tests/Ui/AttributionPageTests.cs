using Bunit;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Ui.Pages.Analytics;

namespace Flywheel.Tests.Ui;

public sealed class AttributionPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Page_ShowsEachChannelsRevenueUnderEachModel_ForTheLast30Days()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var now = console.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // One customer: a wechat visit five days ago, a baidu visit three days ago, an order of 120.00 two days ago.
        (await console.App.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                new { event_id = "v1", type = "page_view", customer_id = "c1", timestamp = now.AddDays(-5).ToString("O"), context = new { utm_source = "wechat" } },
                new { event_id = "v2", type = "page_view", customer_id = "c1", timestamp = now.AddDays(-3).ToString("O"), context = new { utm_source = "baidu" } },
            },
        })).EnsureSuccessStatusCode();
        (await console.App.PostJsonAsync("/api/v1/orders", new
        {
            order_id = "o1", customer_id = "c1", status = "paid",
            lines = new[] { new { sku = "S", quantity = 1, price = 120.00m } }, total = 120.00m,
            placed_at = now.AddDays(-2).AddMinutes(-1).ToString("O"), paid_at = now.AddDays(-2).ToString("O"),
        })).EnsureSuccessStatusCode();
        using (var timeout = new CancellationTokenSource(Wait))
        {
            await console.App.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
            await console.App.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
        }
        await console.SignInAsOwnerAsync();

        var page = console.Render<AttributionPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=attribution-table]"), Wait);

        // First touch credits wechat with the whole order, last touch baidu, linear half each.
        string Credit(string channel, string model) =>
            page.Find($"[data-testid=channel-{channel}] [data-testid=credit-{model}]").TextContent.Trim();
        Assert.Equal("¥120.00 (1)", Credit("wechat", "first_touch"));
        Assert.Equal("¥0.00 (0)", Credit("baidu", "first_touch"));
        Assert.Equal("¥120.00 (1)", Credit("baidu", "last_touch"));
        Assert.Equal("¥60.00 (0.5)", Credit("wechat", "linear"));
        Assert.Equal("¥60.00 (0.5)", Credit("baidu", "linear"));
        Assert.Contains("1 paid orders attributed to 2 channels", page.Find("[data-testid=attribution-summary]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_ShowsSpendAndReturnsPerModel_AndTheChannelPathsAsASankey()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var now = console.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // c1: wechat five days ago, baidu three days ago, pays 120.00 two days ago. c2: one baidu visit and no order.
        (await console.App.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                new { event_id = "v1", type = "page_view", customer_id = "c1", timestamp = now.AddDays(-5).ToString("O"), context = new { utm_source = "wechat" } },
                new { event_id = "v2", type = "page_view", customer_id = "c1", timestamp = now.AddDays(-3).ToString("O"), context = new { utm_source = "baidu" } },
                new { event_id = "v3", type = "page_view", customer_id = "c2", timestamp = now.AddDays(-3).ToString("O"), context = new { utm_source = "baidu" } },
            },
        })).EnsureSuccessStatusCode();
        (await console.App.PostJsonAsync("/api/v1/orders", new
        {
            order_id = "o1", customer_id = "c1", status = "paid",
            lines = new[] { new { sku = "S", quantity = 1, price = 120.00m } }, total = 120.00m,
            placed_at = now.AddDays(-2).AddMinutes(-1).ToString("O"), paid_at = now.AddDays(-2).ToString("O"),
        })).EnsureSuccessStatusCode();
        var day = DateOnly.FromDateTime(now.AddDays(-3).ToOffset(TimeSpan.FromHours(8)).DateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await console.App.Client.PutAsJsonAsync("/api/v1/marketing/spend",
            new { rows = new[] { new { date = day, channel = "baidu", spend = 60.00m, impressions = 1000, clicks = 30 } } })).EnsureSuccessStatusCode();
        (await console.App.Client.PutAsJsonAsync("/api/v1/marketing/settings", new { gross_margin = 0.5m })).EnsureSuccessStatusCode();
        using (var timeout = new CancellationTokenSource(Wait))
        {
            await console.App.Services.GetRequiredService<OrderProjection>().WaitForAppliedAsync(timeout.Token);
            await console.App.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
        }
        await console.SignInAsOwnerAsync();

        var page = console.Render<AttributionPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=attribution-table]"), Wait);

        Assert.Equal("¥60.00", page.Find("[data-testid=channel-baidu] [data-testid=spend]").TextContent.Trim());
        Assert.Equal("—", page.Find("[data-testid=channel-wechat] [data-testid=spend]").TextContent.Trim());
        // Last touch gives baidu the 120.00: ROAS 120 / 60 = 2, ROI (120 × 0.5 − 60) / 60 = 0. First touch gives it
        // nothing: ROAS 0, ROI (0 − 60) / 60 = −1.
        Assert.Equal("ROAS 2.00× · ROI 0.0%", page.Find("[data-testid=channel-baidu] [data-testid=credit-last_touch] [data-testid=returns]").TextContent.Trim());
        Assert.Equal("ROAS 0.00× · ROI -100.0%", page.Find("[data-testid=channel-baidu] [data-testid=credit-first_touch] [data-testid=returns]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=channel-wechat] [data-testid=returns]"));
        Assert.Contains("50.0%", page.Find("[data-testid=attribution-margin]").TextContent, StringComparison.Ordinal);

        // Converting paths only: wechat > baidu once, so two links of weight 1.
        Dictionary<string, string> Links() => page.FindAll("[data-testid=sankey-link]")
            .ToDictionary(l => l.GetAttribute("data-source") + ">" + l.GetAttribute("data-target"), l => l.GetAttribute("data-weight")!);
        Assert.Equal(new Dictionary<string, string> { ["1:wechat>2:baidu"] = "1", ["2:baidu>conversion"] = "1" }, Links());

        // With non-converting paths, c2's single baidu visit flows into "no conversion".
        await page.InvokeAsync(() => ConsoleTest.Input(page, "sankey-nulls").Change(true));
        page.WaitForAssertion(() => Assert.Equal("1", Links()["1:baidu>null"]), Wait);
        Assert.Contains("No conversion", page.Find("[data-testid=sankey]").TextContent, StringComparison.Ordinal);
    }
}
