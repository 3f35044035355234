using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform.Counters;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// A session as the API and the console show it: what the operator set, and the monitor's figures per SKU — stock,
/// held by attempts awaiting payment, sold, left — read from the ledger, plus the attempts seen from the counters.
/// </summary>
public static class FlashSaleViews
{
    public static async Task<JsonObject> OneAsync(FlywheelDb db, ICounters counters, string currency, FlashSale sale, DateTimeOffset now, CancellationToken ct) =>
        (await ManyAsync(db, counters, currency, [sale], now, ct))[0];

    public static async Task<List<JsonObject>> ManyAsync(
        FlywheelDb db, ICounters counters, string currency, IReadOnlyList<FlashSale> sales, DateTimeOffset now, CancellationToken ct)
    {
        var items = sales.ToDictionary(s => s.Id, s => s.ItemList());
        var keys = sales.SelectMany(s => items[s.Id].Select(i => FlashSaleKeys.Stock(s.Id, i.Sku))).ToArray();
        var resources = await HoldLedger.ResourcesAsync(db, sales.Count == 0 ? "" : sales[0].WorkspaceId, keys, ct);
        var attempts = sales.Count == 0 ? [] : await counters.GetManyAsync(sales.Select(s => FlashSaleKeys.Attempts(s.WorkspaceId, s.Id)).ToArray(), ct);
        var money = MoneyUnits.Major(currency);
        return sales.Select((s, n) =>
        {
            var rows = items[s.Id].Select(i =>
            {
                var r = resources.GetValueOrDefault(FlashSaleKeys.Stock(s.Id, i.Sku));
                var held = r?.Held ?? 0;
                var sold = r?.Spent ?? 0;
                return new JsonObject
                {
                    ["sku"] = i.Sku,
                    ["price"] = money.Write(i.Price),
                    ["stock"] = i.Stock,
                    ["held"] = held,
                    ["sold"] = sold,
                    ["left"] = Math.Max(0, i.Stock - held - sold),
                };
            }).ToArray();
            return new JsonObject
            {
                ["id"] = s.Id,
                ["name"] = s.Name,
                ["state"] = State(s, now),
                ["status"] = s.Status,
                ["starts_at"] = s.StartsAt,
                ["ends_at"] = s.EndsAt,
                ["per_customer_limit"] = s.PerCustomerLimit,
                ["payment_seconds"] = s.PaymentSeconds,
                ["combines_with"] = new JsonArray(s.CombinesWith.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => (JsonNode)c).ToArray()),
                ["items"] = new JsonArray(rows),
                ["attempts"] = attempts[n],
                ["sold"] = rows.Sum(r => (long)r["sold"]!),
                ["held"] = rows.Sum(r => (long)r["held"]!),
                ["version"] = s.Version,
                ["created_at"] = s.CreatedAt,
                ["updated_at"] = s.UpdatedAt,
            };
        }).ToList();
    }

    /// <summary>upcoming, open, ended or cancelled, at <paramref name="now"/>.</summary>
    public static string State(FlashSale s, DateTimeOffset now) =>
        s.Status == FlashSaleStatus.Cancelled ? "cancelled" : now < s.StartsAt ? "upcoming" : now < s.EndsAt ? "open" : "ended";

    /// <summary>What the audit log records of a session: everything the operator set, prices in minor units.</summary>
    public static JsonObject Audited(FlashSale s) => new()
    {
        ["name"] = s.Name,
        ["status"] = s.Status,
        ["starts_at"] = s.StartsAt,
        ["ends_at"] = s.EndsAt,
        ["per_customer_limit"] = s.PerCustomerLimit,
        ["payment_seconds"] = s.PaymentSeconds,
        ["combines_with"] = s.CombinesWith,
        ["items_minor"] = JsonNode.Parse(s.Items),
    };

    /// <summary>An attempt: the reservation holding the units won, until when, and what the buyer will pay for each.</summary>
    public static JsonObject Attempt(Reservation r, string currency)
    {
        var won = FlashAttemptDetails.Of(r)!;
        return new JsonObject
        {
            ["id"] = r.Id,
            ["flash_sale_id"] = won.FlashSaleId,
            ["customer_id"] = r.CustomerId,
            ["sku"] = won.Sku,
            ["quantity"] = won.Quantity,
            ["unit_price"] = MoneyUnits.Major(currency).Write(won.UnitPrice),
            ["state"] = r.State,
            ["created_at"] = r.CreatedAt,
            ["expires_at"] = r.ExpiresAt,
            ["closed_at"] = r.ClosedAt,
            ["order_id"] = r.OrderId,
        };
    }
}
