using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using Flywheel.Modules.Demo.Generation;
using Flywheel.Modules.Demo.Storefront;
using Flywheel.Modules.Workspaces;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Events;
using Flywheel.Platform.Hosting;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Cli;

/// <summary>
/// `flywheel generate --customers N --months M --seed S --end DATE --out DIR`: a deterministic demo shop written as a
/// complete data directory that `flywheel serve --data-dir DIR` serves as it is.
/// </summary>
internal static class GenerateCommand
{
    public const string DemoEmail = "demo@flywheel.local";
    public const string DemoPassword = "flywheel-demo";

    /// <summary>Written last into a generated data directory: what was generated, and that it is complete.</summary>
    public const string MarkerFile = "demo.json";

    public sealed record Sizes(Option<int> Customers, Option<int> Months, Option<long> Seed, Option<DateOnly?> End)
    {
        public static Sizes Create() => new(
            new Option<int>("--customers") { Description = "Customers to generate.", DefaultValueFactory = _ => DemoOptions.DefaultCustomers },
            new Option<int>("--months") { Description = "Months of behaviour, ending at --end.", DefaultValueFactory = _ => DemoOptions.DefaultMonths },
            new Option<long>("--seed") { Description = "Seed: the same seed and end date give the same shop.", DefaultValueFactory = _ => DemoOptions.DefaultSeed },
            new Option<DateOnly?>("--end") { Description = "The day the window ends (not included), yyyy-MM-dd in Asia/Shanghai; default today's UTC date." });

        public IEnumerable<Option> All => [Customers, Months, Seed, End];

        public DemoOptions Read(ParseResult result) => new(
            result.GetValue(Customers), result.GetValue(Months), result.GetValue(Seed),
            result.GetValue(End) ?? DateOnly.FromDateTime(DateTime.UtcNow));
    }

    public static Command Create()
    {
        var sizes = Sizes.Create();
        var output = new Option<string>("--out") { Description = "The data directory to create (must be empty or missing).", Required = true };
        var generate = new Command("generate", "Generate a deterministic demo shop into a new data directory (for the demo and benchmarks).") { output };
        foreach (var o in sizes.All)
        {
            generate.Options.Add(o);
        }
        generate.SetAction(async (result, ct) =>
        {
            var options = sizes.Read(result);
            if (Check(options) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }
            var dir = Path.GetFullPath(result.GetValue(output)!);
            if (!IsEmpty(dir))
            {
                await Console.Error.WriteLineAsync($"{dir} already holds data; generate into an empty or new directory.");
                return 2;
            }
            await GenerateAsync(dir, options, null, ct);
            Console.WriteLine($"Serve it with: flywheel serve --data-dir {dir}   (console login {DemoEmail} / {DemoPassword})");
            return 0;
        });
        return generate;
    }

    public static string? Check(DemoOptions o) =>
        o.Customers is < 1 or > 100_000_000 ? "--customers must be from 1 to 100,000,000."
        : o.Months is < 1 or > 60 ? "--months must be from 1 to 60."
        : null;

    /// <summary>True when <paramref name="dir"/> has no stores (missing, empty, or only files that are not Flywheel's).</summary>
    public static bool IsEmpty(string dir) =>
        !File.Exists(Path.Combine(dir, "state.db")) && !File.Exists(Path.Combine(dir, "events.duckdb"));

    public static bool HoldsDemo(string dir) => File.Exists(Path.Combine(dir, MarkerFile));

    /// <summary>The public key a generated demo was made with, from its marker file.</summary>
    public static async Task<string?> DemoPublicKeyAsync(string dir, CancellationToken ct)
    {
        await using var file = File.OpenRead(Path.Combine(dir, MarkerFile));
        using var json = await JsonDocument.ParseAsync(file, cancellationToken: ct);
        return json.RootElement.TryGetProperty("public_key", out var key) ? key.GetString() : null;
    }

