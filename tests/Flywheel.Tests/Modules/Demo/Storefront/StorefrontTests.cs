using System.Net;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Demo.Storefront;

/// <summary>The demo storefront's server side; its tracking runs in a browser in Browser/TrackingScriptBrowserTests.</summary>
public sealed class StorefrontTests
{
    [Fact]
    public async Task Storefront_WithoutDemoMode_IsNotServed()
    {
        await using var app = await FlywheelApp.StartAsync();

        var response = await app.CreateClient().GetAsync("/shop");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Storefront_InDemoMode_ListsTheCatalogue_WithTheTrackingScriptAndPublicKey()
    {
        await using var app = await FlywheelApp.StartAsync(new Dictionary<string, string?> { ["Flywheel:Demo"] = "true" });
        (await app.PostJsonAsync("/api/v1/products", new { sku = "TEA-1", name = "Green tea", price = 35.5m })).EnsureSuccessStatusCode();
        (await app.PostJsonAsync("/api/v1/products", new { sku = "MUG-1", name = "Mug", price = 20 })).EnsureSuccessStatusCode();

        var home = await app.CreateClient().GetStringAsync("/shop");
        var search = await app.CreateClient().GetStringAsync("/shop?q=tea");

        Assert.Contains($"<script src=\"/sdk/flywheel.js\" data-key=\"{app.PublicKey}\" async></script>", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/shop/p/TEA-1\"", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/shop/p/MUG-1\"", home, StringComparison.Ordinal);
        Assert.Contains("35.50 CNY", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/shop/p/TEA-1\"", search, StringComparison.Ordinal);
        Assert.DoesNotContain("/shop/p/MUG-1", search, StringComparison.Ordinal);
        Assert.Contains("flywheel.track('search', {\"query\":\"tea\",\"results\":1});", search, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storefront_SearchText_CannotInjectMarkupOrScript()
    {
        await using var app = await FlywheelApp.StartAsync(new Dictionary<string, string?> { ["Flywheel:Demo"] = "true" });

        var page = await app.CreateClient().GetStringAsync("/shop?q=" + Uri.EscapeDataString("</script><script>alert(1)</script>"));

        Assert.DoesNotContain("<script>alert(1)", page, StringComparison.Ordinal);
        Assert.DoesNotContain("</script><script>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Product_Unknown_Is404()
    {
        await using var app = await FlywheelApp.StartAsync(new Dictionary<string, string?> { ["Flywheel:Demo"] = "true" });

        var response = await app.CreateClient().GetAsync("/shop/p/NOPE");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
