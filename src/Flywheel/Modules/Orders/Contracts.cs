using System.Data.Common;
using Flywheel.Modules.Orders.Model;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Platform.Events;
using Flywheel.Platform.State;
using Flywheel.Platform;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Orders.Contracts;

/// <summary>One line of an order's history; <paramref name="UnitPriceMinor"/> in minor units of the order's currency.</summary>
public sealed record OrderLineHistory(string Sku, string? Name, string? Category, string? Brand, int Quantity, long UnitPriceMinor);

/// <summary>A paid order as its cart: lines at list price, shipping, and the discount it was given; minor units of <paramref name="Currency"/>.</summary>
public sealed record PaidOrderCart(
    string OrderId, string? CustomerId, string Currency, string? Channel, DateTimeOffset PlacedAt, DateTimeOffset PaidAt, long ShippingMinor,
    long DiscountMinor, IReadOnlyList<OrderLineHistory> Lines);

public sealed record RefundHistory(string RefundId, long AmountMinor, string? Reason, DateTimeOffset RefundedAt);

/// <summary>
/// An order as it happened, for loading history: placed, then paid, cancelled or neither, then refunded zero or more
/// times. Total = Subtotal − Discount + Shipping, the subtotal being the sum of the lines.
/// </summary>
public sealed record OrderHistory(
    string OrderId, string CustomerId, string Currency, IReadOnlyList<OrderLineHistory> Lines, long DiscountMinor, long ShippingMinor,
    string? Coupon, string? Channel, string? PaymentMethod, DateTimeOffset PlacedAt, DateTimeOffset? PaidAt, DateTimeOffset? CancelledAt,
    IReadOnlyList<RefundHistory> Refunds)
{
    public long SubtotalMinor => Lines.Sum(l => l.Quantity * l.UnitPriceMinor);

    public long TotalMinor => SubtotalMinor - DiscountMinor + ShippingMinor;

    /// <summary>The time of the order's last change: when a loader would have received it.</summary>
    public DateTimeOffset LastChangeAt => Refunds.Select(r => r.RefundedAt).Append(CancelledAt ?? PaidAt ?? PlacedAt).Max();
}

/// <summary>Order histories into stored orders and the order events the orders API emits for them.</summary>
public static class OrderHistories
{
    /// <summary>The checkpoint of the projection that creates and moves orders from order events.</summary>
    public const string Projection = "orders";

    /// <summary>
    /// The order events of <paramref name="history"/>, exactly as the orders API or import would emit them for the stored
    /// order (same ids, dedup keys and properties), received at the order's last change.
    /// </summary>
    public static IEnumerable<EventRecord> Events(string workspaceId, OrderHistory history) =>
        OrderEvents.For(ToOrder(workspaceId, history, "", ""), history.LastChangeAt);

    /// <summary>The stored order; throws when the history breaks a money or lifecycle rule.</summary>
    internal static Order ToOrder(string workspaceId, OrderHistory h, string id, string source)
    {
        var subtotal = h.SubtotalMinor;
        if (h.Lines.Count == 0 || h.Lines.Any(l => l.Quantity <= 0 || l.UnitPriceMinor < 0))
        {
            throw new ArgumentException($"Order {h.OrderId} needs lines with positive quantities and prices.", nameof(h));
        }
        if (h.DiscountMinor < 0 || h.ShippingMinor < 0 || h.DiscountMinor > subtotal)
        {
            throw new ArgumentException($"Order {h.OrderId}: the discount must be between 0 and the subtotal, shipping not negative.", nameof(h));
        }
        if (h.PaidAt is not null && h.CancelledAt is not null)
        {
            throw new ArgumentException($"Order {h.OrderId} cannot be both paid and cancelled.", nameof(h));
        }
        var refunded = h.Refunds.Sum(r => r.AmountMinor);
        if (h.Refunds.Count > 0 && (h.PaidAt is null || refunded > h.TotalMinor || h.Refunds.Any(r => r.AmountMinor <= 0 || r.RefundedAt < h.PaidAt)))
        {
            throw new ArgumentException($"Order {h.OrderId}: refunds need a paid order, positive amounts after payment and at most the total.", nameof(h));
        }
        var at = h.LastChangeAt;
        return new Order
        {
            Id = id,
            WorkspaceId = workspaceId,
            ExternalId = h.OrderId,
            CustomerExternalId = h.CustomerId,
            Status = h.CancelledAt is not null ? OrderStatus.Cancelled
                : h.PaidAt is null ? OrderStatus.Placed
                : OrderRules.RefundStatus(h.TotalMinor, refunded),
            Currency = h.Currency,
            SubtotalMinor = subtotal,
            DiscountMinor = h.DiscountMinor,
            ShippingMinor = h.ShippingMinor,
            TotalMinor = h.TotalMinor,
            RefundedMinor = refunded,
            Coupon = h.Coupon,
            Channel = h.Channel,
            PaymentMethod = h.PaymentMethod,
            MainCategory = OrderRules.MainCategory(h.Lines.Select(l => new LineValues(l.Sku, l.Name, l.Category, l.Brand, l.Quantity, l.UnitPriceMinor, 0)).ToList()),
            PlacedAt = Instants.ToMilliseconds(h.PlacedAt),
            PaidAt = h.PaidAt is { } paid ? Instants.ToMilliseconds(paid) : null,
            CancelledAt = h.CancelledAt is { } cancelled ? Instants.ToMilliseconds(cancelled) : null,
            Source = source,
            Lines = h.Lines.Select((l, i) => new OrderLine
            {
                LineNo = i + 1,
                Sku = l.Sku,
                Name = l.Name,
                Category = l.Category,
                Brand = l.Brand,
                Quantity = l.Quantity,
                UnitPriceMinor = l.UnitPriceMinor,
            }).ToList(),
            Refunds = h.Refunds.Select(r => new Refund
            {
                ExternalId = r.RefundId,
                AmountMinor = r.AmountMinor,
                Reason = r.Reason,
                RefundedAt = Instants.ToMilliseconds(r.RefundedAt),
            }).ToList(),
            CreatedAt = at,
            UpdatedAt = at,
        };
    }
}

