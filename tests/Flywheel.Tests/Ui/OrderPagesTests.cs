using Bunit;
using Bunit.TestDoubles;
using Flywheel.Ui.Pages.Orders;
using Flywheel.Ui.Pages.Products;

namespace Flywheel.Tests.Ui;

public sealed class OrderPagesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    // The example of docs/catalog-and-orders.md, in US dollars: 2 × 99.50 + 10.00 = 209.00;
    // 209.00 − 20.00 + 8.00 = 197.00; after a 97.00 refund 100.00 remains.
    private static object Order(string id, string currency) => new
    {
        order_id = id,
        customer_id = "c-1",
        status = "paid",
        currency,
        lines = new object[]
        {
            new { sku = "SERUM-1", name = "Serum", category = "beauty", quantity = 2, price = 99.50m },
            new { sku = "SOAP", name = "Soap", category = "home", quantity = 1, price = 10.00m },
        },
        discount = 20.00m,
        shipping = 8.00m,
        total = 197.00m,
        coupon = "SAVE20",
        channel = "app",
        payment_method = "alipay",
        placed_at = "2026-11-11T10:00:00+08:00",
    };

    [Fact]
    public async Task OrderPage_ShowsAmountsInTheOrdersOwnCurrency_WithRefundsAndLines()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        (await console.App.PostJsonAsync("/api/v1/orders", Order("o-1001", "USD"))).EnsureSuccessStatusCode();
        (await console.App.PostJsonAsync("/api/v1/orders/o-1001/refunds", new { refund_id = "r-1", amount = 97.00m, reason = "damaged" })).EnsureSuccessStatusCode();
        await console.SignInAsOwnerAsync();

        var page = console.Render<OrderDetail>("o-1001");
        page.WaitForAssertion(() => page.Find("[data-testid=order-total]"), Wait);

        // The workspace's currency is CNY (¥); the order's is USD.
        Assert.Equal("$197.00", page.Find("[data-testid=order-total]").TextContent.Trim());
        Assert.Equal("$97.00", page.Find("[data-testid=order-refunded]").TextContent.Trim());
        Assert.Equal("$100.00", page.Find("[data-testid=order-net]").TextContent.Trim());
        Assert.Equal("Partly refunded", page.Find("[data-testid=order-status]").TextContent.Trim());
        Assert.Equal("customers/c-1", page.Find("[data-testid=order-customer]").GetAttribute("href"));
        Assert.Equal(2, page.FindAll("[data-testid=order-lines] tbody tr").Count);
        Assert.Contains("damaged", page.Find("[data-testid=order-refunds]").TextContent, StringComparison.Ordinal);
        // 10:00 in Shanghai, the workspace's zone, is how the order was placed.
        Assert.Contains("2026-11-11 10:00", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderPage_ForAnUnknownOrder_SaysSo()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();

        var page = console.Render<OrderDetail>("nope");

        page.WaitForAssertion(() => page.Find("[data-testid=order-missing]"), Wait);
    }

    [Fact]
    public async Task OrderList_ClickingARow_OpensTheOrder()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        (await console.App.PostJsonAsync("/api/v1/orders", Order("o-1", "CNY"))).EnsureSuccessStatusCode();
        (await console.App.PostJsonAsync("/api/v1/orders", Order("o-2", "CNY"))).EnsureSuccessStatusCode();
        await console.SignInAsOwnerAsync();

        var page = console.Render<OrderList>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=order-table] tbody tr").Count), Wait);
        Assert.Equal("¥197.00", page.FindAll("[data-testid=order-table] tbody tr")[0].QuerySelectorAll("td")[4].TextContent.Trim());

        await page.InvokeAsync(() => page.FindAll("[data-testid=order-table] tbody tr")[1].Click());

        // The table handles the click asynchronously: wait for the navigation rather than expect it at once.
        page.WaitForAssertion(
            () => Assert.EndsWith("/orders/o-2", ((BunitNavigationManager)console.Navigation).Uri, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task ProductList_FiltersByCategory_IncludingSubcategories()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        (await console.App.PostJsonAsync("/api/v1/products", new { sku = "SERUM-1", name = "Vitamin C serum", category_path = "beauty > skincare", brand = "Acme", price = 99.50m, stock = 12 })).EnsureSuccessStatusCode();
        (await console.App.PostJsonAsync("/api/v1/products", new { sku = "SOAP", name = "Soap", category_path = "home", price = 10m })).EnsureSuccessStatusCode();
        await console.SignInAsOwnerAsync();

        var page = console.Render<ProductList>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=product-table] tbody tr").Count), Wait);
        Assert.Equal("¥99.50", page.FindAll("[data-testid=product-price]")[0].TextContent.Trim());

        ConsoleTest.Input(page, "product-category").Input("beauty");

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("[data-testid=product-table] tbody tr");
            Assert.Single(rows);
            Assert.Contains("SERUM-1", rows[0].TextContent, StringComparison.Ordinal);
        }, Wait);
    }
}
