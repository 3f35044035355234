using System.Globalization;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Flywheel.Tests.Browser;

/// <summary>
/// The console in real Chromium against a real server: sign in, the Overview's numbers against the API's and against
/// arithmetic done here, the language switch, and a customer's page. The clock is fixed at 2026-11-20 12:00 Shanghai
/// time so that "the last 30 days" is the same range whenever the test runs.
/// </summary>
public sealed class ConsoleBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task SignIn_ThenOverviewShowsTheApisNumbers()
    {
        await using var app = await StartShopAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;

        // An unauthenticated visit to the console is sent to the sign-in page and comes back after it.
        await page.GotoAsync(app.BaseAddress + "customers");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?return_url=%2Fcustomers"));
        await SignInAsync(page);
        await Expect(page).ToHaveURLAsync(app.BaseAddress + "customers");

        await page.GotoAsync(app.BaseAddress.ToString());
        // Last 30 days = 2026-10-22 .. 2026-11-20 (Shanghai). Paid in range: ¥199.00 + ¥1,000.50 + ¥300.00 = ¥1,499.50
        // over 3 orders; AOV = 1,499.50 / 3 = 499.8333 → ¥499.83. The cancelled ¥5,000.00 order is not GMV.
        await Expect(Kpi(page, "gmv")).ToHaveTextAsync("¥1,499.50");
        await Expect(Kpi(page, "paid_orders")).ToHaveTextAsync("3");
        await Expect(Kpi(page, "aov")).ToHaveTextAsync("¥499.83");
        // Paying customers: alice (2 orders) and bob.
        await Expect(Kpi(page, "paying_customers")).ToHaveTextAsync("2");
        // Visitors with a page view: alice, bob and one anonymous visitor.
        await Expect(Kpi(page, "uv")).ToHaveTextAsync("3");

        // The API answers the same for the same range.
        var overview = await app.Client.GetFromJsonAsync<System.Text.Json.JsonElement>(
            "/api/v1/analytics/overview?from=2026-10-22&to=2026-11-20");
        Assert.Equal(1499.50m, overview.GetProperty("gmv").GetProperty("current").GetDecimal());
        Assert.Equal(3, overview.GetProperty("paid_orders").GetProperty("current").GetInt64());
        Assert.Equal(3, overview.GetProperty("uv").GetProperty("current").GetInt64());
        Assert.Equal(2, overview.GetProperty("paying_customers").GetProperty("current").GetInt64());
        Assert.True(browser.Errors.Count == 0, string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task LanguageSwitch_ChangesEveryLabelAndStaysChosen()
    {
        await using var app = await StartShopAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(app.BaseAddress + "login");
        await SignInAsync(page);

        // The workspace's locale is zh-CN, so that is what a browser without a choice sees.
        await Expect(page.Locator("h4")).ToHaveTextAsync("概览");
        await page.GetByTestId("language-switch").ClickAsync();
        await page.GetByText("English").ClickAsync();
        await Expect(page.Locator("h4")).ToHaveTextAsync("Overview");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Customers" })).ToBeVisibleAsync();

        // The choice is kept by the browser: a new visit is still in English.
        await page.GotoAsync(app.BaseAddress + "customers");
        await Expect(page.Locator("h4")).ToHaveTextAsync("Customers");
        Assert.True(browser.Errors.Count == 0, string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task CustomerPage_ShowsAttributesTraitsTimelineAndOrders()
    {
        await using var app = await StartShopAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(app.BaseAddress + "login");
        await SignInAsync(page);

        await page.GotoAsync(app.BaseAddress + "customers");
        await page.GetByTestId("customer-search").FillAsync("Alice");
        // The search runs after a pause in typing: let it finish (Bob is filtered out) before leaving the page, so no
        // answer arrives for a list that is gone.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "bob" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "alice" }).ClickAsync();

        await Expect(page.GetByTestId("customer-name")).ToHaveTextAsync("Alice Wang");
        // Alice paid ¥199.00 and ¥1,000.50.
        await Expect(page.GetByTestId("trait-paid-orders")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("trait-gmv")).ToHaveTextAsync("¥1,199.50");
        // Her timeline has her page view and her orders' events, newest first, in Chinese.
        await Expect(page.GetByTestId("customer-timeline")).ToContainTextAsync("支付订单");
        await Expect(page.GetByTestId("customer-timeline")).ToContainTextAsync("浏览页面");
        Assert.True(browser.Errors.Count == 0, string.Join("\n", browser.Errors));
    }

    private static ILocator Kpi(IPage page, string name) => page.GetByTestId("kpi-" + name).GetByTestId("kpi-value");

    /// <summary>Fills in and sends the sign-in page that is open, and waits until the browser has left it.</summary>
    internal static async Task SignInAsync(IPage page, string email = FlywheelApp.AdminEmail, string password = FlywheelApp.AdminPassword)
    {
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }

    /// <summary>A small shop: two customers with orders, an anonymous visitor, a cancelled order.</summary>
    private static async Task<FlywheelApp> StartShopAsync()
    {
        var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        await Ok(app.PostJsonAsync("/api/v1/customers", new { external_id = "alice", name = "Alice Wang", city = "上海", gender = "female" }));
        await Ok(app.PostJsonAsync("/api/v1/customers", new { external_id = "bob", name = "Bob Li", city = "杭州" }));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o1", "alice", 199.00m, Now.AddDays(-20))));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o2", "alice", 1000.50m, Now.AddDays(-3))));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o3", "bob", 300.00m, Now.AddDays(-1))));
        await Ok(app.PostJsonAsync("/api/v1/orders", Order("o4", "bob", 5000.00m, Now.AddDays(-2), "cancelled")));
        await Ok(app.PostEventsAsync(
            PageView("alice", null, Now.AddDays(-3)),
            PageView("bob", null, Now.AddDays(-1)),
            PageView(null, "anon-1", Now.AddHours(-2))));
        return app;
    }

    private static object PageView(string? customer, string? anonymous, DateTimeOffset at) => new
    {
        type = "page_view",
        event_id = Guid.NewGuid().ToString("N"),
        customer_id = customer,
        anonymous_id = anonymous,
        timestamp = at.ToString("O", CultureInfo.InvariantCulture),
        properties = new { url = "https://shop.example/", path = "/" },
    };

    private static object Order(string id, string customer, decimal total, DateTimeOffset at, string status = "paid") => new
    {
        order_id = id,
        customer_id = customer,
        status,
        lines = new[] { new { sku = "SKU-1", name = "Coffee beans", category = "food", quantity = 1, price = total } },
        total,
        placed_at = at.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture),
        paid_at = status == "paid" ? at.ToString("O", CultureInfo.InvariantCulture) : null,
        cancelled_at = status == "cancelled" ? at.ToString("O", CultureInfo.InvariantCulture) : null,
    };

    private static async Task Ok(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
