using System.Net;
using System.Net.Http.Headers;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Customers;

/// <summary>Serving /sdk/flywheel.js, and the CORS that lets shop pages on other origins send events.</summary>
public sealed class TrackingScriptTests
{
    [Fact]
    public async Task Script_IsServedAsJavaScriptWithCachingHeaders_AndRevalidatesWith304()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/sdk/flywheel.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=3600", response.Headers.CacheControl!.ToString());
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        var source = await File.ReadAllTextAsync(
            Path.Combine(ChildProcess.RepositoryRoot(), "src", "Flywheel", "Modules", "Customers", "Tracking", "flywheel.js"));
        Assert.Equal(source, await response.Content.ReadAsStringAsync());

        using var again = new HttpRequestMessage(HttpMethod.Get, "/sdk/flywheel.js");
        again.Headers.IfNoneMatch.Add(etag);
        var revalidated = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task IngestionPreflight_FromAnyOrigin_AllowsTheKeyHeaderAndJson()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = app.CreateClient();

        var preflight = await client.SendAsync(Preflight("/api/v1/events/batch"));

        Assert.True(preflight.IsSuccessStatusCode, $"preflight answered {preflight.StatusCode}");
        Assert.Equal("*", Header(preflight, "Access-Control-Allow-Origin"));
        var allowed = Header(preflight, "Access-Control-Allow-Headers")!.ToLowerInvariant();
        Assert.Contains("authorization", allowed, StringComparison.Ordinal);
        Assert.Contains("content-type", allowed, StringComparison.Ordinal);
        Assert.Contains("POST", Header(preflight, "Access-Control-Allow-Methods"), StringComparison.Ordinal);

        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events/batch")
        {
            Content = new StringContent("""{"events":[{"event_id":"cors-1","type":"page_view","anonymous_id":"a-1"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        post.Headers.Add("Origin", "https://shop.example");
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.PublicKey);
        var sent = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal("*", Header(sent, "Access-Control-Allow-Origin"));
        Assert.Equal("Retry-After", Header(sent, "Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task ConsoleApi_IsNotOpenedToOtherOrigins()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = app.CreateClient();

        var preflight = await client.SendAsync(Preflight("/api/v1/customers"));

        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", "https://shop.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
