using System.Net;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Promotions.Checkout;

/// <summary>Promotions stored and managed through /api/v1/promotions: every reward kind, validation per field, status, audit, scopes.</summary>
public sealed class PromotionsApiTests
{
    [Fact]
    public async Task APromotion_IsStoredInMinorUnits_AndShownInYuan_WithItsBudgetAndLimits()
    {
        await using var app = await FlywheelApp.StartAsync();
        var created = await app.CreatePromotionAsync(new
        {
            name = "满200减20", @class = "order", reward = new { kind = "threshold_off", threshold = 200, off = 20.50m },
            budget = 1000.25m, per_customer_limit = 1, total_limit = 500, combines_with = new[] { "item", "shipping" },
        });
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("promo_", id, StringComparison.Ordinal);
        Assert.Equal("draft", created.GetProperty("status").GetString());
        var read = await app.GetJsonAsync($"/api/v1/promotions/{id}");
        Assert.Equal(20.50m, read.GetProperty("reward").GetProperty("off").GetDecimal());
        Assert.Equal(200.00m, read.GetProperty("reward").GetProperty("threshold").GetDecimal());
        Assert.Equal(1000.25m, read.GetProperty("budget").GetDecimal());
        Assert.Equal(0m, read.GetProperty("budget_spent").GetDecimal());
        Assert.Equal(1, read.GetProperty("per_customer_limit").GetInt32());
        Assert.Equal(["item", "shipping"], read.GetProperty("combines_with").EnumerateArray().Select(e => e.GetString()));
    }

    public static TheoryData<string, object> EveryRewardKind => new()
    {
        { "percent_off", new { kind = "percent_off", percent = 15, cap = 30 } },
        { "amount_off", new { kind = "amount_off", amount = 5, per_unit = true } },
        { "threshold_off", new { kind = "threshold_off", threshold = 100, off = 10, repeating = true, cap = 50 } },
        { "tiered", new { kind = "tiered", tiers = new object[] { new { threshold = 200, off = 20 }, new { threshold = 300, off = 40, free_shipping = true, gifts = new[] { new { sku = "mug", quantity = 1, value = 9.9m } } } } } },
        { "quantity_ladder", new { kind = "quantity_ladder", steps = new[] { new { minimum_quantity = 2, percent = 10 }, new { minimum_quantity = 3, percent = 20 } } } },
        { "buy_get", new { kind = "buy_get", buy = 2, get = 1, percent = 100 } },
        { "bundle_price", new { kind = "bundle_price", items = new[] { new { sku = "a", quantity = 1 }, new { sku = "b", quantity = 1 } }, price = 99 } },
        { "special_prices", new { kind = "special_prices", prices = new[] { new { sku = "a", unit_price = 80 } } } },
        { "free_shipping", new { kind = "free_shipping", cap = 10 } },
        { "gifts", new { kind = "gifts", items = new[] { new { sku = "mug", quantity = 1, value = 9.9m } } } },
    };