/// <summary>
/// Writes order histories as stored orders (with lines and refunds) into the caller's transaction, as the orders import
/// stores them. Together with <see cref="OrderHistories.Events"/> in the event store, the orders projection finds each
/// order already in the state its events describe, so replaying them changes nothing.
/// </summary>
public sealed class OrderHistoryWriter : IDisposable
{
    private readonly BulkInsert orders;
    private readonly BulkInsert lines;
    private readonly BulkInsert refunds;
    private readonly string workspaceId;
    private readonly string source;

    /// <remarks><para><c>source</c>: How the orders reached Flywheel, as stored orders say it: "api", "import" or "event".</para></remarks>
    public OrderHistoryWriter(DbConnection connection, DbTransaction transaction, string workspaceId, string source)
    {
        this.workspaceId = workspaceId;
        this.source = source;
        orders = new BulkInsert(connection, transaction, "ord_orders",
            "Id", "WorkspaceId", "ExternalId", "CustomerExternalId", "Status", "Currency", "SubtotalMinor", "DiscountMinor", "ShippingMinor",
            "TotalMinor", "RefundedMinor", "Coupon", "Channel", "PaymentMethod", "MainCategory", "PlacedAt", "PaidAt", "CancelledAt",
            "Source", "CreatedAt", "UpdatedAt");
        lines = new BulkInsert(connection, transaction, "ord_order_lines",
            "OrderId", "LineNo", "Sku", "Name", "Category", "Brand", "Quantity", "UnitPriceMinor", "DiscountMinor");
        refunds = new BulkInsert(connection, transaction, "ord_refunds", "OrderId", "ExternalId", "AmountMinor", "Reason", "RefundedAt");
    }

    public void Add(OrderHistory history)
    {
        var o = OrderHistories.ToOrder(workspaceId, history, Ids.New("ord"), source);
        orders.Add(o.Id, o.WorkspaceId, o.ExternalId, o.CustomerExternalId, o.Status.ToString(), o.Currency, o.SubtotalMinor, o.DiscountMinor,
            o.ShippingMinor, o.TotalMinor, o.RefundedMinor, o.Coupon, o.Channel, o.PaymentMethod, o.MainCategory, o.PlacedAt.UtcTicks,
            o.PaidAt?.UtcTicks, o.CancelledAt?.UtcTicks, o.Source, o.CreatedAt.UtcTicks, o.UpdatedAt.UtcTicks);
        foreach (var l in o.Lines)
        {
            lines.Add(o.Id, l.LineNo, l.Sku, l.Name, l.Category, l.Brand, l.Quantity, l.UnitPriceMinor, l.DiscountMinor);
        }
        foreach (var r in o.Refunds)
        {
            refunds.Add(o.Id, r.ExternalId, r.AmountMinor, r.Reason, r.RefundedAt.UtcTicks);
        }
    }

