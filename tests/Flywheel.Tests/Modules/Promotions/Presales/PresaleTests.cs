using System.Net;
using System.Text.Json;
using Flywheel.Modules.Promotions.Presales;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.Presales;

/// <summary>
/// 定金膨胀 end to end over HTTP: a presale, its deposit paid once, the balance priced by checkout from the recorded
/// deposit within the balance window only, and unpaid deposits forfeited or refunded once the window ends. Amounts in
/// yuan; each expected value is worked out in its comment.
/// </summary>
public sealed class PresaleTests
{
    // Deposits from 1 Nov for ten days, the balance on 11 Nov (UTC).
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BalanceOpens = Start.AddDays(10);
    private static readonly DateTimeOffset BalanceCloses = Start.AddDays(11);

    [Fact]
    public async Task TheBalance_IsPriceLessDepositValue_WithA满减OnTheBalance_AndTheDepositIsRecordedOnce()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var presale = await CreateAsync(app, "phone");
        var promotion = await CheckoutTests.ActiveAsync(app, new { name = "满800减50", @class = "order", reward = new { kind = "threshold_off", threshold = 800, off = 50 } });

        var first = await PayAsync(app, presale, "c1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await PayAsync(app, presale, "c1");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var deposit = await FlywheelApp.ReadJsonAsync(first);
        Assert.Equal(deposit.GetProperty("id").GetString(), (await FlywheelApp.ReadJsonAsync(again)).GetProperty("id").GetString());
        Assert.Equal(100m, deposit.GetProperty("amount").GetDecimal());
        Assert.Equal(1, (await app.GetJsonAsync($"/api/v1/presales/{presale}/deposits")).GetArrayLength());
        Assert.Equal(1, (await app.GetJsonAsync($"/api/v1/presales/{presale}")).GetProperty("deposits").GetProperty("paid").GetInt32());

        clock.SetUtcNow(BalanceOpens.AddHours(1));
        // Price 1000, deposit 100 counting as 200: the balance before discounts is 1000 − 200 = 800, which reaches 满800,
        // so 50 comes off it: 750 to pay now. The line: 1000 − 100 inflation − 50 order discount − 100 deposit paid.
        var quote = await app.QuoteAsync(Phone("c1"));
        Assert.Equal(750m, quote.GetProperty("payable").GetDecimal());
        var line = quote.GetProperty("lines")[0];
        Assert.Equal(100m, line.GetProperty("presale_inflation").GetDecimal());
        Assert.Equal(100m, line.GetProperty("deposit_paid").GetDecimal());
        Assert.Equal(50m, CheckoutTests.Outcome(quote, promotion).GetProperty("amount").GetDecimal());
        // A customer without a deposit pays the price: 1000 − 50 = 950; the client cannot claim a deposit.
        Assert.Equal(950m, (await app.QuoteAsync(Phone("c2"))).GetProperty("payable").GetDecimal());
    }

    [Fact]
    public async Task TheThresholdBasis_DecidesWhetherA满减CountsTheBalanceOrTheInflatedPrice()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var onBalance = await CreateAsync(app, "phone");
        var onFullPrice = await CreateAsync(app, "watch", thresholdBasis: "full_price");
        var promotion = await CheckoutTests.ActiveAsync(app, new { name = "满900减50", @class = "order", reward = new { kind = "threshold_off", threshold = 900, off = 50 } });
        Assert.Equal(HttpStatusCode.Created, (await PayAsync(app, onBalance, "c1")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PayAsync(app, onFullPrice, "c1", "watch")).StatusCode);
        clock.SetUtcNow(BalanceOpens);

