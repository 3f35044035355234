using Flywheel.Modules.Customers.Model;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Flywheel.Modules.Customers.Traits;

/// <summary>
/// Keeps <see cref="CustomerTraitRow"/> equal to <see cref="CustomerTraits.Compute"/> over each customer's orders: one
/// definition of every trait, whether shown on the customer page or tested by a segment. Only customers with orders
/// have a row; the acquisition channel stored is the first paid order's, which a registration channel overrides when
/// read.
/// </summary>
public static class StoredTraits
{
    /// <summary>Customers per read of their orders: a list of ids becomes one parameter list in SQL.</summary>
    private const int Chunk = 1000;

    private static readonly string[] Columns =
    [
        "WorkspaceId", "CustomerExternalId", "OrdersCount", "PaidOrders", "TotalSpendMinor", "AovMinor", "RefundCount", "FirstOrderAt",
        "LastOrderAt", "PreviousOrderAt", "AvgDaysBetweenOrders", "CouponUseRate", "FavouriteCategory", "AcquisitionChannel",
    ];

    /// <summary>Recomputes the rows of these customers, inside the caller's transaction.</summary>
    public static async Task RefreshAsync(FlywheelDb db, string workspaceId, IReadOnlyCollection<string> customerIds, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var chunk in customerIds.Chunk(Chunk))
        {
            await db.CustomerTraits.Where(t => t.WorkspaceId == workspaceId && chunk.Contains(t.CustomerExternalId)).ExecuteDeleteAsync(ct);
            await WriteAsync(db, workspaceId, now, chunk, ct);
        }
    }

    /// <summary>Recomputes every row of the workspace, inside the caller's transaction; returns how many were written.</summary>
    public static async Task<int> RebuildAsync(FlywheelDb db, string workspaceId, DateTimeOffset now, CancellationToken ct)
    {
        await db.CustomerTraits.Where(t => t.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        return await WriteAsync(db, workspaceId, now, null, ct);
    }

    private static async Task<int> WriteAsync(FlywheelDb db, string workspaceId, DateTimeOffset now, IReadOnlyCollection<string>? customerIds, CancellationToken ct)
    {
        var currency = (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Currency;
        var paid = await OrderQueries.PaidByCustomersAsync(db, workspaceId, ct, customerIds);
        var placed = await OrderQueries.PlacedCountsAsync(db, workspaceId, ct, customerIds);
        var connection = db.Database.GetDbConnection();
        using var insert = new BulkInsert(connection, db.Database.CurrentTransaction?.GetDbTransaction(), "cdp_customer_traits", Columns);
        var written = 0;
        foreach (var (customerId, count) in placed)
        {
            var t = CustomerTraits.Compute(paid.GetValueOrDefault(customerId) ?? [], currency, null, null, now, LifecycleOptions.Default);
            insert.Add(workspaceId, customerId, count, t.PaidOrders, t.TotalSpendMinor, t.AverageOrderValueMinor, t.RefundCount,
                t.FirstOrderAt?.UtcTicks, t.LastOrderAt?.UtcTicks, t.PreviousOrderAt?.UtcTicks, t.AverageDaysBetweenOrders, t.CouponUseRate,
                t.FavouriteCategories.Count > 0 ? t.FavouriteCategories[0] : null, t.AcquisitionChannel);
            written++;
        }
        return written;
    }
}
