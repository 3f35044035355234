using System.Collections.Concurrent;
using System.Net;
using Flywheel.Modules.Promotions.FlashSales;
using Flywheel.Platform.Counters;
using Flywheel.Platform.State;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.FlashSales;

/// <summary>
/// Retries of attempts through HTTP, where the gate answers from its book of admitted keys instead of the state store:
/// a key that won finds its units after the sale sold out — after a restart, and after the counters engine lost the
/// book — a key that lost stays refused, and a key sent twice at once never holds units twice.
/// </summary>
public sealed class FlashSaleRetryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AWinRetriedAfterTheSaleSoldOut_FindsItsUnits_AndALoserStaysRefused()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 2));
        var first = await app.WinAsync(sale, "c1", "k1");
        var second = await app.WinAsync(sale, "c2", "k2");
        Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c3", "k3")), StringComparison.Ordinal);

        Assert.Equal(first, await RetriedAsync(app, sale, "c1", "k1", "held"));
        // A won attempt released is still what its key answers; its unit goes to the next buyer.
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/api/v1/flash-sales/attempts/{second}/release", null)).StatusCode);
        Assert.Equal(second, await RetriedAsync(app, sale, "c2", "k2", "released"));
        await app.WinAsync(sale, "c4", "k4");
        // k3 never won: retried once the unit is gone again, it is refused, not given another buyer's attempt.
        Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c3", "k3")), StringComparison.Ordinal);
        // Held: k1's and k4's units = 2, none left; attempts: k1, k2, k3, k1, k2, k4, k3 = 7.
        Assert.Equal((2L, 0L, 0L, 7L), await app.TeaAsync(sale));
    }

    [Fact]
    public async Task AfterARestart_AWinRetriedAfterSellOut_FindsItsUnits_FromABookRebuiltFromTheLedger()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 2));
        var first = await app.WinAsync(sale, "c1", "k1");
        var second = await app.WinAsync(sale, "c2", "k2");
        await app.RestartAsync();

        // On the embedded backend the restart emptied the counters: the first attempt restores gate and book.
        Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c3", "k3")), StringComparison.Ordinal);
        Assert.True(await app.Services.GetRequiredService<ICounters>().IsCompleteAsync(await BookAsync(app, sale)));
        Assert.Equal(first, await RetriedAsync(app, sale, "c1", "k1", "held"));
        Assert.Equal(second, await RetriedAsync(app, sale, "c2", "k2", "held"));
        Assert.Equal((2L, 0L, 0L), await HeldSoldLeftAsync(app, sale));
    }

    [Fact]
    public async Task ACountersEngineThatLostTheBook_StillAnswersEveryWin_FromTheStateStore_UntilTheKeeperRebuildsIt()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 2));
        var first = await app.WinAsync(sale, "c1", "k1");
        var second = await app.WinAsync(sale, "c2", "k2");
        var counters = app.Services.GetRequiredService<ICounters>();
        var book = await BookAsync(app, sale);
        // A Redis that restarted without persistence, say: the book is gone while the process runs on.
        Assert.True(await counters.DeleteAsync(book));

        Assert.Equal(first, await RetriedAsync(app, sale, "c1", "k1", "held"));
        Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c3", "k3")), StringComparison.Ordinal);
        // The refused attempt wrote nothing that could pass for a complete book; the keeper rebuilds it from the ledger.
        Assert.False(await counters.IsCompleteAsync(book));
        await app.Services.GetRequiredService<FlashSaleGateKeeper>().RestoreAsync(CancellationToken.None);
        Assert.True(await counters.IsCompleteAsync(book));
        Assert.Equal(second, await RetriedAsync(app, sale, "c2", "k2", "held"));
        Assert.Equal(first, await RetriedAsync(app, sale, "c1", "k1", "held"));
    }

    [Fact]
    public async Task EveryKeySentTwiceAtOnce_HoldsUnitsOnce_NamesOneAttempt_AndSellsTheRestToTheNextBuyers()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        const int stock = 40, keys = 120;
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock));
        var answers = new ConcurrentDictionary<string, ConcurrentBag<string?>>();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = app.Client.DefaultRequestHeaders.Authorization;
        // Each key is one buyer's, sent twice at once (a client retrying before the first answer came).
        await Task.WhenAll(Enumerable.Range(0, keys * 2).Select(n => Task.Run(async () =>
        {
            var i = n / 2;
            using var response = await FlashSalesClient.AttemptAsync(client, sale, $"c{i}", $"k{i}");
            var id = response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK
                ? (await FlywheelApp.ReadJsonAsync(response)).GetProperty("id").GetString()
                : null;
            if (id is null)
            {
                Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(response), StringComparison.Ordinal);
            }
            answers.GetOrAdd($"k{i}", _ => []).Add(id);
        })));

        // No key answered with two attempts, and the ledger holds one unit per key that won. A key's second request may
        // have taken a unit in flight while others were told "sold out" (docs/flash-sales.md); such units are back.
        var won = answers.ToDictionary(a => a.Key, a => a.Value.OfType<string>().Distinct().ToArray());
        Assert.All(won.Values, ids => Assert.True(ids.Length <= 1));
        var winners = won.Values.Count(ids => ids.Length == 1);
        Assert.InRange(winners, 1, stock);
        Assert.Equal(((long)winners, 0L, (long)(stock - winners)), await HeldSoldLeftAsync(app, sale));
        // The buyers still trying, with new keys, get exactly the units left: 40 held in all, none left.
        var losers = won.Where(w => w.Value.Length == 0).Select(w => "c" + w.Key[1..]).ToArray();
        var again = await Task.WhenAll(losers.Select(c => FlashSalesClient.AttemptAsync(client, sale, c, "again-" + c)));
        Assert.Equal(stock - winners, again.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(((long)stock, 0L, 0L), await HeldSoldLeftAsync(app, sale));
        // Asked again, every key finds what it had: its attempt, or — the units now gone — a refusal.
        foreach (var (key, ids) in won)
        {
            var customer = "c" + key[1..];
            if (ids.Length == 1)
            {
                Assert.Equal(ids[0], await RetriedAsync(app, sale, customer, key, "held"));
            }
            else
            {
                Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, customer, key)), StringComparison.Ordinal);
            }
        }
    }

    /// <summary>A retry must answer 200 with the attempt its key took, in <paramref name="state"/>; returns its id.</summary>
    private static async Task<string> RetriedAsync(FlywheelApp app, string sale, string customer, string key, string state)
    {
        using var response = await app.AttemptAsync(sale, customer, key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attempt = await FlywheelApp.ReadJsonAsync(response);
        Assert.Equal(state, attempt.GetProperty("state").GetString());
        return attempt.GetProperty("id").GetString()!;
    }

    private static async Task<(long Held, long Sold, long Left)> HeldSoldLeftAsync(FlywheelApp app, string sale)
    {
        var (held, sold, left, _) = await app.TeaAsync(sale);
        return (held, sold, left);
    }

    /// <summary>The counters key of the session's book of admitted keys.</summary>
    private static async Task<string> BookAsync(FlywheelApp app, string saleId)
    {
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var workspaceId = await db.FlashSales.Where(s => s.Id == saleId).Select(s => s.WorkspaceId).SingleAsync();
        return FlashSaleKeys.Admitted(workspaceId, saleId);
    }
}
