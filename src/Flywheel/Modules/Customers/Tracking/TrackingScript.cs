using System.Security.Cryptography;
using Flywheel.Platform.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Flywheel.Modules.Customers.Tracking;

/// <summary>
/// GET /sdk/flywheel.js: the browser tracking script (docs/tracking.md). Its URL carries no version, so browsers
/// keep it for an hour and then revalidate by ETag, which changes whenever the script does.
/// </summary>
public static class TrackingScript
{
    public const string Path = "/sdk/flywheel.js";
    public const string CacheControl = "public, max-age=3600";

    private static readonly Lazy<(byte[] Body, EntityTagHeaderValue ETag)> Script = new(Load);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(Path, Serve)
            .AllowAnonymous()
            .AllowBrowsers()
            .WithTags("Tracking")
            .WithName("GetTrackingScript")
            .WithSummary("The browser tracking script");

    public static FileContentHttpResult Serve(HttpContext http)
    {
        var (body, etag) = Script.Value;
        http.Response.Headers.CacheControl = CacheControl;
        // The result answers If-None-Match with 304 itself.
        return TypedResults.Bytes(body, "application/javascript; charset=utf-8", entityTag: etag);
    }

    private static (byte[], EntityTagHeaderValue) Load()
    {
        using var stream = typeof(TrackingScript).Assembly.GetManifestResourceStream("Flywheel.Tracking.flywheel.js")
            ?? throw new InvalidOperationException("The tracking script is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var body = copy.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16));
        return (body, new EntityTagHeaderValue($"\"{hash}\""));
    }
}
