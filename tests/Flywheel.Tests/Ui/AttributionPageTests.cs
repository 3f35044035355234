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
}
