using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Flywheel.Platform.Events;

namespace Flywheel.Bench;

/// <summary>
/// Ingestion through HTTP on loopback against a `flywheel serve` child process (Release build, embedded stores),
/// several concurrent clients sending 1,000-event batches; then the same rows appended straight to DuckDB through the
/// event store, the ceiling. Prints both rates and their ratio. With --clickhouse host:port the server stores its events in
/// ClickHouse, and the ceiling is the same rows inserted straight into ClickHouse over its HTTP interface.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = Option(args, "--events", 2_000_000);
        var clients = Option(args, "--clients", 4);
        var batchSize = Option(args, "--batch", 1000);
        var warmupSeconds = Option(args, "--warmup-seconds", 15);
        var batches = events / batchSize;
        Console.WriteLine($"Preparing {batches} batches of {batchSize} events...");
        var bodies = new byte[batches][];
        Parallel.For(0, batches, i => bodies[i] = SampleEvents.Batch(i, batchSize, seed: 1));
        Console.WriteLine($"Batch size on the wire: {SampleEvents.Describe(bodies[0])}");

        var clickhouse = StringOption(args, "--clickhouse");
        if (clickhouse is not null)
        {
            // Each measurement in a database of its own on the given server.
            var run = Guid.NewGuid().ToString("N")[..8];
            var viaFlywheel = await MeasureHttpAsync(bodies, batchSize, clients, warmupSeconds, $"clickhouse://{clickhouse}/bench_http_{run}");
            var insert = await MeasureDirectClickHouseAsync(bodies, $"clickhouse://{clickhouse}/bench_direct_{run}");
            Console.WriteLine();
            Console.WriteLine($"HTTP ingestion into ClickHouse: {viaFlywheel,12:N0} events/s  ({clients} clients, {batchSize}-event batches, {events:N0} events)");
            Console.WriteLine($"ClickHouse HTTP INSERT        : {insert,12:N0} events/s  (same rows, 122,880-row TabSeparated inserts)");
            Console.WriteLine($"Ratio                         : {viaFlywheel / insert:P1} of the ceiling");
            return 0;
        }
        var http = await MeasureHttpAsync(bodies, batchSize, clients, warmupSeconds, eventsUri: null);
        var direct = await MeasureDirectAsync(bodies);
        Console.WriteLine();
        Console.WriteLine($"HTTP ingestion : {http,12:N0} events/s  ({clients} clients, {batchSize}-event batches, {events:N0} events)");
        Console.WriteLine($"DuckDB appender: {direct,12:N0} events/s  (same rows, 122,880-row appends)");
        Console.WriteLine($"Ratio          : {http / direct:P1} of the ceiling; target 100,000 events/s => {(http >= 100_000 ? "met" : "NOT met")}");
        return 0;
    }

    private static async Task<double> MeasureHttpAsync(byte[][] bodies, int batchSize, int clients, int warmupSeconds, string? eventsUri)
    {
        var dataDir = Directory.CreateTempSubdirectory("flywheel-bench-").FullName;
        var port = FreePort();
        var key = "fw_pk_bench" + Guid.NewGuid().ToString("N");
        var dll = typeof(Flywheel.Platform.Hosting.FlywheelHost).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [dll, "serve", "--data-dir", dataDir, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var secret = "fw_sk_bench" + Guid.NewGuid().ToString("N");
        start.Environment["FLYWHEEL_PUBLIC_KEY"] = key;
        start.Environment["FLYWHEEL_SECRET_KEY"] = secret;
        start.Environment["FLYWHEEL_ADMIN_PASSWORD"] = "bench password";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (eventsUri is not null)
        {
            start.Environment["Flywheel__Stores__Events"] = eventsUri;
        }
        // Extra settings for the server only (diagnostics), as "NAME=value;NAME=value".
        foreach (var pair in (Environment.GetEnvironmentVariable("BENCH_SERVER_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            start.Environment[pair[..eq]] = pair[(eq + 1)..];
        }
        if (Environment.GetEnvironmentVariable("BENCH_PERF") == "1")
        {
            start.Environment["DOTNET_PerfMapEnabled"] = "1";
            start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }
        using var server = Process.Start(start)!;
        Console.WriteLine($"Server process: {server.Id}");
        server.OutputDataReceived += (_, e) => { if (e.Data is not null && Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1") { Console.WriteLine("server: " + e.Data); } };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("server: " + e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients };
            using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            await WaitHealthyAsync(client);

            // Warm up for a while (JIT tiering, connections, caches) on batches that are not measured; their ids are
            // unique too. "Sustained" means the rate of a server that has been running, not of one that is starting.
            var warmupBatches = 0;
            var warmupUntil = DateTime.UtcNow + TimeSpan.FromSeconds(warmupSeconds);
            await Parallel.ForEachAsync(Enumerable.Range(0, clients), async (_, _) =>
            {
                while (DateTime.UtcNow < warmupUntil)
                {
                    var body = SampleEvents.Batch(Interlocked.Increment(ref warmupBatches), batchSize, seed: 99);
                    while (!await SendAsync(client, body))
                    {
                    }
                }
            });
            Console.WriteLine($"Warm-up: {warmupBatches * batchSize:N0} events in {warmupSeconds} s");

            server.Refresh();
            var serverCpuBefore = server.TotalProcessorTime;
            var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var next = -1;
            var rejected429 = 0;
            var stopwatch = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, clients).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < bodies.Length)
                {
                    while (!await SendAsync(client, bodies[i]))
                    {
                        Interlocked.Increment(ref rejected429);
                    }
                }
            }).ToArray();
            await Task.WhenAll(workers);
            stopwatch.Stop();
            var total = (long)bodies.Length * batchSize;
            server.Refresh();
            var serverCpu = server.TotalProcessorTime - serverCpuBefore;
            var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore;
            Console.WriteLine($"HTTP: {total:N0} events acknowledged in {stopwatch.Elapsed.TotalSeconds:F2} s; 429 answers: {rejected429}");
            Console.WriteLine($"CPU per event: server {serverCpu.TotalMicroseconds / total:F2} µs, client {clientCpu.TotalMicroseconds / total:F2} µs");
            await VerifyStoredAsync(client.BaseAddress!, secret, total + (long)warmupBatches * batchSize);
            return total / stopwatch.Elapsed.TotalSeconds;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>True when stored; false on 429 (after honouring Retry-After).</summary>
    private static async Task<bool> SendAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/api/v1/events/batch", content);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            return false;
        }
        var answer = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Ingestion answered {(int)response.StatusCode}: {answer}");
        }
        using var doc = JsonDocument.Parse(answer);
        if (doc.RootElement.GetProperty("rejected").GetArrayLength() > 0)
        {
            throw new InvalidOperationException($"Ingestion refused events of the sample: {answer[..Math.Min(answer.Length, 500)]}");
        }
        return true;
    }

    /// <summary>Every acknowledged event must be stored exactly once: the store's count must equal what was sent.</summary>
    private static async Task VerifyStoredAsync(Uri baseAddress, string secretKey, long expected)
    {
        using var reader = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secretKey);
        using var doc = JsonDocument.Parse(await reader.GetStringAsync("/api/v1/events/stats?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"));
        var stored = doc.RootElement.GetProperty("total").GetInt64();
        Console.WriteLine($"Stored: {stored:N0} events (expected {expected:N0})");
        if (stored != expected)
        {
            throw new InvalidOperationException($"The store holds {stored} events; {expected} were acknowledged.");
        }
    }

    private static async Task<double> MeasureDirectAsync(byte[][] bodies)
    {
        long seq = 0;
        var records = SampleEvents.ToRecords(bodies, DateTime.UtcNow).Select(r => r with { Seq = ++seq }).ToList();
        var path = Path.Combine(Directory.CreateTempSubdirectory("flywheel-bench-duckdb-").FullName, "events.duckdb");
        await using var store = new DuckDbEventStore(path);
        await store.InitializeAsync(CancellationToken.None);
        var stopwatch = Stopwatch.StartNew();
        foreach (var chunk in records.Chunk(122_880))
        {
            await using var append = store.BeginAppend();
            append.Append(chunk);
            await append.CommitAsync(CancellationToken.None);
        }
        stopwatch.Stop();
        Console.WriteLine($"DuckDB: {records.Count:N0} rows appended in {stopwatch.Elapsed.TotalSeconds:F2} s");
        return records.Count / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The ceiling for ClickHouse: the same rows sent straight to ClickHouse as TabSeparated HTTP INSERTs of 122,880 rows
    /// (through the event store's append, which is one INSERT per commit).
    /// </summary>
    private static async Task<double> MeasureDirectClickHouseAsync(byte[][] bodies, string uri)
    {
        long seq = 0;
        var records = SampleEvents.ToRecords(bodies, DateTime.UtcNow).Select(r => r with { Seq = ++seq }).ToList();
        await using var store = new ClickHouseEventStore(ClickHouseEndpoint.Parse(uri));
        await store.InitializeAsync(CancellationToken.None);
        var stopwatch = Stopwatch.StartNew();
        foreach (var chunk in records.Chunk(122_880))
        {
            await using var append = store.BeginAppend();
            append.Append(chunk);
            await append.CommitAsync(CancellationToken.None);
        }
        stopwatch.Stop();
        Console.WriteLine($"ClickHouse: {records.Count:N0} rows inserted in {stopwatch.Elapsed.TotalSeconds:F2} s");
        return records.Count / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task WaitHealthyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var r = await client.GetAsync("/health");
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("flywheel serve did not become healthy within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? StringOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
