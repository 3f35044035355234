using Flywheel.Cli;
using Flywheel.Modules.Demo.Generation;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Flywheel.Tests.Browser;

/// <summary>
/// Walks the main console pages of a small generated demo shop in real Chromium, checks that each shows generated data,
/// and saves the screenshots the README shows (docs/screenshots), so that they stay current with the console.
/// </summary>
public sealed class ConsoleScreenshotTests(Chromium chromium) : IClassFixture<Chromium>
{
    // The shop's 12 months end on 2026-11-20; the clock stands at noon of that day in Shanghai.
    private static readonly DateOnly End = new(2026, 11, 20);
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task MainPages_ShowTheDemoShop_AndAreCapturedForTheReadme()
    {
        var dir = Directory.CreateTempSubdirectory("flywheel-screens-").FullName;
        var summary = await GenerateCommand.GenerateAsync(dir, new DemoOptions(2_000, 12, 42, End), null, TestContext.Current.CancellationToken);
        await using var app = await FlywheelApp.StartAsync(
            new Dictionary<string, string?> { ["Flywheel:DataDir"] = dir },
            b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        await using var browser = await chromium.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = browser.Page;
        var shots = Path.Combine(ChildProcess.RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(shots);

        await page.GotoAsync(app.BaseAddress + "login");
        await ConsoleBrowserTests.SignInAsync(page, GenerateCommand.DemoEmail, GenerateCommand.DemoPassword);

        // The demo workspace speaks Chinese; the Overview has orders in the last 30 days (double 11 is among them).
        await Expect(page.Locator("h4")).ToHaveTextAsync("概览");
        await Expect(page.GetByTestId("kpi-paid_orders").GetByTestId("kpi-value")).Not.ToHaveTextAsync("0");
        await page.Locator("canvas").First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "overview-zh.png") });

        await page.GetByTestId("language-switch").ClickAsync();
        await page.GetByText("English").ClickAsync();
        await Expect(page.Locator("h4")).ToHaveTextAsync("Overview");
        await page.Locator("canvas").First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "overview.png") });

        await page.GotoAsync(app.BaseAddress + "analytics/attribution");
        await Expect(page.Locator("h4")).ToHaveTextAsync("Attribution");
        await page.GetByTestId("attribution-table").WaitForAsync();
        await page.Locator("canvas").First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "attribution.png") });

        await page.GotoAsync(app.BaseAddress + "orders");
        await Expect(page.Locator("h4")).ToHaveTextAsync("Orders");
        var firstOrder = page.Locator("tbody tr").First;
        await firstOrder.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "orders.png") });

        // Clusters with a suggested k: the suggestion table, the heatmap and a described cluster per row.
        await page.GotoAsync(app.BaseAddress + "clusters");
        await Expect(page.Locator("h4")).ToHaveTextAsync("Clusters");
        await page.GetByTestId("clusters-run").ClickAsync();
        await page.GetByTestId("cluster-2").WaitForAsync();
        await Expect(page.GetByTestId("clusters-suggestion")).ToContainTextAsync("✓");
        await page.Locator("canvas").First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "clusters.png"), FullPage = true });

        // A customer who paid, found through the API with the same login.
        using var api = app.CreateConsoleClient();
        using var login = await api.PostAsJsonAsync("/api/v1/auth/login",
            new { email = GenerateCommand.DemoEmail, password = GenerateCommand.DemoPassword }, TestContext.Current.CancellationToken);
        login.EnsureSuccessStatusCode();
        var paid = await FlywheelApp.ReadJsonAsync(await api.GetAsync("/api/v1/orders?status=paid&limit=1", TestContext.Current.CancellationToken));
        var customerId = paid.GetProperty("items")[0].GetProperty("customer_id").GetString()!;
        // The daily RFM scoring runs as the host starts; the page shows its result once it has run.
        using var scoring = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        scoring.CancelAfter(TimeSpan.FromSeconds(60));
        while ((await FlywheelApp.ReadJsonAsync(await api.GetAsync("/api/v1/rfm", scoring.Token)))
            .GetProperty("scored_at").ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            await Task.Delay(50, scoring.Token);
        }
        await page.GotoAsync(app.BaseAddress + "customers/" + Uri.EscapeDataString(customerId));
        await Expect(page.GetByTestId("trait-paid-orders")).Not.ToHaveTextAsync("0");
        await Expect(page.GetByTestId("trait-rfm")).ToContainTextAsync("R");
        await Expect(page.GetByTestId("customer-timeline")).ToContainTextAsync("Order paid");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "customer.png") });

        // Segments: repeat buyers, made through the API with the same login; the list, the builder counting as the text
        // changes, and the segment's own page with its size, composition and members.
        using (var created = await api.PostAsJsonAsync("/api/v1/segments",
            new { key = "repeat-buyers", name = "Repeat buyers", condition = "paid_orders_count >= 2" }, TestContext.Current.CancellationToken))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        await page.GotoAsync(app.BaseAddress + "segments");
        await Expect(page.Locator("h4")).ToHaveTextAsync("Segments");
        await Expect(page.GetByTestId("segment-members-repeat-buyers")).Not.ToHaveTextAsync("0");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "segments.png") });

        await page.GotoAsync(app.BaseAddress + "segments/new");
        await page.GetByTestId("segment-text").FillAsync("paid_orders_count >= 2 and did order_paid in last 90 days");
        await page.GetByTestId("segment-text").PressAsync("Tab");
        await Expect(page.GetByTestId("group-0-row-1")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("segment-preview-count")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "segment-builder.png"), FullPage = true });

        await page.GotoAsync(app.BaseAddress + "segments/repeat-buyers");
        await Expect(page.GetByTestId("segment-member-count")).Not.ToHaveTextAsync("0");
        await page.GetByTestId("segment-member").First.WaitForAsync();
        await page.Locator("canvas").First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "segment.png"), FullPage = true });

        // Insights: the last 28 days' anomalies against their weekday baselines, and the change split and drilled down.
        await page.GotoAsync(app.BaseAddress + "analytics/insights");
        await Expect(page.Locator("h4")).ToHaveTextAsync("Insights");
        await page.GetByTestId("drill-path").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "insights.png"), FullPage = true });

        // Reports: a weekly subscription made through the API, made now from the console, and the report read back.
        using (var subscribed = await api.PostAsJsonAsync("/api/v1/reports/subscriptions",
            new { name = "Weekly review", cadence = "weekly", locale = "en", targets = new { gmv = 100000 } }, TestContext.Current.CancellationToken))
        {
            Assert.True(subscribed.IsSuccessStatusCode, await subscribed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        await page.GotoAsync(app.BaseAddress + "reports");
        await Expect(page.Locator("h4")).ToHaveTextAsync("Reports");
        await page.GetByTestId("run-Weekly review").ClickAsync();
        await page.GetByTestId("runs-table").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "reports.png") });
        await page.GetByTestId("runs-table").GetByText("Open").First.ClickAsync();
        await page.GetByTestId("report-frame").WaitForAsync();
        await Expect(page.FrameLocator("[data-testid=report-frame]").Locator("h2").First).ToContainTextAsync("Background");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "report.png"), FullPage = true });

        await page.GotoAsync(app.BaseAddress + "settings/users");
        await Expect(page.GetByText(GenerateCommand.DemoEmail)).ToBeVisibleAsync();

        Assert.True(summary.PaidOrders > 0);
        Assert.True(browser.Errors.Count == 0, string.Join("\n", browser.Errors));
    }
}
