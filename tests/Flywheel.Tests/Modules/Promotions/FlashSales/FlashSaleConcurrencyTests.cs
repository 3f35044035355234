using System.Collections.Concurrent;
using System.Net;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.FlashSales;

/// <summary>
/// 秒杀 under load, through HTTP: 100,000 attempts for 1,000 units sell exactly 1,000, and a per-customer limit holds
/// when one buyer fires many attempts at once. Counted from what the clients were told and checked against the ledger.
/// </summary>
public sealed class FlashSaleConcurrencyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task HundredThousandAttempts_ForAThousandUnits_SellExactlyAThousand()
    {
        const int attempts = 100_000;
        const int buyers = 25_000;
        const long stock = 1_000;
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock));
        var won = new ConcurrentBag<(string Customer, string Id)>();
        var refused = new ConcurrentDictionary<string, int>();
        var next = -1;

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = app.Client.DefaultRequestHeaders.Authorization;
        async Task WorkerAsync()
        {
            // Attempt i is buyer i mod 25,000's (i / 25,000)-th try: every buyer tries four times, interleaved with the rest.
            for (var i = Interlocked.Increment(ref next); i < attempts; i = Interlocked.Increment(ref next))
            {
                var customer = $"c{i % buyers}";
                using var response = await FlashSalesClient.AttemptAsync(client, sale, customer, $"a{i}");
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    won.Add((customer, (await FlywheelApp.ReadJsonAsync(response)).GetProperty("id").GetString()!));
                    continue;
                }
                Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
                var detail = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("detail").GetString()!;
                refused.AddOrUpdate(detail.StartsWith("Sold out", StringComparison.Ordinal) ? "sold_out" : "limit", 1, (_, n) => n + 1);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(WorkerAsync)));

        // 1,000 won, 99,000 refused; nobody won twice (limit 1); the buyers who won nothing number 25,000 − 1,000.
        Assert.Equal(1_000, won.Count);
        Assert.Equal(attempts - 1_000, refused.Values.Sum());
        Assert.Equal(won.Count, won.Select(w => w.Customer).Distinct().Count());
        Assert.Equal((1_000L, 0L, 0L, (long)attempts), await app.TeaAsync(sale));

        // Every winner pays: sold 1,000, nothing held, nothing left.
        await Task.WhenAll(won.Select(async w =>
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/api/v1/flash-sales/attempts/{w.Id}/commit", null)).StatusCode)));
        Assert.Equal((0L, 1_000L, 0L, (long)attempts), await app.TeaAsync(sale));
    }

    [Fact]
    public async Task OneBuyerFiringManyAttemptsAtOnce_GetsNoMoreThanTheLimit_AndTheOthersStillBuy()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        // Stock 10, 3 per customer: the greedy buyer's 60 parallel single-unit attempts win 3; then 7 others win 1 each.
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 10, perCustomer: 3));
        var greedy = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => app.AttemptAsync(sale, "greedy", $"g{i}")));
        Assert.Equal(3, greedy.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var response in greedy.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            // Refused by the ledger at the limit, or by the gate while the buyer's own extra attempts held its last units.
            Assert.Matches("the most allowed|^Sold out", await FlashSalesClient.DetailAsync(response));
        }
        // 10 − 3 = 7 units remain for the 20 others racing for them: the gate gave back every unit the ledger refused the greedy buyer.
        var others = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => app.AttemptAsync(sale, $"c{i}", $"o{i}")));
        Assert.Equal(7, others.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal((10L, 0L, 0L, 80L), await app.TeaAsync(sale));
    }
}
