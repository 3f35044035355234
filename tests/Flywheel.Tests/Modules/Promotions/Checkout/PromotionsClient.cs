using System.Net;
using System.Text.Json;
using Flywheel.Platform.Api;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Promotions.Checkout;

/// <summary>Intent methods for promotions, coupons and checkout over real HTTP (snake_case JSON, amounts in yuan).</summary>
internal static class PromotionsClient
{
    public static async Task<JsonElement> CreatePromotionAsync(this FlywheelApp app, object body) =>
        await CreatedAsync(await app.PostJsonAsync("/api/v1/promotions", body));

    public static async Task<JsonElement> CreateTemplateAsync(this FlywheelApp app, object body) =>
        await CreatedAsync(await app.PostJsonAsync("/api/v1/coupon-templates", body));

    public static async Task<string> ClaimAsync(this FlywheelApp app, string templateId, string customerId) =>
        (await CreatedAsync(await app.PostJsonAsync($"/api/v1/coupon-templates/{templateId}/claim", new { customer_id = customerId })))
            .GetProperty("code").GetString()!;

    public static async Task<JsonElement> QuoteAsync(this FlywheelApp app, object cart)
    {
        var response = await app.PostJsonAsync("/api/v1/checkout/quote", cart);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await FlywheelApp.ReadJsonAsync(response);
    }

    public static Task<HttpResponseMessage> ReserveAsync(this FlywheelApp app, object cart, string key) =>
        ReserveAsync(app.Client, cart, key);

    public static async Task<HttpResponseMessage> ReserveAsync(HttpClient client, object cart, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/checkout/reserve") { Content = JsonContent.Create(cart, options: ApiJson.Options) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> CommitAsync(this FlywheelApp app, string reservationId) =>
        app.Client.PostAsync($"/api/v1/checkout/{reservationId}/commit", null);

    public static Task<HttpResponseMessage> ReleaseAsync(this FlywheelApp app, string reservationId) =>
        app.Client.PostAsync($"/api/v1/checkout/{reservationId}/release", null);

    public static async Task<JsonElement> GetJsonAsync(this FlywheelApp app, string path)
    {
        var response = await app.Client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await FlywheelApp.ReadJsonAsync(response);
    }

    /// <summary>A cart of one line: <paramref name="quantity"/> × <paramref name="unitPrice"/> yuan of SKU "tea".</summary>
    public static object Cart(string customer, decimal unitPrice, int quantity = 1, params string[] codes) => new
    {
        customer = new { id = customer },
        lines = new[] { new { id = "l1", sku = "tea", category = "food", quantity, unit_price = unitPrice } },
        coupon_codes = codes,
    };

    public static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await FlywheelApp.ReadJsonAsync(response);
    }

    /// <summary>The field names of a 400's errors.</summary>
    public static async Task<string[]> ErrorFieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await FlywheelApp.ReadJsonAsync(response);
        return body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
    }
}
