using Flywheel.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Flywheel.Tests.Browser;

/// <summary>
/// Minimal shop pages on an origin of their own (another loopback port), each loading /sdk/flywheel.js from Flywheel
/// and sending to a chosen host, so the script's requests are cross-origin as on a real shop. A real server rather
/// than Playwright's request interception: Chromium lets only pages that really came from a loopback address call one.
/// </summary>
public sealed class TestPages : IAsyncDisposable
{
    private readonly WebApplication site;

    private TestPages(WebApplication site, Uri address)
    {
        this.site = site;
        Address = address;
    }

    public Uri Address { get; }

    public string UrlOf(string name) => new Uri(Address, "/" + name).ToString();

    /// <param name="app">The Flywheel that serves the script and whose public key the pages use.</param>
    /// <param name="pages">Page names and the API host each sends to (null: the script's own origin).</param>
    public static async Task<TestPages> StartAsync(FlywheelApp app, params (string Name, string? Host)[] pages)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var site = builder.Build();
        var script = new Uri(app.BaseAddress, "/sdk/flywheel.js");
        foreach (var (name, host) in pages)
        {
            var hostAttribute = host is null ? "" : $" data-host=\"{host}\"";
            site.MapGet("/" + name, () => Results.Content($"""
                <!doctype html>
                <html><head><title>Test page {name}</title><link rel="icon" href="data:,">
                <script src="{script}" data-key="{app.PublicKey}"{hostAttribute}></script>
                </head><body>{name}</body></html>
                """, "text/html; charset=utf-8"));
        }
        await site.StartAsync();
        var address = site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestPages(site, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await site.StopAsync();
        await site.DisposeAsync();
    }
}
