using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Promotions.Definitions;

/// <summary>
/// A pricing definition (<see cref="Promotion"/>) to and from JSON: the API's shape, written once for requests,
/// answers and storage. Field names are those of the API (snake_case), so a reading error names the field the client
/// sent. Rules about values (ranges, tiers in order, classes) are <see cref="PromotionValidation"/>'s, not repeated here.
/// </summary>
public static class DefinitionJson
{
    /// <summary>The fields of a definition at the top level of a request body.</summary>
    public static readonly string[] Fields =
    [
        "class", "reward", "scope", "audience", "starts_at", "ends_at", "minimum_spend", "minimum_quantity", "priority",
        "exclusivity_group", "combines_with", "cross_store",
    ];

    public static readonly IReadOnlyDictionary<string, PromotionClass> Classes = new Dictionary<string, PromotionClass>(StringComparer.Ordinal)
    {
        ["item"] = PromotionClass.Item,
        ["order"] = PromotionClass.Order,
        ["shipping"] = PromotionClass.Shipping,
    };

    /// <summary>The reward kinds by their API name.</summary>
    public static readonly string[] RewardKinds =
        ["percent_off", "amount_off", "threshold_off", "tiered", "quantity_ladder", "buy_get", "bundle_price", "special_prices", "free_shipping", "gifts"];

    /// <summary>
    /// Reads a definition from <paramref name="body"/>; null with errors when a field is missing or of the wrong type.
    /// <paramref name="zone"/> places date-times written without an offset.
    /// </summary>
    public static Promotion? Read(JsonElement body, string id, string name, MoneyUnits money, TimeZoneInfo zone, FieldErrors errors)
    {
        var j = new JsonInput(body, errors);
        PromotionClass? @class = null;
        if (j.Text("class") is { } classText)
        {
            if (Classes.TryGetValue(classText, out var c))
            {
                @class = c;
            }
            else
            {
                errors.Add("class", $"'{classText}' is not one of {string.Join(", ", Classes.Keys)}.");
            }
        }
        else
        {
            errors.Add("class", $"is required: one of {string.Join(", ", Classes.Keys)}.");
        }
        Reward? reward = null;
        if (Child(j, "reward", required: true) is { } r)
        {
            reward = ReadReward(r, money);
        }
        var scope = Child(j, "scope", required: false) is { } s ? ReadScope(s) : PromotionScope.Everything;
        var audience = Child(j, "audience", required: false) is { } a ? ReadAudience(a) : Audience.Everyone;
        var combines = new List<PromotionClass>();
        foreach (var (entry, i) in (j.Strings("combines_with") ?? []).Select((e, i) => (e, i)))
        {
            if (Classes.TryGetValue(entry, out var c))
            {
                combines.Add(c);
            }
            else
            {
                errors.Add($"combines_with[{i}]", $"'{entry}' is not one of {string.Join(", ", Classes.Keys)}.");
            }
        }
        var promotion = new Promotion
        {
            Id = id,
            Name = name,
            Class = @class ?? PromotionClass.Order,
            Reward = reward ?? new FreeShipping(),
            Scope = scope,
            Audience = audience,
            StartsAt = Instant(j, "starts_at", zone),
            EndsAt = Instant(j, "ends_at", zone),
            MinimumSpend = money.Read(j, "minimum_spend"),
            MinimumQuantity = j.WholeNumber("minimum_quantity"),
            Priority = j.WholeNumber("priority") ?? 0,
            ExclusivityGroup = j.Text("exclusivity_group"),
            CombinesWith = combines.Distinct().ToArray(),
            CrossStore = j.Bool("cross_store") ?? false,
        };
        return errors.Any ? null : promotion;
    }

    /// <summary>The definition's fields as JSON (without id and name, which the stored record carries).</summary>
    public static JsonObject Write(Promotion p, MoneyUnits money)
    {
        var o = new JsonObject
        {
            ["class"] = Name(p.Class),
            ["reward"] = WriteReward(p.Reward, money),
            ["scope"] = new JsonObject
            {
                ["skus"] = Strings(p.Scope.Skus),
                ["categories"] = Strings(p.Scope.Categories),
                ["brands"] = Strings(p.Scope.Brands),
                ["stores"] = Strings(p.Scope.Stores),
            },
            ["audience"] = new JsonObject
            {
                ["segments"] = Strings(p.Audience.Segments),
                ["tiers"] = Strings(p.Audience.Tiers),
                ["lifecycles"] = Strings(p.Audience.Lifecycles),
                ["channels"] = Strings(p.Audience.Channels),
                ["first_order_only"] = p.Audience.FirstOrderOnly,
            },
            ["starts_at"] = p.StartsAt?.ToString("O", CultureInfo.InvariantCulture),
            ["ends_at"] = p.EndsAt?.ToString("O", CultureInfo.InvariantCulture),
            ["minimum_spend"] = money.Write(p.MinimumSpend),
            ["minimum_quantity"] = p.MinimumQuantity,
            ["priority"] = p.Priority,
            ["exclusivity_group"] = p.ExclusivityGroup,
            ["combines_with"] = Strings(p.CombinesWith.Select(Name).ToArray()),
            ["cross_store"] = p.CrossStore,
        };
        return o;
    }

