using System.Net;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Modules.Orders;

public sealed class OrderConcurrencyTests
{
    [Theory]
    [InlineData(TestState.Sqlite)]
    [InlineData(TestState.Postgres)]
    public async Task TwoWritersOfOneOrder_TheSecondFails_InsteadOfOverwritingTheFirst(TestState state)
    {
        await using var app = await FlywheelApp.StartAsync(state: state);
        var created = await app.Client.PostAsync("/api/v1/orders", new StringContent("""
            {"order_id": "race-1", "customer_id": "c1", "status": "paid", "currency": "CNY",
             "lines": [{"sku": "A", "quantity": 1, "price": 100.00}], "total": 100.00,
             "placed_at": "2026-11-11T10:00:00+08:00", "paid_at": "2026-11-11T10:05:00+08:00"}
            """, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var store = app.Services.GetRequiredService<StateStore>();

        // Two requests read the order before either writes: each would refund ¥60 of ¥100, together ¥120.
        await using var first = store.Open();
        await using var second = store.Open();
        var a = await first.Orders.SingleAsync(o => o.ExternalId == "race-1");
        var b = await second.Orders.SingleAsync(o => o.ExternalId == "race-1");
        a.RefundedMinor += 6000;
        a.UpdatedAt = a.UpdatedAt.AddTicks(1);
        b.RefundedMinor += 6000;
        b.UpdatedAt = b.UpdatedAt.AddTicks(2);
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = store.Open();
        Assert.Equal(6000, (await check.Orders.SingleAsync(o => o.ExternalId == "race-1")).RefundedMinor);
    }
}