    [Theory]
    [MemberData(nameof(EveryRewardKind))]
    public async Task EveryRewardKind_RoundTripsThroughTheApi(string kind, object reward)
    {
        await using var app = await FlywheelApp.StartAsync();
        var @class = kind switch
        {
            "tiered" or "gifts" or "threshold_off" => "order",
            "free_shipping" => "shipping",
            _ => "item",
        };
        var created = await app.CreatePromotionAsync(new { name = kind, @class, reward });
        var read = await app.GetJsonAsync($"/api/v1/promotions/{created.GetProperty("id").GetString()}");
        Assert.Equal(kind, read.GetProperty("reward").GetProperty("kind").GetString());
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(created.GetProperty("reward")), System.Text.Json.JsonSerializer.Serialize(read.GetProperty("reward")));
    }

    public static TheoryData<string, object> BadDefinitions => new()
    {
        { "reward.percent", new { name = "x", @class = "item", reward = new { kind = "percent_off", percent = 120 } } },
        { "reward.off", new { name = "x", @class = "order", reward = new { kind = "threshold_off", threshold = 100, off = 150 } } },
        { "reward.tiers[1].threshold", new { name = "x", @class = "order", reward = new { kind = "tiered", tiers = new[] { new { threshold = 300, off = 20 }, new { threshold = 200, off = 30 } } } } },
        { "reward.steps[1].minimum_quantity", new { name = "x", @class = "item", reward = new { kind = "quantity_ladder", steps = new[] { new { minimum_quantity = 3, percent = 10 }, new { minimum_quantity = 2, percent = 20 } } } } },
        { "class", new { name = "x", @class = "shipping", reward = new { kind = "percent_off", percent = 10 } } },
        { "ends_at", new { name = "x", @class = "item", reward = new { kind = "percent_off", percent = 10 }, starts_at = "2026-11-11T00:00:00+08:00", ends_at = "2026-11-10T00:00:00+08:00" } },
        { "reward.kind", new { name = "x", @class = "item", reward = new { kind = "half_price" } } },
        { "reward.threshold", new { name = "x", @class = "order", reward = new { kind = "threshold_off", threshold = 10.001m, off = 1 } } },
        { "budget", new { name = "x", @class = "item", reward = new { kind = "percent_off", percent = 10 }, budget = -5 } },
        { "total_limit", new { name = "x", @class = "item", reward = new { kind = "percent_off", percent = 10 }, total_limit = 0 } },
        { "status", new { name = "x", @class = "item", reward = new { kind = "percent_off", percent = 10 }, status = "running" } },
        { "name", new { @class = "item", reward = new { kind = "percent_off", percent = 10 } } },
        { "reward", new { name = "x", @class = "item" } },
        { "minimum_quantity", new { name = "x", @class = "item", reward = new { kind = "percent_off", percent = 10 }, minimum_quantity = 0 } },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public async Task ABadDefinition_IsRefusedWith400NamingTheField_AndNothingIsStored(string field, object body)
    {
        await using var app = await FlywheelApp.StartAsync();
        var fields = await PromotionsClient.ErrorFieldsAsync(await app.PostJsonAsync("/api/v1/promotions", body));
        Assert.Equal([field], fields);
        Assert.Equal(0, (await app.GetJsonAsync("/api/v1/promotions")).GetArrayLength());
    }

    [Fact]
    public async Task StatusChanges_AreAudited_EndedIsFinal_AndOnlyDraftsAreDeleted()
    {
        await using var app = await FlywheelApp.StartAsync();
        var id = (await app.CreatePromotionAsync(new { name = "10% off", @class = "item", reward = new { kind = "percent_off", percent = 10 } }))
            .GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync($"/api/v1/promotions/{id}/status", new { status = "active" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.Client.DeleteAsync($"/api/v1/promotions/{id}")).StatusCode);
        var replaced = await app.Client.PutAsJsonAsync($"/api/v1/promotions/{id}", new { name = "12% off", status = "active", @class = "item", reward = new { kind = "percent_off", percent = 12 } });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync($"/api/v1/promotions/{id}/status", new { status = "ended" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync($"/api/v1/promotions/{id}/status", new { status = "active" })).StatusCode);
        Assert.Equal("ended", (await app.GetJsonAsync($"/api/v1/promotions/{id}")).GetProperty("status").GetString());

        var audit = (await app.GetJsonAsync("/api/v1/audit?entity_type=promotion")).GetProperty("items").EnumerateArray()
            .Select(e => e.GetProperty("action").GetString()!).Reverse().ToArray();
        Assert.Equal(["created", "status_changed", "updated", "status_changed"], audit);

        var draft = (await app.CreatePromotionAsync(new { name = "draft", @class = "item", reward = new { kind = "percent_off", percent = 5 } })).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/api/v1/promotions/{draft}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync($"/api/v1/promotions/{draft}")).StatusCode);
    }

    [Fact]
    public async Task AKeyWithoutPromotionsWrite_CanReadButNotChange()
    {
        await using var app = await FlywheelApp.StartAsync();
        var response = await app.Client.PostAsJsonAsync("/api/v1/keys", new { kind = "secret", name = "reader", scopes = new[] { "promotions:read" } });
        using var reader = app.CreateClient((await FlywheelApp.ReadJsonAsync(response)).GetProperty("secret").GetString());
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/promotions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await reader.PostAsJsonAsync("/api/v1/promotions", new { name = "x", @class = "item", reward = new { kind = "percent_off", percent = 10 } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/checkout/quote", PromotionsClient.Cart("c1", 10))).StatusCode);
    }
}