        // Balance basis: 1000 − 200 = 800 < 900, no discount: 800 to pay.
        var phone = await app.QuoteAsync(Phone("c1"));
        Assert.Equal(800m, phone.GetProperty("payable").GetDecimal());
        Assert.Equal("threshold_not_reached", CheckoutTests.Outcome(phone, promotion).GetProperty("reason").GetString());
        // Full-price basis: 1000 − (200 − 100) = 900 reaches 900: 800 − 50 = 750 to pay.
        Assert.Equal(750m, (await app.QuoteAsync(Phone("c1", "watch"))).GetProperty("payable").GetDecimal());
    }

    [Fact]
    public async Task TheBalance_OutsideItsWindow_IsRefused()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var presale = await CreateAsync(app, "phone");
        Assert.Equal(HttpStatusCode.Created, (await PayAsync(app, presale, "c1")).StatusCode);

        // Still in the deposit window: the balance cannot be paid yet, by quote or by reservation.
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync("/api/v1/checkout/quote", Phone("c1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.ReserveAsync(Phone("c1"), "early")).StatusCode);
        clock.SetUtcNow(BalanceCloses);
        var late = await app.PostJsonAsync("/api/v1/checkout/quote", Phone("c1"));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("is paid from", (await FlywheelApp.ReadJsonAsync(late)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheWindowEnds_UnpaidDepositsAreForfeitedOrRefundedOnce_AndAPaidBalanceIsKept()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var forfeit = await CreateAsync(app, "phone");
        var refund = await CreateAsync(app, "watch", unpaid: "refund");
        var paying = await DepositIdAsync(app, forfeit, "payer");
        var lapsing = await DepositIdAsync(app, forfeit, "lapser");
        var holding = await DepositIdAsync(app, forfeit, "holder");
        var refunded = await DepositIdAsync(app, refund, "lapser", "watch");
        // Twelve hours before the window closes: a day-long reservation made now is still open when it does.
        clock.SetUtcNow(BalanceCloses.AddHours(-12));

        // The payer's balance: 1000 − 200 = 800, the deposit held by the reservation and spent by its commit.
        var reservation = await PromotionsClient.CreatedAsync(await app.ReserveAsync(Phone("payer"), "pay-balance"));
        Assert.Equal(800m, reservation.GetProperty("quote").GetProperty("payable").GetDecimal());
        Assert.Contains(reservation.GetProperty("holds").EnumerateArray(), h => h.GetProperty("resource").GetString() == "presale-deposit:" + paying);
        var commit = await app.Client.PostAsJsonAsync($"/api/v1/checkout/{reservation.GetProperty("id").GetString()}/commit", new { order_id = "o-1" });
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        // The deposit's balance is paid once: another phone for the payer is priced at the full 1000.
        Assert.Equal(1000m, (await app.QuoteAsync(Phone("payer"))).GetProperty("payable").GetDecimal());
        // The holder reserves the balance and has not paid when the window closes.
        var held = await PromotionsClient.CreatedAsync(await app.ReserveAsync(new
        {
            customer = new { id = "holder" }, lines = new[] { new { id = "l1", sku = "phone", quantity = 1, unit_price = 1000m } }, ttl_seconds = 86_400,
        }, "hold-balance"));

        clock.SetUtcNow(BalanceCloses);
        var settlement = app.Services.GetRequiredService<PresaleSettlement>();
        await settlement.SettleAsync(CancellationToken.None);
        Assert.Equal(0, await settlement.SettleAsync(CancellationToken.None));
        var states = await StatesAsync(app, forfeit);
        Assert.Equal(DepositState.BalancePaid, states[paying].GetProperty("state").GetString());
        Assert.Equal("o-1", states[paying].GetProperty("order_id").GetString());
        Assert.Equal(DepositState.Forfeited, states[lapsing].GetProperty("state").GetString());
        // Still held by an open checkout: decided when that checkout ends.
        Assert.Equal(DepositState.Paid, states[holding].GetProperty("state").GetString());
        Assert.Equal(DepositState.Refunded, (await StatesAsync(app, refund))[refunded].GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.OK, (await app.ReleaseAsync(held.GetProperty("id").GetString()!)).StatusCode);
        Assert.Equal(1, await settlement.SettleAsync(CancellationToken.None));
        Assert.Equal(DepositState.Forfeited, (await StatesAsync(app, forfeit))[holding].GetProperty("state").GetString());
        var view = await app.GetJsonAsync($"/api/v1/presales/{forfeit}");
        Assert.Equal(1, view.GetProperty("deposits").GetProperty("balance_paid").GetInt32());
        Assert.Equal(2, view.GetProperty("deposits").GetProperty("forfeited").GetInt32());
    }

    [Fact]
    public async Task ParallelPaymentsOfOneCustomersDeposit_RecordOneDeposit_AndAStockIsNeverOversold()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var presale = await CreateAsync(app, "phone", stock: 3);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ => await PayAsync(app, presale, "c1")));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK));
        var ids = await Task.WhenAll(answers.Select(async a => (await FlywheelApp.ReadJsonAsync(a)).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());

        // Stock 3, one unit taken by c1: of eight more customers in parallel, exactly two get a deposit.
        var others = await Task.WhenAll(Enumerable.Range(2, 8).Select(i => PayAsync(app, presale, $"c{i}")));
        Assert.Equal(2, others.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(6, others.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var view = await app.GetJsonAsync($"/api/v1/presales/{presale}");
        Assert.Equal(3, view.GetProperty("stock_taken").GetInt32());
        Assert.Equal(3, view.GetProperty("deposits").GetProperty("paid").GetInt32());
    }

    [Fact]
    public async Task BadPresalesAndDeposits_AreRefusedNamingTheField_OrOutsideTheDepositWindowWith409()
    {
        var clock = new FakeTimeProvider(Start.AddDays(-1));
        await using var app = await StartAsync(clock);
        async Task<string[]> Fields(object changes) => await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/presales", Body("phone", changes)));
        Assert.Equal(["deposit_value"], await Fields(new { deposit = 300 }));         // D 300 > E 200
        Assert.Equal(["deposit_value"], await Fields(new { deposit_value = 1200 }));  // E 1200 > price 1000
        Assert.Equal(["balance_starts_at"], await Fields(new { balance_starts_at = Start.AddDays(5) })); // before deposits end
        Assert.Equal(["unpaid_deposit"], await Fields(new { unpaid_deposit = "keep" }));
        Assert.Equal(["skus"], await Fields(new { skus = Array.Empty<string>() }));
        Assert.Empty((await app.GetJsonAsync("/api/v1/presales")).EnumerateArray());

        var presale = await CreateAsync(app, "phone");
        // A day before deposits open.
        Assert.Equal(HttpStatusCode.Conflict, (await PayAsync(app, presale, "c1")).StatusCode);
        clock.SetUtcNow(Start);
        Assert.Equal(["sku"], await PromotionsClient.ErrorFieldsAsync(await PayAsync(app, presale, "c1", "tablet")));
        Assert.Equal(["customer_id"], await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync($"/api/v1/presales/{presale}/deposits", new { quantity = 1 })));
        Assert.Equal(HttpStatusCode.NotFound, (await PayAsync(app, "presale_missing", "c1")).StatusCode);
        Assert.Empty((await app.GetJsonAsync($"/api/v1/presales/{presale}/deposits")).EnumerateArray());
    }

    [Fact]
    public async Task APresale_ChangesFreelyBeforeDeposits_ThenKeepsThePaidTerms_AndOnlyGrowsItsBalanceWindow()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var presale = await CreateAsync(app, "phone", stock: 5);

        // No deposit yet: the price can change (900, deposit 100 counting as 200: balance 700).
        var changed = await app.Client.PutAsJsonAsync($"/api/v1/presales/{presale}", Body("phone", new { price = 900, name = "Phone early bird" }, stock: 5));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(700m, (await FlywheelApp.ReadJsonAsync(changed)).GetProperty("balance").GetDecimal());

        await DepositIdAsync(app, presale, "c1");
        await DepositIdAsync(app, presale, "c2");
        // Paid terms stay: price, deposit, what it counts as, the policy; the balance window cannot shrink; stock not under 2.
        Assert.Equal(["balance_ends_at", "deposit", "price", "stock", "unpaid_deposit"], await PromotionsClient.ErrorFieldsAsync(
            await app.Client.PutAsJsonAsync($"/api/v1/presales/{presale}", Body("phone", new { price = 1000, deposit = 50, balance_ends_at = BalanceCloses.AddHours(-1) }, unpaid: "refund", stock: 1))));
        var kept = await app.GetJsonAsync($"/api/v1/presales/{presale}");
        Assert.Equal((900m, 100m, "Phone early bird"), (kept.GetProperty("price").GetDecimal(), kept.GetProperty("deposit").GetDecimal(), kept.GetProperty("name").GetString()));

        // A longer balance window, a new name and 2 units of stock (what the two deposits hold) are fine.
        var longer = await app.Client.PutAsJsonAsync($"/api/v1/presales/{presale}",
            Body("phone", new { price = 900, name = "Phone 双11", balance_ends_at = BalanceCloses.AddDays(2) }, stock: 2));
        Assert.Equal(HttpStatusCode.OK, longer.StatusCode);
        Assert.Equal("Phone 双11", (await FlywheelApp.ReadJsonAsync(longer)).GetProperty("name").GetString());
        // The stock is full: a third deposit is refused.
        Assert.Equal(HttpStatusCode.Conflict, (await PayAsync(app, presale, "c3")).StatusCode);
        // The balance is still payable a day after the old window closed.
        clock.SetUtcNow(BalanceCloses.AddDays(1));
        // At the new price, 900 − 200 = 700.
        var cart = new { customer = new { id = "c1" }, lines = new[] { new { id = "l1", sku = "phone", quantity = 1, unit_price = 900m } } };
        var balance = await PromotionsClient.CreatedAsync(await app.ReserveAsync(cart, "balance-c1"));
        Assert.Equal(700m, balance.GetProperty("quote").GetProperty("payable").GetDecimal());
    }

    [Fact]
    public async Task ACancelledPresale_RefundsEveryPaidDeposit_AndTakesNoDepositOrBalance_AndIsAudited()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await StartAsync(clock);
        var presale = await CreateAsync(app, "phone");
        var c1 = await DepositIdAsync(app, presale, "c1");
        var c2 = await DepositIdAsync(app, presale, "c2");

        var cancelled = await FlywheelApp.ReadJsonAsync(await app.PostJsonAsync($"/api/v1/presales/{presale}/cancel", new { }));
        Assert.Equal("cancelled", cancelled.GetProperty("phase").GetString());
        Assert.Equal(2, cancelled.GetProperty("deposits").GetProperty("refunded").GetInt32());
        var states = await StatesAsync(app, presale);
        Assert.Equal(["refunded", "refunded"], new[] { c1, c2 }.Select(id => states[id].GetProperty("state").GetString()));

        Assert.Equal(HttpStatusCode.Conflict, (await PayAsync(app, presale, "c3")).StatusCode);
        clock.SetUtcNow(BalanceOpens.AddHours(1));
        // c1's deposit is refunded: their cart is the plain 1000, not a balance (nothing of the presale is looked up).
        var plain = await app.QuoteAsync(Phone("c1"));
        Assert.Equal(1000m, plain.GetProperty("payable").GetDecimal());
        Assert.Equal(HttpStatusCode.Conflict, (await app.Client.PutAsJsonAsync($"/api/v1/presales/{presale}", Body("phone"))).StatusCode);
        // Cancelling again answers the same, and the audit log has the one cancellation.
        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync($"/api/v1/presales/{presale}/cancel", new { })).StatusCode);
        await using var db = app.Services.GetRequiredService<Flywheel.Platform.State.StateStore>().Open();
        Assert.Equal(["cancelled", "created"], db.AuditLog.Where(e => e.EntityId == presale).Select(e => e.Action).AsEnumerable().Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A host whose background sweeps never tick on their own (the fake clock jumps days at a time), so that each test
    /// settles deposits exactly when it says so.
    /// </summary>
    private static Task<FlywheelApp> StartAsync(FakeTimeProvider clock) =>
        FlywheelApp.StartAsync(new Dictionary<string, string?> { ["Promotions:SweepInterval"] = "40.00:00:00" }, b => b.Services.AddSingleton<TimeProvider>(clock));

    private static object Phone(string customer, string sku = "phone") => new
    {
        customer = new { id = customer },
        lines = new[] { new { id = "l1", sku, quantity = 1, unit_price = 1000m } },
    };

    /// <summary>Price 1000, deposit 100 counting as 200; deposits for ten days from <see cref="Start"/>, the balance on the eleventh.</summary>
    private static Dictionary<string, object?> Body(string sku, object? changes = null, string thresholdBasis = "balance", string unpaid = "forfeit", int? stock = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = $"Presale {sku}", ["skus"] = new[] { sku }, ["price"] = 1000, ["deposit"] = 100, ["deposit_value"] = 200,
            ["deposit_starts_at"] = Start, ["deposit_ends_at"] = BalanceOpens, ["balance_starts_at"] = BalanceOpens, ["balance_ends_at"] = BalanceCloses,
            ["unpaid_deposit"] = unpaid, ["threshold_basis"] = thresholdBasis,
        };
        if (stock is not null)
        {
            body["stock"] = stock;
        }
        foreach (var property in changes?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(changes);
        }
        return body;
    }

    private static async Task<string> CreateAsync(FlywheelApp app, string sku, string thresholdBasis = "balance", string unpaid = "forfeit", int? stock = null) =>
        (await PromotionsClient.CreatedAsync(await app.PostJsonAsync("/api/v1/presales", Body(sku, null, thresholdBasis, unpaid, stock))))
            .GetProperty("id").GetString()!;

    private static Task<HttpResponseMessage> PayAsync(FlywheelApp app, string presale, string customer, string sku = "phone") =>
        app.PostJsonAsync($"/api/v1/presales/{presale}/deposits", new { customer_id = customer, sku, quantity = 1 });

    private static async Task<string> DepositIdAsync(FlywheelApp app, string presale, string customer, string sku = "phone") =>
        (await PromotionsClient.CreatedAsync(await PayAsync(app, presale, customer, sku))).GetProperty("id").GetString()!;

    private static async Task<Dictionary<string, JsonElement>> StatesAsync(FlywheelApp app, string presale) =>
        (await app.GetJsonAsync($"/api/v1/presales/{presale}/deposits")).EnumerateArray().ToDictionary(d => d.GetProperty("id").GetString()!, d => d.Clone());
}
