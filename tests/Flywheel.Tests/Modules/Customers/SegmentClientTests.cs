using System.Text.Json;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Customers;

/// <summary>
/// The unmodified npm package @segment/analytics-node (tests/segment-client) sends to a running Flywheel; what it
/// sent must arrive with Flywheel's types, properties and context. Needs node and `npm ci` in tests/segment-client:
/// skipped without them, except in CI (CI=true), where that is a failure.
/// </summary>
public sealed class SegmentClientTests
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SegmentNodeLibrary_Events_ArriveWithFlywheelTypesPropertiesAndContext()
    {
        var scriptDir = Path.Combine(ChildProcess.RepositoryRoot(), "tests", "segment-client");
        var node = ChildProcess.FindOnPath("node");
        var missing = node is null
            ? "node is not on PATH"
            : !Directory.Exists(Path.Combine(scriptDir, "node_modules", "@segment", "analytics-node"))
                ? $"{scriptDir}/node_modules is missing (run `npm ci` there)"
                : null;
        if (missing is not null)
        {
            Assert.False(ChildProcess.IsCi, $"CI=true but {missing}.");
            Assert.Skip($"Segment client test skipped: {missing}.");
        }

        await using var app = await FlywheelApp.StartAsync();
        const string userId = "seg-node-1";
        var run = await ChildProcess.RunAsync(node!, ["send.mjs", app.BaseAddress.ToString().TrimEnd('/'), app.PublicKey, userId], scriptDir, NodeTimeout);
        Assert.True(run.ExitCode == 0, $"node send.mjs exited with {run.ExitCode}:\n{run.Output}");

        var timeline = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/customers/{userId}/events"));
        var events = timeline.GetProperty("items").EnumerateArray().ToDictionary(e => e.GetProperty("type").GetString()!);
        Assert.Equal(["identify", "order_paid", "page_view", "product_view"], events.Keys.Order(StringComparer.Ordinal));
        foreach (var e in events.Values)
        {
            Assert.Equal("seg-node-1-anon", e.GetProperty("anonymous_id").GetString());
            Assert.StartsWith("node-next-", e.GetProperty("event_id").GetString(), StringComparison.Ordinal);
            var c = e.GetProperty("context");
            Assert.Equal("wechat", c.GetProperty("utm_source").GetString());
            Assert.Equal("social", c.GetProperty("utm_medium").GetString());
            Assert.Equal("double11", c.GetProperty("utm_campaign").GetString());
            Assert.Equal("banner", c.GetProperty("utm_content").GetString());
            Assert.Equal("face cream", c.GetProperty("utm_term").GetString());
            Assert.Equal("https://shop.example/products/P-100", c.GetProperty("url").GetString());
            Assert.Equal("https://search.example/?q=cream", c.GetProperty("referrer").GetString());
            Assert.Equal("mobile", c.GetProperty("device").GetString());
            Assert.Equal("198.51.100.23", c.GetProperty("ip").GetString());
            Assert.Equal("Mozilla/5.0 (segment-client check)", c.GetProperty("user_agent").GetString());
        }

        Assert.Equal("Hangzhou", events["identify"].GetProperty("properties").GetProperty("city").GetString());
        var page = events["page_view"].GetProperty("properties");
        Assert.Equal("Face cream", page.GetProperty("name").GetString());
        Assert.Equal("/products/P-100", page.GetProperty("path").GetString());

        var product = events["product_view"].GetProperty("properties");
        Assert.Equal("P-100", product.GetProperty("sku").GetString());
        Assert.Equal("beauty", product.GetProperty("category").GetString());
        Assert.Equal("Acme", product.GetProperty("brand").GetString());
        Assert.Equal(129.9m, product.GetProperty("price").GetDecimal());

        var order = events["order_paid"].GetProperty("properties");
        Assert.Equal("seg-node-1-order-1", order.GetProperty("order_id").GetString());
        Assert.Equal(269.8m, order.GetProperty("amount").GetDecimal());
        Assert.Equal("CNY", order.GetProperty("currency").GetString());
        Assert.Equal("DOUBLE11", order.GetProperty("coupon").GetString());
        Assert.Equal("beauty", order.GetProperty("category").GetString());
        var line = Assert.Single(order.GetProperty("lines").EnumerateArray());
        Assert.Equal("SKU-100", line.GetProperty("sku").GetString());
        Assert.Equal(2, line.GetProperty("quantity").GetInt32());
        Assert.Equal(129.9m, line.GetProperty("price").GetDecimal());
        Assert.Equal(JsonValueKind.Undefined, order.TryGetProperty("products", out var p) ? p.ValueKind : JsonValueKind.Undefined);
    }
}
