using System.Net;
using Flywheel.Modules.Promotions.FlashSales;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.FlashSales;

/// <summary>
/// Flash sales through HTTP: the session's window and limits, the flash price in checkout's one pricing pipeline with a
/// coupon on top, units that lapse and are sold again, a restart, bad input and the audit log. Amounts in yuan.
/// </summary>
public sealed class FlashSaleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TheFlashPrice_IsAnItemPriceInCheckout_ThatACouponCombinesWith_AndTheOrderSpendsTheUnit()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 5, price: 80, combinesWith: ["order"]));
        var template = (await app.CreateTemplateAsync(new { name = "¥10 off", @class = "order", reward = new { kind = "amount_off", amount = 10 }, combines_with = new[] { "item" } }))
            .GetProperty("id").GetString()!;
        var code = await app.ClaimAsync(template, "c1");

        // Without an attempt won, tea costs its list price: 100 − 10 (the coupon) = 90.
        Assert.Equal(90m, (await app.QuoteAsync(PromotionsClient.Cart("c1", 100, 1, code))).GetProperty("payable").GetDecimal());
        var attempt = await app.WinAsync(sale, "c1", "grab-1");
        // With one unit won: the flash price 80, then the coupon: 80 − 10 = 70.
        var quote = await app.QuoteAsync(PromotionsClient.Cart("c1", 100, 1, code));
        Assert.Equal(70m, quote.GetProperty("payable").GetDecimal());
        var flash = CheckoutTests.Outcome(quote, FlashSaleKeys.PromotionId(sale, "tea"));
        Assert.True(flash.GetProperty("applied").GetBoolean());
        Assert.Equal(20m, flash.GetProperty("amount").GetDecimal());
        // Two units in the cart but one won: no flash price for the line (200 − 10 = 190).
        Assert.Equal(190m, (await app.QuoteAsync(PromotionsClient.Cart("c1", 100, 2, code))).GetProperty("payable").GetDecimal());
        // Another customer has won nothing: 100.
        Assert.Equal(100m, (await app.QuoteAsync(PromotionsClient.Cart("c2", 100))).GetProperty("payable").GetDecimal());

        var checkout = await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c1", 100, 1, code), "pay-1"));
        Assert.Equal(70m, checkout.GetProperty("quote").GetProperty("payable").GetDecimal());
        Assert.Equal((1L, 0L, 4L, 1L), await app.TeaAsync(sale));
        Assert.Equal(HttpStatusCode.OK, (await app.CommitAsync(checkout.GetProperty("id").GetString()!)).StatusCode);
        // The checkout's commit sold the unit: held 0, sold 1, left 5 − 1 = 4; the attempt is committed with the order.
        Assert.Equal((0L, 1L, 4L, 1L), await app.TeaAsync(sale));
        Assert.Equal("committed", (await app.GetJsonAsync($"/api/v1/flash-sales/attempts/{attempt}")).GetProperty("state").GetString());
        Assert.Equal("redeemed", (await app.GetJsonAsync($"/api/v1/coupons?template_id={template}")).GetProperty("items")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task ACheckoutPricedWithUnitsReleasedMeanwhile_IsNotCommitted_AndSpendsNothing()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 1, combinesWith: ["order"]));
        var attempt = await app.WinAsync(sale, "c1", "grab");
        var checkout = (await PromotionsClient.CreatedAsync(await app.ReserveAsync(PromotionsClient.Cart("c1", 100), "pay"))).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/api/v1/flash-sales/attempts/{attempt}/release", null)).StatusCode);
        // The unit went back, so an order priced at 80 for it must not be paid: refused, and nothing sold.
        Assert.Contains("flash-sale units", await FlashSalesClient.DetailAsync(await app.CommitAsync(checkout)), StringComparison.Ordinal);
        Assert.Equal((0L, 0L, 1L, 1L), await app.TeaAsync(sale));
        Assert.Equal("held", (await app.GetJsonAsync($"/api/v1/checkout/{checkout}")).GetProperty("state").GetString());
        // Another buyer wins the returned unit.
        await app.WinAsync(sale, "c2", "grab-2");
    }

    [Fact]
    public async Task UnpaidUnits_ExpireAndAreSoldAgain_ToTheBuyersStillTrying()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await CheckoutTests.StartAsync(clock);
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 3, paymentSeconds: 60));
        var first = new[] { await app.WinAsync(sale, "c1", "a1"), await app.WinAsync(sale, "c2", "a2"), await app.WinAsync(sale, "c3", "a3") };
        Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c4", "a4")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/api/v1/flash-sales/attempts/{first[0]}/commit", null)).StatusCode);

        // c2 and c3 do not pay within 60 s: the sweep returns their units to the ledger, the gate keeper to the gate.
        clock.Advance(TimeSpan.FromSeconds(60));
        await app.Services.GetRequiredService<HoldSweeper>().SweepAsync(CancellationToken.None);
        await app.Services.GetRequiredService<FlashSaleGateKeeper>().RestoreAsync(CancellationToken.None);
        Assert.Equal((0L, 1L, 2L, 4L), await app.TeaAsync(sale));
        // 3 − 1 sold = 2 units for c4, c5 and c6: two win, one is told it is sold out.
        var again = await Task.WhenAll(new[] { "c4", "c5", "c6" }.Select(c => app.AttemptAsync(sale, c, "b-" + c)));
        Assert.Equal(2, again.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal("expired", (await app.GetJsonAsync($"/api/v1/flash-sales/attempts/{first[1]}")).GetProperty("state").GetString());
        Assert.Contains("payment window", await FlashSalesClient.DetailAsync(await app.Client.PostAsync($"/api/v1/flash-sales/attempts/{first[1]}/commit", null)),
            StringComparison.Ordinal);
        Assert.Equal((2L, 1L, 0L, 7L), await app.TeaAsync(sale));
    }

    [Fact]
    public async Task ARestart_KeepsTheCounts_AndSellsOnlyWhatIsLeft()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 4));
        var paid = await app.WinAsync(sale, "c1", "a1");
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/api/v1/flash-sales/attempts/{paid}/commit", null)).StatusCode);
        var held = await app.WinAsync(sale, "c2", "a2");
        await app.RestartAsync();

        // Sold 1, held 1: 4 − 2 = 2 left, whatever the new process's gate started from.
        Assert.Equal(1L, (await app.TeaAsync(sale)).Sold);
        Assert.Equal(1L, (await app.TeaAsync(sale)).Held);
        var results = await Task.WhenAll(Enumerable.Range(3, 5).Select(i => app.AttemptAsync(sale, $"c{i}", $"a{i}")));
        Assert.Equal(2, results.Count(r => r.StatusCode == HttpStatusCode.Created));
        // The key still finds the unit held before the restart, and it is paid for by the new process.
        var replay = await app.AttemptAsync(sale, "c2", "a2");
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(held, (await FlywheelApp.ReadJsonAsync(replay)).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/api/v1/flash-sales/attempts/{held}/commit", null)).StatusCode);
        Assert.Equal((2L, 2L, 0L), await TrioAsync(app, sale));
    }

    [Fact]
    public async Task TheWindowAndTheLimit_AreKept_AndReleasingReturnsTheUnitOnce()
    {
        var clock = new FakeTimeProvider(Start.AddMinutes(-5));
        await using var app = await CheckoutTests.StartAsync(clock);
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 10, perCustomer: 2));
        Assert.Contains("not now", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c1", "early")), StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromMinutes(5));

        var won = await app.WinAsync(sale, "c1", "k1", quantity: 2);
        Assert.Contains("the most allowed", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c1", "k2")), StringComparison.Ordinal);
        // Released twice: the two units return once (10 − 0 = 10 left), and the customer may try again.
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/api/v1/flash-sales/attempts/{won}/release", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/api/v1/flash-sales/attempts/{won}/release", null)).StatusCode);
        Assert.Equal((0L, 0L, 10L), await TrioAsync(app, sale));
        await app.WinAsync(sale, "c1", "k3", quantity: 2);

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Contains("not now", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c2", "late")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionsAreEditedAndCancelled_WithEveryChangeAudited_AndStockIsNeverCutBelowWhatIsTaken()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 2));
        await app.WinAsync(sale, "c1", "a1");
        await app.WinAsync(sale, "c2", "a2");
        Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c3", "a3")), StringComparison.Ordinal);
        Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c4", "a4")), StringComparison.Ordinal);

        // Two are held: a stock of 1 is refused naming the item; raising it to 5 opens 5 − 2 = 3 more units at once.
        Assert.Equal(["items[0].stock"], await PromotionsClient.ErrorFieldsAsync(await app.Client.PutAsJsonAsync($"/api/v1/flash-sales/{sale}",
            FlashSalesClient.Session(Start, stock: 1), Flywheel.Platform.Api.ApiJson.Options)));
        var raised = await app.Client.PutAsJsonAsync($"/api/v1/flash-sales/{sale}", FlashSalesClient.Session(Start, stock: 5), Flywheel.Platform.Api.ApiJson.Options);
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        await app.WinAsync(sale, "c3", "a5");
        await app.WinAsync(sale, "c4", "a6");
        // Held 2 + 2 = 4, left 5 − 4 = 1.
        Assert.Equal((4L, 0L, 1L), await TrioAsync(app, sale));

        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync($"/api/v1/flash-sales/{sale}/cancel", new { })).StatusCode);
        Assert.Contains("cancelled", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c5", "a7")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await app.Client.PutAsJsonAsync($"/api/v1/flash-sales/{sale}", FlashSalesClient.Session(Start, stock: 9),
            Flywheel.Platform.Api.ApiJson.Options)).StatusCode);
        var audit = (await app.GetJsonAsync("/api/v1/audit?entity_type=flash_sale")).GetProperty("items").EnumerateArray()
            .Select(e => e.GetProperty("action").GetString()!).Reverse().ToArray();
        Assert.Equal(["created", "updated", "cancelled"], audit);
        var listed = Assert.Single((await app.GetJsonAsync("/api/v1/flash-sales")).EnumerateArray());
        Assert.Equal("cancelled", listed.GetProperty("state").GetString());
    }

    [Fact]
    public async Task BadInput_IsRefusedWith400NamingTheField_AndChangesNothing()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        async Task<string[]> Create(object body) => await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/flash-sales", body));
        var item = new[] { new { sku = "tea", price = 80m, stock = 10L } };
        Assert.Equal(["ends_at"], await Create(new { name = "x", starts_at = Start, ends_at = Start, items = item }));
        Assert.Equal(["starts_at"], await Create(new { name = "x", starts_at = "soon", ends_at = Start, items = item }));
        Assert.Equal(["items[0].stock"], await Create(new { name = "x", starts_at = Start, ends_at = Start.AddHours(1), items = new[] { new { sku = "tea", price = 80m, stock = 0L } } }));
        Assert.Equal(["items[0].price"], await Create(new { name = "x", starts_at = Start, ends_at = Start.AddHours(1), items = new[] { new { sku = "tea", price = 1.234m, stock = 1L } } }));
        Assert.Equal(["items[1].sku"], await Create(new { name = "x", starts_at = Start, ends_at = Start.AddHours(1), items = new[] { item[0], item[0] } }));
        Assert.Equal(["combines_with[0]"], await Create(new { name = "x", starts_at = Start, ends_at = Start.AddHours(1), combines_with = new[] { "everything" }, items = item }));
        Assert.Equal(["name", "payment_seconds", "per_customer_limit"],
            await Create(new { starts_at = Start, ends_at = Start.AddHours(1), per_customer_limit = 0, payment_seconds = 5, items = item }));
        Assert.Equal(0, (await app.GetJsonAsync("/api/v1/flash-sales")).GetArrayLength());

        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 10, perCustomer: 2));
        async Task<string[]> Attempt(object body, string? key = "k")
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/flash-sales/{sale}/attempts") { Content = JsonContent.Create(body) };
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }
            return await PromotionsClient.ErrorFieldsAsync(await app.Client.SendAsync(request));
        }
        Assert.Equal(["Idempotency-Key"], await Attempt(new { customer_id = "c", sku = "tea" }, key: null));
        Assert.Equal(["customer_id"], await Attempt(new { sku = "tea" }));
        Assert.Equal(["sku"], await Attempt(new { customer_id = "c", sku = "coffee" }));
        Assert.Equal(["quantity"], await Attempt(new { customer_id = "c", sku = "tea", quantity = 0 }));
        Assert.Equal(["quantity"], await Attempt(new { customer_id = "c", sku = "tea", quantity = 3 }));
        Assert.Equal(["colour"], await Attempt(new { customer_id = "c", sku = "tea", colour = "red" }));
        Assert.Equal(HttpStatusCode.NotFound, (await app.AttemptAsync("fs_missing", "c", "k")).StatusCode);
        // Nothing was held or counted as sold by any of them.
        Assert.Equal((0L, 0L, 10L), await TrioAsync(app, sale));
    }

    private static async Task<(long Held, long Sold, long Left)> TrioAsync(FlywheelApp app, string sale)
    {
        var (held, sold, left, _) = await app.TeaAsync(sale);
        return (held, sold, left);
    }
}
