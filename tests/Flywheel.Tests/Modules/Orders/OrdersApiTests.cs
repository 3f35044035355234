using System.Net;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Modules.Orders;

public sealed class OrdersApiTests
{
    private const string Stats = "/api/v1/events/stats?from=2026-11-10T00:00:00Z&to=2026-11-12T00:00:00Z";

    // 2 × 99.50 + 1 × 10.00 = 209.00 subtotal; 209.00 − 20.00 discount + 8.00 shipping = 197.00.
    private static object Order(string id = "o-1", decimal total = 197.00m, string status = "paid") => new
    {
        order_id = id,
        customer_id = "c-1",
        status,
        currency = "CNY",
        lines = new object[]
        {
            new { sku = "SERUM", name = "Serum", category = "beauty", brand = "Acme", quantity = 2, price = 99.50m },
            new { sku = "SOAP", name = "Soap", category = "home", quantity = 1, price = 10.00m },
        },
        discount = 20.00m,
        shipping = 8.00m,
        total,
        coupon = "SAVE20",
        channel = "app",
        payment_method = "alipay",
        placed_at = "2026-11-11T10:00:00+08:00",
        paid_at = status == "paid" ? "2026-11-11T10:05:00+08:00" : null,
    };

    [Fact]
    public async Task Post_StoresTheOrder_WithItsMainCategory_AndAuditsIt()
    {
        await using var app = await FlywheelApp.StartAsync();

        var response = await app.PostJsonAsync("/api/v1/orders", Order());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/orders/o-1"));
        Assert.Equal(209.00m, order.GetProperty("subtotal").GetDecimal());
        Assert.Equal(197.00m, order.GetProperty("total").GetDecimal());
        Assert.Equal("paid", order.GetProperty("status").GetString());
        // beauty: 2 × 99.50 = 199.00 is the largest line.
        Assert.Equal("beauty", order.GetProperty("category").GetString());
        Assert.Equal("api", order.GetProperty("source").GetString());
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.EntityType == "order" && a.EntityId == "o-1" && a.Action == "created"));
    }

    [Fact]
    public async Task Total_ThatDoesNotAddUp_IsRefusedWithAFieldError()
    {
        await using var app = await FlywheelApp.StartAsync();

        var response = await app.PostJsonAsync("/api/v1/orders", Order(total: 207.00m));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors");
        Assert.Contains("197.00", errors.GetProperty("total")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/orders/o-1")).StatusCode);
    }

    [Fact]
    public async Task Refunds_AreIdempotentByRefundId_AndNeverExceedThePaidTotal()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostJsonAsync("/api/v1/orders", Order());
        var refund = new { refund_id = "r-1", amount = 97.00m, reason = "damaged", refunded_at = "2026-11-11T12:00:00+08:00" };

        var first = await app.PostJsonAsync("/api/v1/orders/o-1/refunds", refund);
        var again = await app.PostJsonAsync("/api/v1/orders/o-1/refunds", refund);
        // 97.00 refunded of 197.00 leaves 100.00; 100.01 is one fen too many.
        var tooMuch = await app.PostJsonAsync("/api/v1/orders/o-1/refunds", new { refund_id = "r-2", amount = 100.01m });
        var rest = await app.PostJsonAsync("/api/v1/orders/o-1/refunds", new { refund_id = "r-3", amount = 100.00m });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("partially_refunded", (await FlywheelApp.ReadJsonAsync(first)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.True((await FlywheelApp.ReadJsonAsync(tooMuch)).GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        var order = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/orders/o-1"));
        Assert.Equal("refunded", order.GetProperty("status").GetString());
        Assert.Equal(197.00m, order.GetProperty("refunded").GetDecimal());
        Assert.Equal(2, order.GetProperty("refunds").GetArrayLength());
    }

    [Fact]
    public async Task OrderViaApi_ThenTheSameOrderPaidEvent_CountsOnce()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostJsonAsync("/api/v1/orders", Order());

        var ingest = await FlywheelApp.ReadJsonAsync(await app.PostEventsAsync(new
        {
            event_id = "shop-evt-99",
            type = "order_paid",
            customer_id = "c-1",
            timestamp = "2026-11-11T10:05:00+08:00",
            properties = new { order_id = "o-1", amount = 197.00m, currency = "CNY" },
        }));

        Assert.Equal(1, ingest.GetProperty("duplicates").GetInt32());
        var stats = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(Stats));
        Assert.Equal(1, stats.GetProperty("by_type").GetProperty("order_paid").GetInt64());
        Assert.Equal(1, stats.GetProperty("by_type").GetProperty("order_placed").GetInt64());
        var orders = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/orders?customer_id=c-1"));
        Assert.Equal(1, orders.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task OrderOnlyAsAnEvent_AppearsInTheOrdersApi()
    {
        await using var app = await FlywheelApp.StartAsync();

        await app.PostEventsAsync(new
        {
            event_id = "evt-1",
            type = "order_paid",
            customer_id = "c-9",
            timestamp = "2026-11-11T10:05:00+08:00",
            properties = new
            {
                order_id = "o-ev",
                amount = 197.00m,
                currency = "CNY",
                shipping = 8.00m,
                lines = new object[] { new { sku = "SERUM", category = "beauty", quantity = 2, price = 99.50m }, new { sku = "SOAP", category = "home", quantity = 1, price = 10.00m } },
            },
            context = new { channel = "mini_program" },
        });

        var order = await app.WaitForAsync("/api/v1/orders/o-ev");
        Assert.Equal("event", order.GetProperty("source").GetString());
        Assert.Equal("paid", order.GetProperty("status").GetString());
        Assert.Equal(197.00m, order.GetProperty("total").GetDecimal());
        // Lines 209.00 + shipping 8.00 − total 197.00 leaves a discount of 20.00.
        Assert.Equal(20.00m, order.GetProperty("discount").GetDecimal());
        Assert.Equal("mini_program", order.GetProperty("channel").GetString());
        Assert.Equal("c-9", order.GetProperty("customer_id").GetString());
    }

    [Fact]
    public async Task EventOrder_ThenTheApiSendsIt_IsStillOneOrder()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostEventsAsync(new
        {
            event_id = "evt-1",
            type = "order_placed",
            customer_id = "c-1",
            timestamp = "2026-11-11T10:00:00+08:00",
            properties = new { order_id = "o-1", amount = 197.00m },
        });
        await app.WaitForAsync("/api/v1/orders/o-1");

        var response = await app.PostJsonAsync("/api/v1/orders", Order());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var orders = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/orders"));
        Assert.Equal(1, orders.GetProperty("items").GetArrayLength());
        Assert.Equal("paid", orders.GetProperty("items")[0].GetProperty("status").GetString());
        var stats = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(Stats));
        Assert.Equal(1, stats.GetProperty("by_type").GetProperty("order_placed").GetInt64());
        Assert.Equal(1, stats.GetProperty("by_type").GetProperty("order_paid").GetInt64());
    }

    [Fact]
    public async Task List_PagesByOrderId()
    {
        await using var app = await FlywheelApp.StartAsync();
        foreach (var id in new[] { "o-1", "o-2", "o-3", "o-4", "o-5" })
        {
            await app.PostJsonAsync("/api/v1/orders", Order(id));
        }

        var first = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/orders?limit=2"));
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/orders?limit=2&cursor={cursor}"));
        var third = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/orders?limit=2&cursor={second.GetProperty("next_cursor").GetString()}"));

        var ids = new[] { first, second, third }.SelectMany(p => p.GetProperty("items").EnumerateArray()).Select(o => o.GetProperty("order_id").GetString());
        Assert.Equal(["o-1", "o-2", "o-3", "o-4", "o-5"], ids);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, third.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task CsvImport_OneRowPerLine_RejectsAWholeOrderForABadRow_AndTwiceIsTheSame()
    {
        await using var app = await FlywheelApp.StartAsync();
        const string csv = """
            order_id,customer_id,status,placed_at,paid_at,discount,shipping,total,sku,name,category,quantity,price
            o-1,c-1,paid,2026-11-11T10:00:00+08:00,2026-11-11T10:05:00+08:00,20,8,197.00,SERUM,Serum,beauty,2,99.50
            o-1,,,,,,,,SOAP,Soap,home,1,10.00
            o-2,c-2,placed,2026-11-11T11:00:00+08:00,,,,30.00,MASK,Mask,beauty,3,10.005
            o-2,,,,,,,,SOAP,Soap,home,1,0
            """;

        var report = await app.ImportCsvAsync("orders", csv);
        var again = await app.ImportCsvAsync("orders", csv);

        Assert.Equal(1, report.GetProperty("created").GetInt32());
        Assert.Equal(2, report.GetProperty("rejected_rows").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(4, errors[0].GetProperty("row").GetInt32());
        Assert.Equal("price", errors[0].GetProperty("column").GetString());
        Assert.Equal(5, errors[1].GetProperty("row").GetInt32());
        var order = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/orders/o-1"));
        Assert.Equal(197.00m, order.GetProperty("total").GetDecimal());
        Assert.Equal(2, order.GetProperty("lines").GetArrayLength());
        Assert.Equal("import", order.GetProperty("source").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/orders/o-2")).StatusCode);
        Assert.Equal(1, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, again.GetProperty("created").GetInt32() + again.GetProperty("updated").GetInt32());
        var stats = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(Stats));
        Assert.Equal(1, stats.GetProperty("by_type").GetProperty("order_paid").GetInt64());
    }

    [Fact]
    public async Task OtherWorkspace_CannotSeeOrRefundTheOrder()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostJsonAsync("/api/v1/orders", Order());
        using var other = await app.CreateWorkspaceClientAsync("Other shop");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/orders/o-1")).StatusCode);
        var refund = await other.PostAsJsonAsync("/api/v1/orders/o-1/refunds", new { refund_id = "r", amount = 1m });
        Assert.Equal(HttpStatusCode.NotFound, refund.StatusCode);
    }
}
