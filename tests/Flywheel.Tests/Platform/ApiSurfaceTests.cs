using System.Net;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Platform;

public sealed class ApiSurfaceTests
{
    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var anonymous = app.CreateClient();

        var document = await FlywheelApp.ReadJsonAsync(await anonymous.GetAsync("/openapi/v1.json"));

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/events/batch", paths);
        Assert.Contains("/api/v1/customers/{id}/events", paths);
        Assert.Contains("/api/v1/keys", paths);
        Assert.Contains("/v1/batch", paths);
    }

    [Fact]
    public async Task DocsPage_HealthAndMetrics_AreServed()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var anonymous = app.CreateClient();
        await app.PostEventsAsync(new { event_id = "m1", type = "page_view", anonymous_id = "a1" });

        var docs = await anonymous.GetAsync("/docs/");
        var health = await anonymous.GetAsync("/health");
        var metrics = await anonymous.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("text/html", docs.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        // The batch request above was counted by the HTTP metrics, in Prometheus' text format.
        Assert.Contains("# TYPE http_request_duration_seconds histogram", metrics, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_count{code=\"200\",method=\"POST\",controller=\"\",action=\"\",endpoint=\"/api/v1/events/batch\"} 1",
            metrics, StringComparison.Ordinal);
        Assert.Contains("flywheel_events_stored_total 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_IsAProblemDocument()
    {
        await using var app = await FlywheelApp.StartAsync();

        var response = await app.Client.GetAsync("/api/v1/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
