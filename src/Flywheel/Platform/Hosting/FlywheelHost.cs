using Flywheel.Modules.Analytics;
using Flywheel.Modules.Catalog;
using Flywheel.Modules.Customers;
using Flywheel.Modules.Demo.Storefront;
using Flywheel.Modules.Marketing;
using Flywheel.Modules.Orders;
using Flywheel.Modules.Promotions;
using Flywheel.Modules.Segments;
using Flywheel.Modules.Segments.Clustering;
using Flywheel.Modules.Workspaces;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Cluster;
using Flywheel.Platform.Counters;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Flywheel.Ui;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Prometheus;
using Scalar.AspNetCore;

namespace Flywheel.Platform.Hosting;

/// <summary>Builds the Flywheel web host: the table of contents of what runs in `flywheel serve`.</summary>
public static class FlywheelHost
{
    /// <param name="args">Host arguments (ASP.NET Core's own, such as --urls).</param>
    /// <param name="overrides">Configuration set by CLI options, applied over every other source.</param>
    /// <param name="configure">Last changes to the builder (tests use it to replace services).</param>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            // The console's static files are described by this assembly's manifests, whichever program hosts it (tests too).
            ApplicationName = typeof(FlywheelHost).Assembly.GetName().Name,
        });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }
        builder.AddPlatform();
        builder.AddWorkspaces();
        builder.AddCustomers();
        builder.AddCatalog();
        builder.AddOrders();
        builder.AddAnalytics();
        builder.AddClustering();
        builder.AddSegments();
        builder.AddPromotions();
        builder.AddUi();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UsePlatform();
        app.MapWorkspaces();
        app.MapCustomers();
        app.MapCatalog();
        app.MapOrders();
        app.MapAnalytics();
        app.MapMarketing();
        app.MapClustering();
        app.MapSegments();
        app.MapPromotions();
        app.MapStorefront();
        app.MapUi();
        return app;
    }

    private static void AddPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FlywheelOptions>().Bind(builder.Configuration.GetSection(FlywheelOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDir), "Flywheel:DataDir must not be empty.")
            .ValidateOnStart();
        services.AddOptions<IngestOptions>().Bind(builder.Configuration.GetSection(IngestOptions.Section))
            .Validate(o => o.MaxBacklog > 0 && o.LoadBatch > 0, "Flywheel:Ingest limits must be positive.")
            .Validate(o => o.RateLimitPerSecond >= 0 && o.RateLimitBurst >= 0, "Flywheel:Ingest:RateLimitPerSecond and RateLimitBurst must not be negative (0 turns the limit off).")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        // A registry per host rather than prometheus-net's static default, so that hosts sharing a process (tests,
        // the benchmark) each report only their own requests.
        services.AddSingleton(_ =>
        {
            var registry = Metrics.NewCustomRegistry();
            DotNetStats.Register(registry);
            return registry;
        });
        // First of the stores to start: an unreachable Redis is reported before anything else is done.
        services.AddCounters();
        services.AddSingleton<StateStore>();
        services.AddOptions<ClusterOptions>().Bind(builder.Configuration.GetSection(ClusterOptions.Section))
            .Validate(o => o.LeaseTtl >= TimeSpan.FromSeconds(1) && o.PollInterval > TimeSpan.Zero,
                "Flywheel:Cluster:LeaseTtl must be at least a second and PollInterval positive.")
            .ValidateOnStart();
        services.AddSingleton<ClusterNode>();
        services.AddScoped(sp => sp.GetRequiredService<StateStore>().Open());
        services.AddSingleton(sp => EventStores.Create(
            sp.GetRequiredService<IOptions<FlywheelOptions>>().Value, sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EventStores))));
        // Start order matters: the state store is migrated and bootstrapped before ingestion and projections run.
        services.AddHostedService<StateStoreStartup>();
        services.AddSingleton<IngestPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestPipeline>());
        services.AddSingleton<IngestRateLimit>();

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy);
        // Session cookies stay valid across restarts and on every node: the keys that sign them live in the state store.
        services.AddDataProtection().SetApplicationName("flywheel").PersistKeysToDbContext<FlywheelDb>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            if (ctx.Exception is BadHttpRequestException bad)
            {
                ctx.ProblemDetails.Detail = bad.Message;
            }
        });
        // A request Kestrel refuses while a handler reads it (a body over the size limit: 413) keeps its status
        // instead of becoming a 500, which clients would retry forever.
        services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = ex =>
            ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        services.AddOpenApi();
        services.AddBrowserCors();
        services.AddHealthChecks();
        builder.AddFlywheelAuth();
        if (builder.Configuration["Logging:Format"] == "json")
        {
            builder.Logging.AddJsonConsole();
        }
    }

    private static void UsePlatform(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var metrics = app.Services.GetRequiredService<CollectorRegistry>();
        app.UseHttpMetrics(o => o.SetMetricFactory(Metrics.WithCustomRegistry(metrics)));
        // Before authentication: preflight requests carry no key and must be answered, not refused.
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Flywheel API"));
        app.MapHealthChecks("/health");
        app.MapMetrics("/metrics", metrics);
    }
}

/// <summary>Applies state-store migrations and first-start bootstrap, and joins the installation, before anything else starts.</summary>
internal sealed class StateStoreStartup(StateStore state, Bootstrap bootstrap, ClusterNode node, ILogger<StateStoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("State store: {StateStore}", state.Address.Display);
        await state.MigrateAsync(cancellationToken);
        await bootstrap.RunAsync(cancellationToken);
        await node.JoinAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