    public void Dispose()
    {
        orders.Dispose();
        lines.Dispose();
        refunds.Dispose();
    }
}

/// <summary>A paid order as other modules (analytics, segments) see it: when it was paid, by whom, for how much.</summary>
public sealed record PaidOrder
{
    public required string OrderId { get; init; }
    /// <summary>The shop's customer id; null for an order that reached Flywheel without one (from anonymous events).</summary>
    public string? CustomerId { get; init; }
    public DateTimeOffset PaidAt { get; init; }
    /// <summary>What the customer paid (before refunds), in minor units of <see cref="Currency"/>.</summary>
    public long TotalMinor { get; init; }
    public long RefundedMinor { get; init; }
    public required string Currency { get; init; }
    /// <summary>True when refunds add up to the whole total.</summary>
    public bool FullyRefunded { get; init; }
    /// <summary>The channel the order came through, as the shop named it; null when not given.</summary>
    public string? Channel { get; init; }
    /// <summary>The category of the order's line with the largest amount (the order's main category); null without one.</summary>
    public string? MainCategory { get; init; }
}

/// <summary>What one paid order's lines of one category came to, in minor units of the order's currency.</summary>
public sealed record OrderCategorySpend
{
    public required string OrderId { get; init; }
    public required string Category { get; init; }
    public long SpendMinor { get; init; }
}

/// <summary>A placed order: by whom, when, in which currency, and whether it was paid.</summary>
public sealed record PlacedOrder
{
    public string? CustomerId { get; init; }
    public DateTimeOffset PlacedAt { get; init; }
    public required string Currency { get; init; }
    public bool Paid { get; init; }
}

/// <summary>When a customer last paid an order.</summary>
public sealed record LastPaid
{
    public required string CustomerId { get; init; }
    public DateTimeOffset PaidAt { get; init; }
}

/// <summary>A customer's paid order as customer traits need it: money, coupon, channel, refunds and spend by category.</summary>
public sealed record CustomerPaidOrder
{
    public required string OrderId { get; init; }
    public DateTimeOffset PaidAt { get; init; }
    public required string Currency { get; init; }
    public long TotalMinor { get; init; }
    public long RefundedMinor { get; init; }
    public int Refunds { get; init; }
    public string? Coupon { get; init; }
    public string? Channel { get; init; }
    /// <summary>What the order's lines came to by category (quantity × price − line discount), lines without one left out.</summary>
    public required IReadOnlyDictionary<string, long> SpendByCategoryMinor { get; init; }
}

/// <summary>Queries over orders that other modules may compose further (LINQ, so that they run on every state store).</summary>
public static class OrderQueries
{
    /// <summary>
    /// Every customer's paid orders (as <see cref="PaidBetween"/> counts paid) in <paramref name="currency"/>, paid in
    /// [<paramref name="fromUtc"/>, <paramref name="toUtc"/>): payment time and total, oldest first. Orders without a
    /// customer are left out. What RFM, lifecycle, cohorts and attribution all start from.
    /// </summary>
    public static Task<Dictionary<string, List<(DateTimeOffset PaidAt, long TotalMinor)>>> PaidPerCustomerAsync(
        FlywheelDb db, string workspaceId, string currency, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken ct) =>
        GroupPaidByCustomerAsync(PaidBetween(db, workspaceId, fromUtc, toUtc), currency, DateTimeOffset.MaxValue, ct);

    /// <summary>
    /// Every customer's paid orders ever paid before <paramref name="toUtc"/>, as <see cref="PaidPerCustomerAsync"/> gives
    /// them. The whole history is one pass over the orders, the bound applied as they stream: through the paid-at index
    /// each order would be a separate lookup (eight times slower on a 1.4-million-order shop).
    /// </summary>
    public static Task<Dictionary<string, List<(DateTimeOffset PaidAt, long TotalMinor)>>> PaidPerCustomerUntilAsync(
        FlywheelDb db, string workspaceId, string currency, DateTimeOffset toUtc, CancellationToken ct) =>
        GroupPaidByCustomerAsync(AllPaid(db, workspaceId), currency, toUtc, ct);

