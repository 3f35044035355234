using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Flywheel.Platform.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using StackExchange.Redis;

namespace Flywheel.Bench;

/// <summary>
/// 秒杀 attempts per second through <c>POST /api/v1/flash-sales/{id}/attempts</c>, against the ceiling of Redis's own
/// DECR rate on the same machine (the gate's one operation, with nothing around it). A fresh host in this process keeps
/// its state in SQLite and its counters in the given Redis; concurrent clients over loopback HTTP fire the attempts,
/// each a different key and buyers each trying several times, until every attempt is answered. Checks that exactly the
/// stock was won.
/// </summary>
internal static class FlashSaleBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var attempts = Option(args, "--attempts", 100_000);
        var stock = Option(args, "--stock", 1_000);
        var clients = Option(args, "--clients", 32);
        var redis = Text(args, "--redis");
        if (redis is null)
        {
            Console.WriteLine("flash-sale needs --redis host:port (a Redis to hold the gate and to measure DECR against).");
            return 2;
        }
        var dataDir = Directory.CreateTempSubdirectory("flywheel-bench-flash-").FullName;
        var secret = "fw_sk_bench" + Guid.NewGuid().ToString("N");
        await using var app = FlywheelHost.Build([], new Dictionary<string, string?>
        {
            ["Flywheel:DataDir"] = dataDir,
            ["Flywheel:Stores:Counters"] = $"redis://{redis}/0",
            ["urls"] = "http://127.0.0.1:0",
            ["FLYWHEEL_SECRET_KEY"] = secret,
            ["FLYWHEEL_PUBLIC_KEY"] = "fw_pk_bench" + Guid.NewGuid().ToString("N"),
            ["FLYWHEEL_ADMIN_PASSWORD"] = "bench password",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

            var now = DateTimeOffset.UtcNow;
            var session = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["name"] = "bench",
                ["starts_at"] = now.AddMinutes(-1),
                ["ends_at"] = now.AddHours(1),
                ["items"] = new[] { new Dictionary<string, object> { ["sku"] = "tea", ["price"] = 9.9m, ["stock"] = stock } },
            });
            using var created = await client.PostAsync("/api/v1/flash-sales", new StringContent(session, Encoding.UTF8, "application/json"));
            created.EnsureSuccessStatusCode();
            var saleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

            var buyers = Math.Max(stock * 4, attempts / 4);
            var won = 0;
            var next = -1;
            // When the last unit was won, and how many attempts had been answered by then: the attempts after it are the
            // refusals alone, which are most of a flash sale.
            var soldOutTicks = 0L;
            var answered = 0;
            var answeredBySoldOut = 0;
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < attempts; i = Interlocked.Increment(ref next))
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/flash-sales/{saleId}/attempts")
                    {
                        Content = new StringContent($$"""{"customer_id":"c{{i % buyers}}","sku":"tea"}""", Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Add("Idempotency-Key", "bench-" + i.ToString(CultureInfo.InvariantCulture));
                    using var response = await client.SendAsync(request);
                    var n = Interlocked.Increment(ref answered);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        if (Interlocked.Increment(ref won) == stock)
                        {
                            Volatile.Write(ref answeredBySoldOut, n);
                            Volatile.Write(ref soldOutTicks, stopwatch.Elapsed.Ticks);
                        }
                    }
                    else if (response.StatusCode != HttpStatusCode.Conflict)
                    {
                        throw new InvalidOperationException($"attempt {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
            })));
            var elapsed = stopwatch.Elapsed;
            var rate = attempts / elapsed.TotalSeconds;
            Console.WriteLine($"{attempts:N0} attempts by {buyers:N0} buyers for {stock:N0} units with {clients} clients: {won:N0} won" +
                (won == stock ? " (exactly the stock)" : " (NOT THE STOCK)") + $", {elapsed.TotalSeconds:F1} s, {rate:N0} attempts/s");
            if (won == stock)
            {
                var soldOut = TimeSpan.FromTicks(soldOutTicks);
                var after = attempts - answeredBySoldOut;
                Console.WriteLine($"  sold out after {answeredBySoldOut:N0} attempts in {soldOut.TotalSeconds:F1} s; the {after:N0} after it: " +
                    $"{after / (elapsed - soldOut).TotalSeconds:N0} attempts/s");
            }

            var ceiling = await DecrRateAsync(redis, attempts, clients);
            Console.WriteLine($"Redis DECR, same machine, {clients} concurrent callers: {ceiling:N0}/s; ratio {rate / ceiling:P1}");
            return won == stock ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still held; the temp directory is cleaned by the OS eventually.
            }
        }
    }

    /// <summary>DECRs per second of one key by <paramref name="clients"/> callers each awaiting its answer before the next.</summary>
    private static async Task<double> DecrRateAsync(string redis, int operations, int clients)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var db = connection.GetDatabase();
        var key = "flywheel-bench:decr:" + Guid.NewGuid().ToString("N");
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < operations)
            {
                await db.StringDecrementAsync(key);
            }
        })));
        var elapsed = stopwatch.Elapsed;
        await db.KeyDeleteAsync(key);
        return operations / elapsed.TotalSeconds;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? Text(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
