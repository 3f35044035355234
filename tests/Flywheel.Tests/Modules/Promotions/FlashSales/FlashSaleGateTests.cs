using Flywheel.Modules.Promotions.FlashSales;
using Flywheel.Platform.Counters;
using Flywheel.Platform.State;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Promotions.FlashSales;

/// <summary>
/// A gate reading more units than the ledger has free — what a restore racing with attempts in flight leaves — is
/// brought down by the ledger's refusals instead of sending every later attempt to a refused transaction, and never
/// keeps a free unit from a buyer.
/// </summary>
public sealed class FlashSaleGateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AGateAboveTheLedger_IsWrittenDownByTheRefusals()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 2));
        await app.WinAsync(sale, "c1", "k1");
        await app.WinAsync(sale, "c2", "k2");
        var counters = app.Services.GetRequiredService<ICounters>();
        var gate = await GateAsync(app, sale);
        await counters.AddAsync(gate, 3);

        // Each of the three excess units admits one attempt, which the ledger refuses: the unit is written off, 3 − 3 = 0.
        for (var i = 3; i <= 5; i++)
        {
            Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, $"c{i}", $"k{i}")), StringComparison.Ordinal);
        }
        Assert.Equal(0, await counters.GetAsync(gate));
        Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c6", "k6")), StringComparison.Ordinal);
        Assert.Equal((2L, 0L, 0L, 6L), await app.TeaAsync(sale));
    }

    [Fact]
    public async Task AGateAboveTheLedger_RefusingSeveralUnits_LeavesNoFreeUnitBehind()
    {
        await using var app = await CheckoutTests.StartAsync(new FakeTimeProvider(Start));
        var sale = await app.CreateSessionAsync(FlashSalesClient.Session(Start, stock: 3, perCustomer: 2));
        await app.WinAsync(sale, "c1", "k1", quantity: 2);
        var counters = app.Services.GetRequiredService<ICounters>();
        var gate = await GateAsync(app, sale);
        // 3 − 2 = 1 unit free; the gate is raised to 2.
        await counters.AddAsync(gate, 1);

        // Two units admitted, refused by the ledger (1 free): written off, then the gate is raised to the 1 free unit.
        Assert.StartsWith("Sold out", await FlashSalesClient.DetailAsync(await app.AttemptAsync(sale, "c2", "k2", quantity: 2)), StringComparison.Ordinal);
        Assert.Equal(1, await counters.GetAsync(gate));
        await app.WinAsync(sale, "c3", "k3");
        Assert.Equal((3L, 0L, 0L), await HeldSoldLeftAsync(app, sale));
    }

    private static async Task<(long Held, long Sold, long Left)> HeldSoldLeftAsync(FlywheelApp app, string sale)
    {
        var (held, sold, left, _) = await app.TeaAsync(sale);
        return (held, sold, left);
    }

    /// <summary>The counters key of the session's gate for SKU "tea".</summary>
    private static async Task<string> GateAsync(FlywheelApp app, string saleId)
    {
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var workspaceId = await db.FlashSales.Where(s => s.Id == saleId).Select(s => s.WorkspaceId).SingleAsync();
        return FlashSaleKeys.Gate(workspaceId, saleId, "tea");
    }
}
