using System.Globalization;
using System.Text.Json;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Promotions.FlashSales;

/// <summary>
/// The body of a session's create or replace: name, window, per-customer limit, payment window, what the flash price
/// combines with, and the SKUs with their flash price (major units of the workspace currency) and stock. Every mistake
/// comes back naming its field.
/// </summary>
public sealed record FlashSaleInput(
    string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int PerCustomerLimit, int PaymentSeconds, string CombinesWith, IReadOnlyList<FlashSaleItem> Items)
{
    public const int MaxItems = 200;
    public const int DefaultPaymentSeconds = 900;
    public const int MinPaymentSeconds = 30;
    public const int MaxPaymentSeconds = 86_400;
    public const long MaxStock = 100_000_000;

    public static readonly string[] Fields = ["name", "starts_at", "ends_at", "per_customer_limit", "payment_seconds", "combines_with", "items"];

    public static FlashSaleInput? Read(JsonElement body, WorkspaceSettings settings, FieldErrors errors)
    {
        var j = new JsonInput(body, errors);
        var name = Platform.Api.Fields.Required(j.Text("name"), "name", 200, errors);
        var startsAt = Instant(j, "starts_at", settings.Zone);
        var endsAt = Instant(j, "ends_at", settings.Zone);
        if (startsAt is { } s && endsAt is { } e && e <= s)
        {
            errors.Add("ends_at", "must be after starts_at.");
        }
        var perCustomer = j.WholeNumber("per_customer_limit") ?? 1;
        if (perCustomer < 1 && !errors.Has("per_customer_limit"))
        {
            errors.Add("per_customer_limit", "must be at least 1.");
        }
        var payment = j.WholeNumber("payment_seconds") ?? DefaultPaymentSeconds;
        if (payment is < MinPaymentSeconds or > MaxPaymentSeconds && !errors.Has("payment_seconds"))
        {
            errors.Add("payment_seconds", $"must be from {MinPaymentSeconds} to {MaxPaymentSeconds} seconds.");
        }
        var classes = j.Strings("combines_with") ?? [];
        for (var i = 0; i < classes.Count; i++)
        {
            if (!DefinitionJson.Classes.ContainsKey(classes[i]))
            {
                errors.Add($"combines_with[{i}]", $"'{classes[i]}' is not one of {string.Join(", ", DefinitionJson.Classes.Keys)}.");
            }
        }
        var items = ReadItems(j, MoneyUnits.Major(settings.Currency), errors);
        if (errors.Any)
        {
            return null;
        }
        return new FlashSaleInput(name!, startsAt!.Value, endsAt!.Value, perCustomer, payment, string.Join(',', classes.Distinct(StringComparer.Ordinal)), items);
    }

    private static List<FlashSaleItem> ReadItems(JsonInput j, MoneyUnits money, FieldErrors errors)
    {
        var items = new List<FlashSaleItem>();
        var given = j.Objects("items");
        if (given is null or { Count: 0 })
        {
            if (!errors.Has("items"))
            {
                errors.Add("items", "needs at least one SKU: {sku, price, stock}.");
            }
            return items;
        }
        if (given.Count > MaxItems)
        {
            errors.Add("items", $"has more than {MaxItems} SKUs.");
            return items;
        }
        for (var i = 0; i < given.Count; i++)
        {
            var item = given[i];
            var sku = Platform.Api.Fields.Required(item.Text("sku"), item.Field("sku"), 200, errors);
            if (sku is not null && items.Any(x => x.Sku == sku))
            {
                errors.Add(item.Field("sku"), $"'{sku}' is listed twice.");
            }
            var price = money.Read(item, "price");
            if (price is null && !errors.Has(item.Field("price")))
            {
                errors.Add(item.Field("price"), "is required: the flash price of one unit.");
            }
            var stock = item.LongNumber("stock");
            if (stock is null && !errors.Has(item.Field("stock")))
            {
                errors.Add(item.Field("stock"), "is required: the units on sale.");
            }
            else if (stock is < 1 or > MaxStock)
            {
                errors.Add(item.Field("stock"), $"must be from 1 to {MaxStock.ToString(CultureInfo.InvariantCulture)}.");
            }
            items.Add(new FlashSaleItem(sku ?? "", price ?? 0, stock ?? 0));
        }
        return items;
    }

    private static DateTimeOffset? Instant(JsonInput j, string name, TimeZoneInfo zone)
    {
        if (j.Text(name) is not { } text)
        {
            if (!j.Errors.Has(name))
            {
                j.Errors.Add(name, "is required (ISO 8601, e.g. 2026-11-11T20:00:00+08:00).");
            }
            return null;
        }
        if (Instants.TryParse(text, zone, out var value))
        {
            return value;
        }
        j.Errors.Add(name, $"'{text}' is not a date-time (ISO 8601, e.g. 2026-11-11T20:00:00+08:00).");
        return null;
    }
}
