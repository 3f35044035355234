using System.Net;
using System.Text;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Bugs;

/// <summary>
/// A batch over 1 MB made Kestrel's size limit throw while the body was parsed, and the API answered 500 — which
/// clients retry forever — instead of 413.
/// </summary>
public sealed class OversizedBatchWasAServerError
{
    [Fact]
    public async Task Batch_OverOneMegabyte_Is413()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var client = app.CreateClient(app.PublicKey);
        var padding = new string('x', 1024 * 1024);
        var body = $$$"""{"events":[{"event_id":"big","type":"page_view","customer_id":"c1","properties":{"pad":"{{{padding}}}"}}]}""";

        var response = await client.PostAsync("/api/v1/events/batch", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
