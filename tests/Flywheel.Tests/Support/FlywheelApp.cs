using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Flywheel.Platform.Api;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Platform;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Hosting;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Flywheel.Tests.Support;

/// <summary>The engine a test host keeps its state on.</summary>
public enum TestState
{
    /// <summary>SQLite in the host's data directory.</summary>
    Sqlite,

    /// <summary>A fresh database of its own on the run's <see cref="PostgresServer"/>.</summary>
    Postgres,
}

/// <summary>
/// A real Flywheel host on a free loopback port with its own temporary data directory (SQLite and DuckDB files),
/// reached through real HTTP. Each test owns one; <see cref="RestartAsync"/> restarts it on the same data.
/// The state store is SQLite unless the test asks for PostgreSQL, or the environment variable
/// <c>FLYWHEEL_TEST_STATE=postgres</c> moves every host that does not choose onto PostgreSQL, so that the same tests run
/// on both engines.
/// </summary>
public sealed class FlywheelApp : IAsyncDisposable
{
    /// <summary>Names the engine of hosts that do not choose one: "sqlite" (the default) or "postgres".</summary>
    public const string StateVariable = "FLYWHEEL_TEST_STATE";

    /// <summary>
    /// "production" puts every host that does not choose its stores on PostgreSQL, ClickHouse and Redis (the
    /// Flywheel.Tests.Production project sets it); unset, hosts run on the embedded stores.
    /// </summary>
    public const string StoresVariable = "FLYWHEEL_TEST_STORES";

    public static bool OnProductionStores => Environment.GetEnvironmentVariable(StoresVariable) == "production";

    /// <summary>
    /// Store settings for a host of its own: empty on the embedded stores (the data directory holds them); on the
    /// production stores a fresh PostgreSQL database, a fresh ClickHouse database and the run's Redis. For tests that
    /// start `flywheel serve` as a process and restart it on the same stores.
    /// </summary>
    public static async Task<Dictionary<string, string?>> OwnStoresAsync()
    {
        var stores = new Dictionary<string, string?>();
        if (OnProductionStores)
        {
            var postgres = await PostgresServer.GetAsync();
            stores["Flywheel:Stores:State"] = postgres.Uri(await postgres.CreateDatabaseAsync());
            stores["Flywheel:Stores:Events"] = await (await ClickHouseServer.OneNode()).NewDatabaseAsync();
            stores["Flywheel:Stores:Counters"] = (await RedisServer.SharedAsync()).Uri;
        }
        return stores;
    }
    public const string AdminEmail = "owner@example.com";
    public const string AdminPassword = "correct horse battery staple";

    private readonly Dictionary<string, string?> settings;
    private readonly Action<WebApplicationBuilder>? configure;
    private WebApplication? app;
    private (PostgresServer Server, string Database)? postgres;

    private FlywheelApp(string dataDir, Dictionary<string, string?> settings, Action<WebApplicationBuilder>? configure)
    {
        DataDir = dataDir;
        this.settings = settings;
        this.configure = configure;
        PublicKey = settings["FLYWHEEL_PUBLIC_KEY"]!;
        SecretKey = settings["FLYWHEEL_SECRET_KEY"]!;
    }

    public string DataDir { get; }
    public string PublicKey { get; }
    public string SecretKey { get; }
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => app!.Services;

    /// <summary>A client authenticated with the workspace's secret key (all scopes).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The engine of hosts that do not choose one, from <see cref="StateVariable"/>.</summary>
    public static TestState DefaultState =>
        Environment.GetEnvironmentVariable(StateVariable)?.Trim().ToLowerInvariant() switch
        {
            null or "" when OnProductionStores => TestState.Postgres,
            null or "" or "sqlite" => TestState.Sqlite,
            "postgres" or "postgresql" => TestState.Postgres,
            var other => throw new InvalidOperationException($"{StateVariable}='{other}': use sqlite or postgres."),
        };

