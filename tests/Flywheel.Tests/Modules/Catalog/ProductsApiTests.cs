using System.Net;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Modules.Catalog;

public sealed class ProductsApiTests
{
    private static object Serum(decimal price = 99.50m) => new
    {
        sku = "SERUM-1",
        name = "Vitamin C serum",
        category_path = "beauty>skincare > serum",
        brand = "Acme",
        price,
        cost = 40m,
        stock = 12,
        tags = new[] { "new", "hot" },
    };

    [Fact]
    public async Task Post_SameProductTwice_CreatesOnceAndAuditsOnce()
    {
        await using var app = await FlywheelApp.StartAsync();

        var first = await app.PostJsonAsync("/api/v1/products", Serum());
        var second = await app.PostJsonAsync("/api/v1/products", Serum());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var product = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/products/SERUM-1"));
        Assert.Equal(99.50m, product.GetProperty("price").GetDecimal());
        Assert.Equal("beauty > skincare > serum", product.GetProperty("category_path").GetString());
        Assert.Equal(["new", "hot"], product.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var audit = await db.AuditLog.Where(a => a.EntityType == "product" && a.EntityId == "SERUM-1").ToListAsync();
        Assert.Equal(["created"], audit.Select(a => a.Action));
    }

    [Fact]
    public async Task Update_ChangesPrice_AndAuditsBeforeAndAfter()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostJsonAsync("/api/v1/products", Serum());

        var response = await app.PostJsonAsync("/api/v1/products", Serum(89.90m));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(89.90m, (await FlywheelApp.ReadJsonAsync(response)).GetProperty("price").GetDecimal());
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var update = await db.AuditLog.SingleAsync(a => a.EntityType == "product" && a.Action == "updated");
        Assert.Contains("99.5", update.Before, StringComparison.Ordinal);
        Assert.Contains("89.9", update.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Price_WithThreeDecimals_IsRefusedWithAFieldError()
    {
        await using var app = await FlywheelApp.StartAsync();

        var response = await app.PostJsonAsync("/api/v1/products", Serum(99.505m));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await FlywheelApp.ReadJsonAsync(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty("price", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/products/SERUM-1")).StatusCode);
    }

    [Fact]
    public async Task List_PagesThroughEveryProductOnce()
    {
        await using var app = await FlywheelApp.StartAsync();
        // 7 products in pages of 3: pages of 3, 3 and 1.
        for (var i = 1; i <= 7; i++)
        {
            await app.PostJsonAsync("/api/v1/products", new { sku = $"P{i:00}", name = $"Product {i}", price = i, category_path = i % 2 == 0 ? "home" : "food" });
        }

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/products?limit=3&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("sku").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"P{i:00}"), seen);
        var home = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/products?category=home"));
        Assert.Equal(["P02", "P04", "P06"], home.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("sku").GetString()));
    }

    [Fact]
    public async Task IdempotencyKey_SameRequest_ReplaysTheFirstAnswer()
    {
        await using var app = await FlywheelApp.StartAsync();

        var first = await app.PostJsonAsync("/api/v1/products", Serum(), "key-1");
        var replay = await app.PostJsonAsync("/api/v1/products", Serum(), "key-1");

        // A replay answers exactly as the first time (201, not the 200 of a second upsert).
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task IdempotencyKey_ReusedWithADifferentBody_Is422AndChangesNothing()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostJsonAsync("/api/v1/products", Serum(), "key-1");

        var response = await app.PostJsonAsync("/api/v1/products", Serum(1m), "key-1");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var product = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/products/SERUM-1"));
        Assert.Equal(99.50m, product.GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task CsvImport_WithABadRow_ImportsTheOthersAndReportsTheRow()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostJsonAsync("/api/v1/products", new { sku = "B", name = "Before", price = 5m });
        const string csv = """
            sku,name,category_path,brand,price,cost,stock,tags
            A,Serum,beauty > skincare,Acme,99.50,40,10,new|hot
            B,Cream,beauty,Acme,12.345,,5,
            C,Soap,home,,3,,1,
            """;

        var report = await app.ImportCsvAsync("products", csv);

        Assert.Equal(3, report.GetProperty("rows").GetInt32());
        Assert.Equal(1, report.GetProperty("rejected_rows").GetInt32());
        Assert.Equal(2, report.GetProperty("created").GetInt32());
        var error = report.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(3, error.GetProperty("row").GetInt32());
        Assert.Equal("price", error.GetProperty("column").GetString());
        var b = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/products/B"));
        Assert.Equal("Before", b.GetProperty("name").GetString());
        Assert.Equal(5m, b.GetProperty("price").GetDecimal());
        var a = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/products/A"));
        Assert.Equal(["new", "hot"], a.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task CsvImport_Twice_LeavesTheSameState()
    {
        await using var app = await FlywheelApp.StartAsync();
        const string csv = "sku,name,price,stock\nA,Serum,99.50,10\nC,Soap,3,1\n";

        await app.ImportCsvAsync("products", csv);
        var before = await app.Client.GetStringAsync("/api/v1/products");
        var second = await app.ImportCsvAsync("products", csv);
        var after = await app.Client.GetStringAsync("/api/v1/products");

        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(0, second.GetProperty("updated").GetInt32());
        Assert.Equal(2, second.GetProperty("unchanged").GetInt32());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task CsvImport_WithAnUnknownColumn_IsRefusedWhole()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var content = new StringContent("sku,name,prise\nA,Serum,1\n", System.Text.Encoding.UTF8, "text/csv");

        var response = await app.Client.PostAsync("/api/v1/imports/products", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/products/A")).StatusCode);
    }

    [Fact]
    public async Task OtherWorkspace_CannotSeeTheProduct()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostJsonAsync("/api/v1/products", Serum());
        using var other = await app.CreateWorkspaceClientAsync("Other shop");

        var get = await other.GetAsync("/api/v1/products/SERUM-1");
        var list = await FlywheelApp.ReadJsonAsync(await other.GetAsync("/api/v1/products"));
        var delete = await other.DeleteAsync("/api/v1/products/SERUM-1");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/api/v1/products/SERUM-1")).StatusCode);
    }
}
