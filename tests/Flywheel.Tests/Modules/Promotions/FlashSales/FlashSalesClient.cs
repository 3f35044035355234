using System.Net;
using System.Text.Json;
using Flywheel.Platform.Api;
using Flywheel.Tests.Modules.Promotions.Checkout;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Promotions.FlashSales;

/// <summary>Intent methods for flash sales over real HTTP (snake_case JSON, amounts in yuan).</summary>
internal static class FlashSalesClient
{
    /// <summary>A session open from <paramref name="start"/> for an hour: SKU "tea" at <paramref name="price"/> yuan.</summary>
    public static object Session(DateTimeOffset start, long stock, decimal price = 80, int perCustomer = 1, int paymentSeconds = 300, string[]? combinesWith = null) => new
    {
        name = "Double 11 tea",
        starts_at = start,
        ends_at = start.AddHours(1),
        per_customer_limit = perCustomer,
        payment_seconds = paymentSeconds,
        combines_with = combinesWith ?? [],
        items = new[] { new { sku = "tea", price, stock } },
    };

    public static async Task<string> CreateSessionAsync(this FlywheelApp app, object body) =>
        (await PromotionsClient.CreatedAsync(await app.PostJsonAsync("/api/v1/flash-sales", body))).GetProperty("id").GetString()!;

    public static Task<HttpResponseMessage> AttemptAsync(this FlywheelApp app, string saleId, string customer, string key, int quantity = 1) =>
        AttemptAsync(app.Client, saleId, customer, key, quantity);

    public static async Task<HttpResponseMessage> AttemptAsync(HttpClient client, string saleId, string customer, string key, int quantity = 1)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/flash-sales/{saleId}/attempts")
        {
            Content = JsonContent.Create(new { customer_id = customer, sku = "tea", quantity }, options: ApiJson.Options),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    /// <summary>The id of an attempt that must have won.</summary>
    public static async Task<string> WinAsync(this FlywheelApp app, string saleId, string customer, string key, int quantity = 1) =>
        (await PromotionsClient.CreatedAsync(await app.AttemptAsync(saleId, customer, key, quantity))).GetProperty("id").GetString()!;

    /// <summary>The monitor's figures for SKU "tea": held, sold, left; and the session's attempts.</summary>
    public static async Task<(long Held, long Sold, long Left, long Attempts)> TeaAsync(this FlywheelApp app, string saleId)
    {
        var sale = await app.GetJsonAsync($"/api/v1/flash-sales/{saleId}");
        var tea = sale.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("sku").GetString() == "tea");
        return (tea.GetProperty("held").GetInt64(), tea.GetProperty("sold").GetInt64(), tea.GetProperty("left").GetInt64(), sale.GetProperty("attempts").GetInt64());
    }

    public static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        return (await FlywheelApp.ReadJsonAsync(response)).GetProperty("detail").GetString()!;
    }

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
