using Flywheel.Modules.Catalog.Contracts;
using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Modules.Segments.Contracts;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.Simulation;

/// <summary>The paid orders of a period in the workspace currency, as carts with their buyers' facts, oldest payment first.</summary>
public sealed record History(IReadOnlyList<HistoricalCart> Carts, int OtherCurrencies);

/// <summary>
/// Reads a period's paid orders as carts to price again: lines at list price, the time the order was placed, the
/// channel and shipping fee recorded, and the buyer's facts — the segments they are in and the tags they carry now;
/// from the order history, exactly, whether the order was their first paid one and the lifecycle stage they were in
/// when they placed it. A member tier at the time is not kept, so it is left empty.
/// </summary>
public static class HistoryReader
{
    public const string RecordedShipping = "recorded";

    public static async Task<History> ReadAsync(FlywheelDb db, WorkspaceSettings settings, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken ct)
    {
        var orders = await OrderQueries.PaidCartsBetweenAsync(db, settings.Id, fromUtc, toUtc, ct);
        var inCurrency = orders.Where(o => o.Currency == settings.Currency).ToList();
        var customers = inCurrency.Select(o => o.CustomerId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var segments = await SegmentMembers.KeysByCustomerAsync(db, settings.Id, customers, ct);
        var tags = await CustomerTagging.TagNamesByCustomerAsync(db, settings.Id, customers, ct);
        var paidTimes = await OrderQueries.PaidTimesAsync(db, settings.Id, customers, ct);
        var costs = await CatalogQueries.CostsAsync(db, settings.Id, [.. inCurrency.SelectMany(o => o.Lines).Select(l => l.Sku)], ct);
        var currency = new Currency(settings.Currency);
        var carts = inCurrency.Select(o =>
        {
            var inSegments = o.CustomerId is { } c && segments.TryGetValue(c, out var keys) ? keys : [];
            var tagged = o.CustomerId is { } t && tags.TryGetValue(t, out var names) ? names : [];
            List<DateTimeOffset> paid = o.CustomerId is { } p && paidTimes.TryGetValue(p, out var times) ? times : [];
            var cart = new Cart
            {
                Currency = currency,
                Lines = [.. o.Lines.Select((l, i) => new CartLine((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), l.Sku, l.Quantity, l.UnitPriceMinor)
                {
                    Category = l.Category ?? "",
                    Brand = l.Brand ?? "",
                })],
                Customer = new CustomerFacts(o.CustomerId ?? "order:" + o.OrderId)
                {
                    Segments = [.. inSegments, .. tagged],
                    // An order without a customer cannot be told from a first order; the same instant twice counts both.
                    IsFirstOrder = o.CustomerId is null || paid.Count == 0 || paid[0] == o.PaidAt,
                    Lifecycle = CustomerClassifications.LifecycleStageAt(paid, o.PlacedAt),
                },
                Now = o.PlacedAt,
                Channel = o.Channel ?? "",
                ShippingOptions = [new ShippingOption(RecordedShipping, o.ShippingMinor)],
            };
            var goodsCost = o.Lines.All(l => costs.ContainsKey(l.Sku)) ? o.Lines.Sum(l => costs[l.Sku] * l.Quantity) : (long?)null;
            return new HistoricalCart(o.OrderId, cart, inSegments, goodsCost);
        }).ToList();
        return new History(carts, orders.Count - inCurrency.Count);
    }
}