    private static async Task<Dictionary<string, List<(DateTimeOffset PaidAt, long TotalMinor)>>> GroupPaidByCustomerAsync(
        IQueryable<PaidOrder> paid, string currency, DateTimeOffset beforeUtc, CancellationToken ct)
    {
        var byCustomer = new Dictionary<string, List<(DateTimeOffset PaidAt, long TotalMinor)>>(StringComparer.Ordinal);
        var rows = paid
            .Where(o => o.CustomerId != null && o.Currency == currency)
            .Select(o => new { o.CustomerId, o.PaidAt, o.TotalMinor })
            .AsNoTracking().AsAsyncEnumerable();
        await foreach (var o in rows.WithCancellation(ct))
        {
            if (o.PaidAt >= beforeUtc)
            {
                continue;
            }
            if (!byCustomer.TryGetValue(o.CustomerId!, out var list))
            {
                byCustomer[o.CustomerId!] = list = [];
            }
            list.Add((o.PaidAt, o.TotalMinor));
        }
        foreach (var list in byCustomer.Values)
        {
            list.Sort((a, b) => a.PaidAt.CompareTo(b.PaidAt));
        }
        return byCustomer;
    }

    /// <summary>The customer's paid orders (as <see cref="PaidBetween"/> counts paid), oldest payment first.</summary>
    public static async Task<IReadOnlyList<CustomerPaidOrder>> PaidByCustomerAsync(FlywheelDb db, string workspaceId, string customerId, CancellationToken ct)
    {
        var orders = await Paid(db, workspaceId).AsNoTracking().Include(o => o.Lines).Include(o => o.Refunds).AsSplitQuery()
            .Where(o => o.CustomerExternalId == customerId)
            .ToListAsync(ct);
        return orders.OrderBy(o => o.PaidAt).ThenBy(o => o.ExternalId, StringComparer.Ordinal).Select(o => new CustomerPaidOrder
        {
            OrderId = o.ExternalId,
            PaidAt = o.PaidAt!.Value,
            Currency = o.Currency,
            TotalMinor = o.TotalMinor,
            RefundedMinor = o.RefundedMinor,
            Refunds = o.Refunds.Count,
            Coupon = o.Coupon,
            Channel = o.Channel,
            SpendByCategoryMinor = o.Lines.Where(l => l.Category is not null).GroupBy(l => l.Category!)
                .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity * l.UnitPriceMinor - l.DiscountMinor), StringComparer.Ordinal),
        }).ToList();
    }

    /// <summary>
    /// Every customer's paid orders, each exactly as <see cref="PaidByCustomerAsync"/> gives one customer's (oldest payment
    /// first), keyed by customer id; orders without a customer are left out. Three set-based reads (orders, refund counts,
    /// spend by order and category) rather than one per customer, for analyses over a whole workspace, or over the
    /// customers <paramref name="customerIds"/> names when it is given.
    /// </summary>
    public static async Task<Dictionary<string, List<CustomerPaidOrder>>> PaidByCustomersAsync(
        FlywheelDb db, string workspaceId, CancellationToken ct, IReadOnlyCollection<string>? customerIds = null)
    {
        var paid = Paid(db, workspaceId).Where(o => o.CustomerExternalId != null);
        if (customerIds is not null)
        {
            paid = paid.Where(o => customerIds.Contains(o.CustomerExternalId!));
        }
        var refunds = await paid.SelectMany(o => o.Refunds).GroupBy(r => r.OrderId)
            .Select(g => new { OrderId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(r => r.OrderId, r => r.Count, StringComparer.Ordinal, ct);
        var categories = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var spend = paid.SelectMany(o => o.Lines).Where(l => l.Category != null).GroupBy(l => new { l.OrderId, l.Category })
            .Select(g => new { g.Key.OrderId, g.Key.Category, Spend = g.Sum(l => l.Quantity * l.UnitPriceMinor - l.DiscountMinor) })
            .AsAsyncEnumerable();
        await foreach (var s in spend.WithCancellation(ct))
        {
            if (!categories.TryGetValue(s.OrderId, out var byCategory))
            {
                categories[s.OrderId] = byCategory = new Dictionary<string, long>(StringComparer.Ordinal);
            }
            byCategory[s.Category!] = s.Spend;
        }
        var byCustomer = new Dictionary<string, List<CustomerPaidOrder>>(StringComparer.Ordinal);
        var orders = paid.AsNoTracking()
            .Select(o => new { o.Id, o.ExternalId, o.CustomerExternalId, o.PaidAt, o.Currency, o.TotalMinor, o.RefundedMinor, o.Coupon, o.Channel })
            .AsAsyncEnumerable();
        IReadOnlyDictionary<string, long> none = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var o in orders.WithCancellation(ct))
        {
            if (!byCustomer.TryGetValue(o.CustomerExternalId!, out var list))
            {
                byCustomer[o.CustomerExternalId!] = list = [];
            }
            list.Add(new CustomerPaidOrder
            {
                OrderId = o.ExternalId,
                PaidAt = o.PaidAt!.Value,
                Currency = o.Currency,
                TotalMinor = o.TotalMinor,
                RefundedMinor = o.RefundedMinor,
                Refunds = refunds.GetValueOrDefault(o.Id),
                Coupon = o.Coupon,
                Channel = o.Channel,
                SpendByCategoryMinor = categories.TryGetValue(o.Id, out var byCategory) ? byCategory : none,
            });
        }
        foreach (var list in byCustomer.Values)
        {
            list.Sort((a, b) => a.PaidAt != b.PaidAt ? a.PaidAt.CompareTo(b.PaidAt) : string.CompareOrdinal(a.OrderId, b.OrderId));
        }
        return byCustomer;
    }

    /// <summary>
    /// Orders of a workspace that were paid, with the payment time in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>).
    /// Paid means paid and not cancelled: partially and fully refunded orders were paid and are included; refunds do
    /// not undo a payment.
    /// </summary>
    public static IQueryable<PaidOrder> PaidBetween(FlywheelDb db, string workspaceId, DateTimeOffset fromUtc, DateTimeOffset toUtc) =>
        AllPaid(db, workspaceId).Where(o => o.PaidAt >= fromUtc && o.PaidAt < toUtc);

    /// <summary>Every paid order of the workspace, whenever paid, as <see cref="PaidBetween"/> gives them.</summary>
    private static IQueryable<PaidOrder> AllPaid(FlywheelDb db, string workspaceId) =>
        Paid(db, workspaceId)
            .Select(o => new PaidOrder
            {
                OrderId = o.ExternalId,
                CustomerId = o.CustomerExternalId,
                PaidAt = o.PaidAt!.Value,
                TotalMinor = o.TotalMinor,
                RefundedMinor = o.RefundedMinor,
                Currency = o.Currency,
                FullyRefunded = o.Status == OrderStatus.Refunded,
                Channel = o.Channel,
                MainCategory = o.MainCategory,
            });

    /// <summary>
    /// What the lines of the orders <see cref="PaidBetween"/> selects came to by category (quantity × price − line
    /// discount), one row per order and category; lines without a category are left out.
    /// </summary>
    public static IQueryable<OrderCategorySpend> CategorySpendBetween(FlywheelDb db, string workspaceId, DateTimeOffset fromUtc, DateTimeOffset toUtc) =>
        Paid(db, workspaceId)
            .Where(o => o.PaidAt >= fromUtc && o.PaidAt < toUtc)
            .SelectMany(o => o.Lines, (o, l) => new { o.ExternalId, l.Category, Spend = l.Quantity * l.UnitPriceMinor - l.DiscountMinor })
            .Where(l => l.Category != null)
            .GroupBy(l => new { l.ExternalId, l.Category })
            .Select(g => new OrderCategorySpend { OrderId = g.Key.ExternalId, Category = g.Key.Category!, SpendMinor = g.Sum(l => l.Spend) });

    /// <summary>
    /// Orders placed in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), whatever became of them, and whether they
    /// were paid (as <see cref="PaidBetween"/> counts paid: cancelled orders were not).
    /// </summary>
    public static IQueryable<PlacedOrder> PlacedBetween(FlywheelDb db, string workspaceId, DateTimeOffset fromUtc, DateTimeOffset toUtc) =>
        db.Orders.Where(o => o.WorkspaceId == workspaceId && o.PlacedAt >= fromUtc && o.PlacedAt < toUtc)
            .Select(o => new PlacedOrder
            {
                CustomerId = o.CustomerExternalId,
                PlacedAt = o.PlacedAt,
                Currency = o.Currency,
                Paid = o.PaidAt != null && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.PartiallyRefunded || o.Status == OrderStatus.Refunded),
            });

    /// <summary>
    /// Each customer's last paid order (in any currency) before <paramref name="beforeUtc"/>, for the customers whose last
    /// one was paid after <paramref name="afterUtc"/>: when it was paid. Bounded on both sides, it reads only the orders
    /// paid in between.
    /// </summary>
    public static IQueryable<LastPaid> LastPaidBetween(FlywheelDb db, string workspaceId, DateTimeOffset afterUtc, DateTimeOffset beforeUtc) =>
        Paid(db, workspaceId)
            .Where(o => o.CustomerExternalId != null && o.PaidAt > afterUtc && o.PaidAt < beforeUtc)
            .GroupBy(o => o.CustomerExternalId!)
            .Select(g => new LastPaid { CustomerId = g.Key, PaidAt = g.Max(o => o.PaidAt!.Value) });

    /// <summary>
    /// How many orders each customer placed, paid or not, in any currency; over the whole workspace, or over the customers
    /// <paramref name="customerIds"/> names when it is given. Customers without orders are absent.
    /// </summary>
    public static Task<Dictionary<string, int>> PlacedCountsAsync(
        FlywheelDb db, string workspaceId, CancellationToken ct, IReadOnlyCollection<string>? customerIds = null)
    {
        var orders = db.Orders.Where(o => o.WorkspaceId == workspaceId && o.CustomerExternalId != null);
        if (customerIds is not null)
        {
            orders = orders.Where(o => customerIds.Contains(o.CustomerExternalId!));
        }
        return orders.GroupBy(o => o.CustomerExternalId!).Select(g => new { Customer = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Customer, g => g.Count, StringComparer.Ordinal, ct);
    }

    /// <summary>Paid means paid and not cancelled: partially and fully refunded orders were paid; refunds do not undo a payment.</summary>
    /// <summary>
    /// The orders <see cref="PaidBetween"/> selects, with their lines at list price, oldest payment first (ties by order
    /// id): what pricing the same carts again starts from.
    /// </summary>
    public static async Task<IReadOnlyList<PaidOrderCart>> PaidCartsBetweenAsync(
        FlywheelDb db, string workspaceId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken ct)
    {
        var orders = await Paid(db, workspaceId).Where(o => o.PaidAt >= fromUtc && o.PaidAt < toUtc)
            .Include(o => o.Lines).AsSplitQuery().AsNoTracking().ToListAsync(ct);
        return [.. orders.OrderBy(o => o.PaidAt).ThenBy(o => o.ExternalId, StringComparer.Ordinal).Select(o => new PaidOrderCart(
            o.ExternalId, o.CustomerExternalId, o.Currency, o.Channel, o.PlacedAt, o.PaidAt!.Value, o.ShippingMinor, o.DiscountMinor,
            [.. o.Lines.OrderBy(l => l.LineNo).Select(l => new OrderLineHistory(l.Sku, l.Name, l.Category, l.Brand, l.Quantity, l.UnitPriceMinor))]))];
    }

    /// <summary>How many orders <see cref="PaidBetween"/> selects.</summary>
    public static Task<int> CountPaidBetweenAsync(FlywheelDb db, string workspaceId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken ct) =>
        Paid(db, workspaceId).CountAsync(o => o.PaidAt >= fromUtc && o.PaidAt < toUtc, ct);

    /// <summary>When each customer's first paid order (in any currency) was paid.</summary>
    /// <summary>The payment times of each of <paramref name="customerIds"/>'s paid orders, oldest first; absent for none.</summary>
    public static async Task<Dictionary<string, List<DateTimeOffset>>> PaidTimesAsync(
        FlywheelDb db, string workspaceId, IReadOnlyCollection<string> customerIds, CancellationToken ct)
    {
        var times = new Dictionary<string, List<DateTimeOffset>>(StringComparer.Ordinal);
        foreach (var chunk in customerIds.Chunk(1000))
        {
            var rows = await Paid(db, workspaceId).Where(o => chunk.Contains(o.CustomerExternalId!))
                .Select(o => new { CustomerId = o.CustomerExternalId!, PaidAt = o.PaidAt!.Value }).ToListAsync(ct);
            foreach (var row in rows)
            {
                (times.TryGetValue(row.CustomerId, out var list) ? list : times[row.CustomerId] = []).Add(row.PaidAt);
            }
        }
        foreach (var list in times.Values)
        {
            list.Sort();
        }
        return times;
    }

    public static IQueryable<LastPaid> FirstPaid(FlywheelDb db, string workspaceId) =>
        Paid(db, workspaceId)
            .Where(o => o.CustomerExternalId != null)
            .GroupBy(o => o.CustomerExternalId!)
            .Select(g => new LastPaid { CustomerId = g.Key, PaidAt = g.Min(o => o.PaidAt!.Value) });

    private static IQueryable<Order> Paid(FlywheelDb db, string workspaceId) =>
        db.Orders.Where(o => o.WorkspaceId == workspaceId && o.PaidAt != null
            && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.PartiallyRefunded || o.Status == OrderStatus.Refunded));
}