    /// <param name="extraSettings">
    /// Configuration over the test defaults. A test that brings its own data directory (Flywheel:DataDir, prepared by
    /// another host) or its own Flywheel:Stores:State keeps the state where those say, whatever <see cref="StateVariable"/> says.
    /// </param>
    /// <param name="configure">Last changes to the host's services, such as a FakeTimeProvider for the clock.</param>
    /// <param name="state">The state store's engine; null for <see cref="DefaultState"/>.</param>
    public static async Task<FlywheelApp> StartAsync(
        IDictionary<string, string?>? extraSettings = null, Action<WebApplicationBuilder>? configure = null, TestState? state = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("flywheel-test-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Flywheel:DataDir"] = dataDir,
            ["urls"] = "http://127.0.0.1:0",
            ["FLYWHEEL_ADMIN_EMAIL"] = AdminEmail,
            ["FLYWHEEL_ADMIN_PASSWORD"] = AdminPassword,
            ["FLYWHEEL_PUBLIC_KEY"] = "fw_pk_" + Guid.NewGuid().ToString("N"),
            ["FLYWHEEL_SECRET_KEY"] = "fw_sk_" + Guid.NewGuid().ToString("N"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
        var fw = new FlywheelApp(dataDir, settings, configure);
        var ownsStores = extraSettings is null
            || (!extraSettings.ContainsKey("Flywheel:DataDir") && !extraSettings.ContainsKey("Flywheel:Stores:State"));
        if ((state ?? (ownsStores ? DefaultState : TestState.Sqlite)) == TestState.Postgres)
        {
            var server = await PostgresServer.GetAsync();
            var database = await server.CreateDatabaseAsync();
            fw.postgres = (server, database);
            settings["Flywheel:Stores:State"] = server.Uri(database);
        }
        if (OnProductionStores && ownsStores)
        {
            if (extraSettings?.ContainsKey("Flywheel:Stores:Events") != true)
            {
                var clickhouse = await ClickHouseServer.OneNode();
                settings["Flywheel:Stores:Events"] = await clickhouse.NewDatabaseAsync();
            }
            if (extraSettings?.ContainsKey("Flywheel:Stores:Counters") != true)
            {
                settings["Flywheel:Stores:Counters"] = (await RedisServer.SharedAsync()).Uri;
            }
        }
        try
        {
            await fw.StartHostAsync();
        }
        catch
        {
            // Tests that expect start-up to fail leave no host or data directory behind.
            if (fw.app is not null)
            {
                await fw.app.DisposeAsync();
                fw.app = null;
            }
            await fw.DisposeAsync();
            throw;
        }
        return fw;
    }

    public HttpClient CreateClient(string? bearerKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (bearerKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerKey);
        }
        return client;
    }

    /// <summary>A client that keeps cookies, as a browser on the console does.</summary>
    public HttpClient CreateConsoleClient() =>
        new(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = BaseAddress };

    /// <summary>Posts events to /api/v1/events/batch with the public key; objects are serialised as snake_case JSON.</summary>
    public async Task<HttpResponseMessage> PostEventsAsync(params object[] events)
    {
        using var client = CreateClient(PublicKey);
        return await client.PostAsJsonAsync("/api/v1/events/batch", new { events }, ApiJson.Options);
    }

    /// <summary>Creates another workspace with a secret key (all scopes) and returns a client using that key.</summary>
    public async Task<HttpClient> CreateWorkspaceClientAsync(string name)
    {
        var keys = Services.GetRequiredService<ApiKeys>();
        await using var db = Services.GetRequiredService<StateStore>().Open();
        var workspace = new Workspace { Id = Ids.New("ws"), Name = name, CreatedAt = DateTimeOffset.UtcNow };
        var key = ApiKeys.NewKey(ApiKeyKind.Secret);
        db.Workspaces.Add(workspace);
        db.ApiKeys.Add(keys.Create(workspace.Id, ApiKeyKind.Secret, name, Scopes.All, key));
        await db.SaveChangesAsync();
        return CreateClient(key);
    }

    /// <summary>Posts JSON (snake_case) with the secret key, optionally with an Idempotency-Key.</summary>
    public async Task<HttpResponseMessage> PostJsonAsync(string path, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: ApiJson.Options) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await Client.SendAsync(request);
    }

    /// <summary>Posts a CSV file to /api/v1/imports/{kind} and returns the report.</summary>
    public async Task<JsonElement> ImportCsvAsync(string kind, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        var response = await Client.PostAsync($"/api/v1/imports/{kind}", content);
        response.EnsureSuccessStatusCode();
        return await ReadJsonAsync(response);
    }

    /// <summary>Polls a GET until it answers 200, for state that background projections write; fails after the timeout.</summary>
    public async Task<JsonElement> WaitForAsync(string path, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var response = await Client.GetAsync(path, cts.Token);
            if (response.IsSuccessStatusCode)
            {
                return await ReadJsonAsync(response);
            }
            await Task.Delay(50, cts.Token);
        }
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task RestartAsync()
    {
        await StopHostAsync();
        await StartHostAsync();
    }

    /// <summary>The engine this host keeps its state on.</summary>
    public TestState State => postgres is null ? TestState.Sqlite : TestState.Postgres;

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync();
        if (postgres is var (server, database))
        {
            await server.DropDatabaseAsync(database);
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finalising connection; the temp directory is cleaned by the OS eventually.
        }
    }

    private async Task StartHostAsync()
    {
        app = FlywheelHost.Build([], settings, configure);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            app = null;
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = CreateClient(SecretKey);
    }

    private async Task StopHostAsync()
    {
        if (app is null)
        {
            return;
        }
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        app = null;
    }
}