    /// <summary>Reads a stored definition (minor units, UTC date-times); it was valid when saved.</summary>
    public static Promotion ReadStored(string json, string id, string name)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new FieldErrors();
        return Read(document.RootElement, id, name, MoneyUnits.Minor, TimeZoneInfo.Utc, errors)
            ?? throw new InvalidOperationException($"The stored definition of {id} cannot be read: {string.Join("; ", errors.ToDictionary().Select(e => e.Key + " " + e.Value[0]))}");
    }

    public static string Stored(Promotion p) => Write(p, MoneyUnits.Minor).ToJsonString();

    public static string Name(PromotionClass c) => c switch
    {
        PromotionClass.Item => "item",
        PromotionClass.Order => "order",
        _ => "shipping",
    };

    public static string KindOf(Reward reward) => reward switch
    {
        PercentOff => "percent_off",
        AmountOff => "amount_off",
        ThresholdOff => "threshold_off",
        TieredReward => "tiered",
        QuantityLadder => "quantity_ladder",
        BuyGet => "buy_get",
        BundlePrice => "bundle_price",
        SpecialPrices => "special_prices",
        FreeShipping => "free_shipping",
        _ => "gifts",
    };

    private static Reward? ReadReward(JsonInput r, MoneyUnits money)
    {
        var errors = r.Errors;
        var kind = r.Text("kind");
        if (kind is null)
        {
            errors.Add(r.Field("kind"), $"is required: one of {string.Join(", ", RewardKinds)}.");
            return null;
        }
        long Amount(string name)
        {
            var value = money.Read(r, name);
            if (value is null && !errors.Has(r.Field(name)))
            {
                errors.Add(r.Field(name), "is required.");
            }
            return value ?? 0;
        }
        int Whole(JsonInput at, string name)
        {
            var value = at.WholeNumber(name);
            if (value is null && !errors.Has(at.Field(name)))
            {
                errors.Add(at.Field(name), "is required.");
            }
            return value ?? 0;
        }
        decimal Percent(JsonInput at, string name)
        {
            var value = at.Number(name);
            if (value is null && !errors.Has(at.Field(name)))
            {
                errors.Add(at.Field(name), "is required.");
            }
            return value ?? 0;
        }
        switch (kind)
        {
            case "percent_off":
                return new PercentOff(Percent(r, "percent")) { Cap = money.Read(r, "cap") };
            case "amount_off":
                return new AmountOff(Amount("amount")) { PerUnit = r.Bool("per_unit") ?? false };
            case "threshold_off":
                return new ThresholdOff(Amount("threshold"), Amount("off")) { Repeating = r.Bool("repeating") ?? false, Cap = money.Read(r, "cap") };
            case "tiered":
                return new TieredReward(Required(r, "tiers").Select(t => new RewardTier(money.Read(t, "threshold") ?? Missing(t, "threshold"))
                {
                    Off = money.Read(t, "off") ?? 0,
                    Gifts = ReadGifts(t, "gifts", money),
                    FreeShipping = t.Bool("free_shipping") ?? false,
                    PriorityShipping = t.Bool("priority_shipping") ?? false,
                }).ToArray());
            case "quantity_ladder":
                return new QuantityLadder(Required(r, "steps").Select(s => new LadderStep(Whole(s, "minimum_quantity"), Percent(s, "percent"))).ToArray());
            case "buy_get":
                return new BuyGet(Whole(r, "buy"), Whole(r, "get")) { Percent = r.Number("percent") ?? 100m };
            case "bundle_price":
                return new BundlePrice(Required(r, "items").Select(i => new BundleItem(i.Text("sku") ?? "", Whole(i, "quantity"))).ToArray(), Amount("price"));
            case "special_prices":
                return new SpecialPrices(Required(r, "prices").Select(p => new SpecialPrice(p.Text("sku") ?? "", money.Read(p, "unit_price") ?? Missing(p, "unit_price"))).ToArray());
            case "free_shipping":
                return new FreeShipping { Cap = money.Read(r, "cap") };
            case "gifts":
                return new Gifts(ReadGifts(r, "items", money));
            default:
                errors.Add(r.Field("kind"), $"'{kind}' is not one of {string.Join(", ", RewardKinds)}.");
                return null;
        }
    }

    private static JsonObject WriteReward(Reward reward, MoneyUnits money)
    {
        var o = new JsonObject { ["kind"] = KindOf(reward) };
        switch (reward)
        {
            case PercentOff p:
                o["percent"] = p.Percent;
                o["cap"] = money.Write(p.Cap);
                break;
            case AmountOff a:
                o["amount"] = money.Write(a.Amount);
                o["per_unit"] = a.PerUnit;
                break;
            case ThresholdOff t:
                o["threshold"] = money.Write(t.Threshold);
                o["off"] = money.Write(t.Off);
                o["repeating"] = t.Repeating;
                o["cap"] = money.Write(t.Cap);
                break;
            case TieredReward tiers:
                o["tiers"] = new JsonArray(tiers.Tiers.Select(t => (JsonNode)new JsonObject
                {
                    ["threshold"] = money.Write(t.Threshold),
                    ["off"] = money.Write(t.Off),
                    ["gifts"] = WriteGifts(t.Gifts, money),
                    ["free_shipping"] = t.FreeShipping,
                    ["priority_shipping"] = t.PriorityShipping,
                }).ToArray());
                break;
            case QuantityLadder ladder:
                o["steps"] = new JsonArray(ladder.Steps.Select(s => (JsonNode)new JsonObject
                {
                    ["minimum_quantity"] = s.MinimumQuantity,
                    ["percent"] = s.Percent,
                }).ToArray());
                break;
            case BuyGet b:
                o["buy"] = b.Buy;
                o["get"] = b.Get;
                o["percent"] = b.Percent;
                break;
            case BundlePrice bundle:
                o["items"] = new JsonArray(bundle.Items.Select(i => (JsonNode)new JsonObject { ["sku"] = i.Sku, ["quantity"] = i.Quantity }).ToArray());
                o["price"] = money.Write(bundle.Price);
                break;
            case SpecialPrices prices:
                o["prices"] = new JsonArray(prices.Prices.Select(p => (JsonNode)new JsonObject { ["sku"] = p.Sku, ["unit_price"] = money.Write(p.UnitPrice) }).ToArray());
                break;
            case FreeShipping f:
                o["cap"] = money.Write(f.Cap);
                break;
            case Gifts g:
                o["items"] = WriteGifts(g.Items, money);
                break;
        }
        return o;
    }

    private static GiftItem[] ReadGifts(JsonInput at, string name, MoneyUnits money) =>
        (at.Objects(name) ?? []).Select(g => new GiftItem(g.Text("sku") ?? "", g.WholeNumber("quantity") ?? 1, money.Read(g, "value") ?? 0)).ToArray();

    private static JsonArray WriteGifts(IReadOnlyList<GiftItem> gifts, MoneyUnits money) =>
        new(gifts.Select(g => (JsonNode)new JsonObject { ["sku"] = g.Sku, ["quantity"] = g.Quantity, ["value"] = money.Write(g.Value) }).ToArray());

    private static PromotionScope ReadScope(JsonInput s) => new()
    {
        Skus = s.Strings("skus") ?? [],
        Categories = s.Strings("categories") ?? [],
        Brands = s.Strings("brands") ?? [],
        Stores = s.Strings("stores") ?? [],
    };

    private static Audience ReadAudience(JsonInput a) => new()
    {
        Segments = a.Strings("segments") ?? [],
        Tiers = a.Strings("tiers") ?? [],
        Lifecycles = a.Strings("lifecycles") ?? [],
        Channels = a.Strings("channels") ?? [],
        FirstOrderOnly = a.Bool("first_order_only") ?? false,
    };

    private static JsonInput? Child(JsonInput j, string name, bool required)
    {
        if (!j.Has(name))
        {
            if (required)
            {
                j.Errors.Add(j.Field(name), "is required.");
            }
            return null;
        }
        var value = j.Element.GetProperty(name);
        if (value.ValueKind != JsonValueKind.Object)
        {
            j.Errors.Add(j.Field(name), "must be an object.");
            return null;
        }
        return new JsonInput(value, j.Errors, j.Field(name) + ".");
    }

    private static IReadOnlyList<JsonInput> Required(JsonInput r, string name)
    {
        var list = r.Objects(name);
        if (list is null && !r.Errors.Has(r.Field(name)))
        {
            r.Errors.Add(r.Field(name), "is required.");
        }
        return list ?? [];
    }

    private static long Missing(JsonInput at, string name)
    {
        if (!at.Errors.Has(at.Field(name)))
        {
            at.Errors.Add(at.Field(name), "is required.");
        }
        return 0;
    }

    private static DateTimeOffset? Instant(JsonInput j, string name, TimeZoneInfo zone)
    {
        if (j.Text(name) is not { } text)
        {
            return null;
        }
        if (Instants.TryParse(text, zone, out var value))
        {
            return value;
        }
        j.Errors.Add(j.Field(name), $"'{text}' is not a date-time (ISO 8601, e.g. 2026-11-11T00:00:00+08:00).");
        return null;
    }

    private static JsonArray Strings(IReadOnlyList<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
