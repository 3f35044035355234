namespace Flywheel.Platform.Api;

/// <summary>
/// Cross-origin access for what shop pages call from the browser: the ingestion endpoints and the tracking script.
/// Any origin may call them, because they accept only API keys (public or secret) and never cookies, so another
/// site gains nothing it could not do with curl. Credentials stay off, which also keeps the console's session cookie
/// out of these requests. The one place CORS is set up.
/// </summary>
public static class BrowserCors
{
    public const string Policy = "browsers";

    public static IServiceCollection AddBrowserCors(this IServiceCollection services) =>
        services.AddCors(o => o.AddPolicy(Policy, p => p
            .AllowAnyOrigin()
            .WithMethods("GET", "POST")
            // Listed by name: a "*" wildcard does not cover Authorization.
            .WithHeaders("Authorization", "Content-Type")
            // Read by the tracking script to honour 429's delay.
            .WithExposedHeaders("Retry-After")
            // Chromium caps the preflight cache at two hours.
            .SetPreflightMaxAge(TimeSpan.FromHours(2))));

    /// <summary>Lets browsers on any origin call the endpoint (with a key, without cookies).</summary>
    public static TBuilder AllowBrowsers<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireCors(Policy);
}
