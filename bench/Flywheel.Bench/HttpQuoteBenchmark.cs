using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform;
using Flywheel.Platform.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Flywheel.Bench;

/// <summary>
/// Carts priced per second through <c>POST /api/v1/checkout/quote</c> (SPEC target: over 10,000 per core): the quote
/// benchmark's 20-line cart and 500 promotions, stored through the API as active promotions of a fresh embedded host
/// in this process, quoted by concurrent clients over loopback HTTP. Each quote checks the workspace's promotion change
/// counter and reads the ledger's facts from the state store (the live promotions are kept in memory), prices, and
/// answers the explanation. The payable is checked against the pricing core called directly on the same cart.
/// </summary>
internal static class HttpQuoteBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 20);
        var clients = Option(args, "--clients", 4);
        var warmup = Option(args, "--warmup", 60);
        var random = new Random(20261111);
        var cart = QuoteBenchmark.SampleCart(random) with { Coupons = [] };
        var promotions = QuoteBenchmark.SamplePromotions(random);

        var dataDir = Directory.CreateTempSubdirectory("flywheel-bench-quote-").FullName;
        var secret = "fw_sk_bench" + Guid.NewGuid().ToString("N");
        await using var app = FlywheelHost.Build([], new Dictionary<string, string?>
        {
            ["Flywheel:DataDir"] = dataDir,
            ["urls"] = "http://127.0.0.1:0",
            ["FLYWHEEL_SECRET_KEY"] = secret,
            ["FLYWHEEL_PUBLIC_KEY"] = "fw_pk_bench" + Guid.NewGuid().ToString("N"),
            ["FLYWHEEL_ADMIN_PASSWORD"] = "bench password",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

            foreach (var p in promotions)
            {
                var body = DefinitionJson.Write(p, MoneyUnits.Major("CNY"));
                body["name"] = p.Name;
                body["status"] = "active";
                if (p.BudgetRemaining is { } budget)
                {
                    body["budget"] = Money.ToMajor(budget, "CNY");
                }
                using var created = await client.PostAsync("/api/v1/promotions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
                created.EnsureSuccessStatusCode();
            }
            var request = Encoding.UTF8.GetBytes(CartJson(cart).ToJsonString());

            var first = await QuoteAsync(client, request);
            var payable = first.GetProperty("payable").GetDecimal();
            var direct = Money.ToMajor(CartPricer.Price(cart with { Now = DateTimeOffset.UtcNow }, promotions).Payable, "CNY");
            Console.WriteLine($"{promotions.Count} active promotions; cart of {cart.Lines.Count} lines; payable through HTTP {payable}, by the core directly {direct}" +
                (payable == direct ? " (same)" : " (DIFFERENT)"));

            // Long enough for the runtime to replace the quick first compilation of the pricing code by optimized code
            // on two loaded cores (docs/benchmarks.md, "Pricing carts through HTTP").
            await RunForAsync(client, request, clients, TimeSpan.FromSeconds(warmup), null);
            var samples = new List<double>();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var elapsed = await RunForAsync(client, request, clients, TimeSpan.FromSeconds(seconds), samples);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            samples.Sort();
            double At(double q) => samples[(int)Math.Min(samples.Count - 1, Math.Ceiling(q * samples.Count) - 1)];
            var rate = samples.Count / elapsed.TotalSeconds;
            Console.WriteLine($"{samples.Count:N0} quotes in {elapsed.TotalSeconds:F1} s with {clients} clients: {rate:N0} carts/s " +
                $"({rate / Environment.ProcessorCount:N0} per core of {Environment.ProcessorCount}); latency p50 {At(0.5):F1} ms, p99 {At(0.99):F1} ms");
            // CPU time rather than wall time is what a shared machine cannot distort: the carts one core prices per second.
            var cpuPerQuote = cpu.TotalMilliseconds / samples.Count;
            Console.WriteLine($"CPU {cpu.TotalSeconds:F1} s for {samples.Count:N0} quotes (server and clients, this process): {cpuPerQuote:F2} ms per quote, " +
                $"{1000 / cpuPerQuote:N0} carts/s per busy core");
            return 0;
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

    private static async Task<TimeSpan> RunForAsync(HttpClient client, byte[] request, int clients, TimeSpan duration, List<double>? samples)
    {
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var mine = new List<double>();
            while (stopwatch.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                await PostQuoteAsync(client, request);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            if (samples is not null)
            {
                lock (samples)
                {
                    samples.AddRange(mine);
                }
            }
        }));
        return stopwatch.Elapsed;
    }

    private static async Task<JsonElement> QuoteAsync(HttpClient client, byte[] request)
    {
        using var response = await SendAsync(client, request);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// One timed quote: the whole answer is received but not parsed, so that the clients, which share the process and
    /// its cores with the server, take as little of them as a client can.
    /// </summary>
    private static async Task PostQuoteAsync(HttpClient client, byte[] request)
    {
        using var response = await SendAsync(client, request);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, byte[] request)
    {
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await client.PostAsync("/api/v1/checkout/quote", content);
        response.EnsureSuccessStatusCode();
        return response;
    }

    private static JsonObject CartJson(Cart cart) => new()
    {
        ["customer"] = new JsonObject
        {
            ["id"] = cart.Customer.Id,
            ["segments"] = new JsonArray(cart.Customer.Segments.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
            ["tier"] = cart.Customer.Tier,
            ["lifecycle"] = cart.Customer.Lifecycle,
        },
        ["channel"] = cart.Channel,
        ["lines"] = new JsonArray(cart.Lines.Select(l => (JsonNode)new JsonObject
        {
            ["id"] = l.Id,
            ["sku"] = l.Sku,
            ["category"] = l.Category,
            ["brand"] = l.Brand,
            ["store"] = l.Store,
            ["quantity"] = l.Quantity,
            ["unit_price"] = Money.ToMajor(l.UnitPrice, "CNY"),
        }).ToArray()),
        ["shipping_options"] = new JsonArray(cart.ShippingOptions.Select(o => (JsonNode)new JsonObject
        {
            ["code"] = o.Code,
            ["price"] = Money.ToMajor(o.Price, "CNY"),
            ["priority"] = o.Priority,
        }).ToArray()),
    };

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