    /// <summary>
    /// Creates the stores in <paramref name="dir"/>, the workspace (CNY, Asia/Shanghai, zh-CN) with the demo owner, then
    /// the generated shop; prints progress and timings. <paramref name="settings"/> adds configuration (tests set keys).
    /// </summary>
    public static async Task<DemoSummary> GenerateAsync(string dir, DemoOptions options, IDictionary<string, string?>? settings, CancellationToken ct)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Flywheel:DataDir"] = dir,
            ["Logging:LogLevel:Default"] = "Warning",
            ["FLYWHEEL_ADMIN_EMAIL"] = DemoEmail,
            ["FLYWHEEL_ADMIN_PASSWORD"] = DemoPassword,
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            overrides[k] = v;
        }
        // A public key chosen here (unless given) is known to the demo storefront, which sends events with it; keys
        // are otherwise stored only as hashes.
        overrides.TryAdd(Storefront.PublicKeySetting, ApiKeys.NewKey(ApiKeyKind.Public));
        Directory.CreateDirectory(dir);
        Console.WriteLine($"Generating a demo shop into {dir}: {options.Customers:N0} customers, {options.Months} months to {options.End:yyyy-MM-dd}, seed {options.Seed}.");
        // The host is built for its services only; nothing of it runs while the stores are written.
        await using var app = FlywheelHost.Build([], overrides, b => b.Services.AddSingleton<IServer, NoServer>());
        var state = app.Services.GetRequiredService<StateStore>();
        await state.MigrateAsync(ct);
        await app.Services.GetRequiredService<Bootstrap>().RunAsync(ct);
        string workspaceId;
        await using (var db = state.Open())
        {
            var workspace = await db.Workspaces.OrderBy(w => w.CreatedAt).FirstAsync(ct);
            workspace.Name = "Flywheel 演示店";
            workspace.Currency = "CNY";
            workspace.TimeZone = "Asia/Shanghai";
            workspace.Locale = "zh-CN";
            await db.SaveChangesAsync(ct);
            workspaceId = workspace.Id;
        }
        var events = app.Services.GetRequiredService<IEventStore>();
        await events.InitializeAsync(ct);
        await LimitDuckDbMemoryAsync(Path.Combine(dir, "events.duckdb"), ct);
        var lastReport = DateTime.UtcNow;
        var summary = await DemoWriter.WriteAsync(state, events, workspaceId, options, s =>
        {
            if ((DateTime.UtcNow - lastReport).TotalSeconds >= 5)
            {
                lastReport = DateTime.UtcNow;
                Console.WriteLine($"  {s.Customers:N0} customers ({100.0 * s.Customers / options.Customers:0}%), {s.Events:N0} events, {s.Seconds:0} s");
            }
        }, ct);
        summary.PublicKey = overrides[Storefront.PublicKeySetting];
        await File.WriteAllTextAsync(Path.Combine(dir, MarkerFile), JsonSerializer.Serialize(summary, ApiJson.Options), ct);
        Print(summary);
        return summary;
    }

    /// <summary>
    /// DuckDB keeps what it wrote cached up to 80 % of the machine's memory by default; a generator that streams a
    /// million customers should not grow with them. The limit is a setting of the database instance, which every
    /// connection to the file in this process shares, the event store's writer included.
    /// </summary>
    private static async Task LimitDuckDbMemoryAsync(string path, CancellationToken ct)
    {
        await using var connection = new DuckDBConnection($"Data Source={path}");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SET memory_limit = '1GB'";
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void Print(DemoSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"Generated in {s.Seconds:0.0} s: {s.Products:N0} products, {s.Customers:N0} customers (+{s.AnonymousVisitors:N0} anonymous visitors), " +
            $"{s.Events:N0} events, {s.Orders:N0} orders ({s.PaidOrders:N0} paid, {s.Refunds:N0} refunds), GMV ¥{Money.Format(s.GmvMinor, "CNY")}."));
        Console.WriteLine(string.Create(c, $"  {s.Customers / s.Seconds:N0} customers/s, {s.Events / s.Seconds:N0} events/s."));
    }
}
