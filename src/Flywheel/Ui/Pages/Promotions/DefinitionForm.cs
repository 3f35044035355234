using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;

namespace Flywheel.Ui.Pages.Promotions;

/// <summary>
/// The fields a promotion and a coupon template share in the console's forms, turned into the API's JSON body so that
/// the API's own reading and checks apply. The reward is edited as the API's JSON (one example per kind to start
/// from), since its shape differs by kind; the other fields are plain inputs. Text that is not a number is passed on
/// as text, so the API names the field.
/// </summary>
public sealed class DefinitionForm
{
    public string Name { get; set; } = "";
    public string Class { get; set; } = "order";
    public string Reward { get; set; } = Examples["threshold_off"];
    public string Categories { get; set; } = "";
    public string Skus { get; set; } = "";
    public string Stores { get; set; } = "";

    /// <summary>跨店满减: the threshold counts the stores in scope together (order promotions only).</summary>
    public bool CrossStore { get; set; }
    public string Segments { get; set; } = "";
    public string MinimumSpend { get; set; } = "";
    public string Priority { get; set; } = "";
    public string ExclusivityGroup { get; set; } = "";
    public string CombinesWith { get; set; } = "";
    public string PerCustomerLimit { get; set; } = "";
    public string TotalLimit { get; set; } = "";

    /// <summary>A reward of each kind, in the API's shape, to edit from.</summary>
    public static readonly IReadOnlyDictionary<string, string> Examples = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["percent_off"] = """{"kind": "percent_off", "percent": 10, "cap": 50}""",
        ["amount_off"] = """{"kind": "amount_off", "amount": 20}""",
        ["threshold_off"] = """{"kind": "threshold_off", "threshold": 200, "off": 20, "repeating": false}""",
        ["tiered"] = """{"kind": "tiered", "tiers": [{"threshold": 200, "off": 20}, {"threshold": 500, "off": 60, "free_shipping": true}]}""",
        ["quantity_ladder"] = """{"kind": "quantity_ladder", "steps": [{"minimum_quantity": 2, "percent": 10}, {"minimum_quantity": 3, "percent": 20}]}""",
        ["buy_get"] = """{"kind": "buy_get", "buy": 2, "get": 1, "percent": 100}""",
        ["bundle_price"] = """{"kind": "bundle_price", "items": [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 1}], "price": 99}""",
        ["special_prices"] = """{"kind": "special_prices", "prices": [{"sku": "A", "unit_price": 79}]}""",
        ["free_shipping"] = """{"kind": "free_shipping"}""",
        ["gifts"] = """{"kind": "gifts", "items": [{"sku": "GIFT-1", "quantity": 1, "value": 19.9}]}""",
    };

    public static readonly string[] Classes = [.. DefinitionJson.Classes.Keys];

    /// <summary>The fields from an API view (a promotion or a template).</summary>
    public void Load(JsonObject view)
    {
        Name = view["name"]?.GetValue<string>() ?? "";
        Class = view["class"]?.GetValue<string>() ?? "order";
        Reward = view["reward"]?.ToJsonString() ?? "";
        Categories = List(view["scope"]?["categories"]);
        Skus = List(view["scope"]?["skus"]);
        Stores = List(view["scope"]?["stores"]);
        CrossStore = view["cross_store"]?.GetValue<bool>() ?? false;
        Segments = List(view["audience"]?["segments"]);
        MinimumSpend = Text(view["minimum_spend"]);
        Priority = Text(view["priority"]);
        ExclusivityGroup = Text(view["exclusivity_group"]);
        CombinesWith = List(view["combines_with"]);
        PerCustomerLimit = Text(view["per_customer_limit"]);
        TotalLimit = Text(view["total_limit"]);
    }

    /// <summary>The body; null with the reason when the reward is not JSON.</summary>
    public JsonObject? Body(out string? rewardError)
    {
        rewardError = null;
        JsonNode? reward;
        try
        {
            reward = JsonNode.Parse(Reward);
        }
        catch (JsonException ex)
        {
            rewardError = ex.Message;
            return null;
        }
        var body = new JsonObject
        {
            ["name"] = Name,
            ["class"] = Class,
            ["reward"] = reward,
            ["scope"] = new JsonObject { ["categories"] = Array(Categories), ["skus"] = Array(Skus), ["stores"] = Array(Stores) },
            ["audience"] = new JsonObject { ["segments"] = Array(Segments) },
            ["combines_with"] = Array(CombinesWith),
            ["cross_store"] = CrossStore,
        };
        Put(body, "minimum_spend", MinimumSpend);
        Put(body, "priority", Priority);
        Put(body, "per_customer_limit", PerCustomerLimit);
        Put(body, "total_limit", TotalLimit);
        if (!string.IsNullOrWhiteSpace(ExclusivityGroup))
        {
            body["exclusivity_group"] = ExclusivityGroup.Trim();
        }
        return body;
    }

    /// <summary>A number when the text is one, else the text itself (the API then says what is wrong); nothing when blank.</summary>
    public static void Put(JsonObject body, string field, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }
        body[field] = decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text.Trim());
    }

    public static JsonArray Array(string commaSeparated) =>
        new(commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => (JsonNode)JsonValue.Create(s)).ToArray());

    private static string List(JsonNode? node) => node is JsonArray array ? string.Join(", ", array.Select(n => n?.GetValue<string>())) : "";

    private static string Text(JsonNode? node) => node is null ? "" : node.ToJsonString().Trim('"');
}
