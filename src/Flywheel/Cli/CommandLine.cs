using System.CommandLine;
using System.Reflection;
using Flywheel.Platform.Hosting;
using Flywheel.Platform.State;

namespace Flywheel.Cli;

/// <summary>The `flywheel` command: serve, demo, generate, migrate, import, version.</summary>
public static class CommandLine
{
    public static Task<int> RunAsync(string[] args)
    {
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "Directory of the embedded stores (setting Flywheel:DataDir, environment Flywheel__DataDir; default ./data).",
        };
        var urls = new Option<string?>("--urls")
        {
            Description = "Addresses to listen on, e.g. http://127.0.0.1:5080 (default: ASPNETCORE_URLS, else http://localhost:5000).",
        };

        var serve = new Command("serve", "Run the API, the console and the background workers.") { dataDir, urls };
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction(async (result, ct) =>
        {
            await using var app = FlywheelHost.Build(result.UnmatchedTokens.ToArray(), Overrides(result, dataDir, urls));
            await app.RunAsync(ct);
            return 0;
        });

        var migrate = new Command("migrate", "Create or upgrade the state store, then exit.") { dataDir };
        migrate.SetAction(async (result, ct) =>
        {
            await using var app = FlywheelHost.Build([], Overrides(result, dataDir, null));
            await app.Services.GetRequiredService<StateStore>().MigrateAsync(ct);
            Console.WriteLine("The state store is up to date.");
            return 0;
        });

        var version = new Command("version", "Print the version.");
        version.SetAction(_ =>
        {
            Console.WriteLine(Version);
            return 0;
        });

        var root = new RootCommand("Flywheel: the e-commerce marketing and growth platform.")
        {
            serve, DemoCommand.Create(dataDir, urls), GenerateCommand.Create(), migrate, ImportCommand.Create(dataDir), version,
        };
        return root.Parse(args).InvokeAsync();
    }

    public static string Version =>
        typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    internal static Dictionary<string, string?> Overrides(ParseResult result, Option<string?> dataDir, Option<string?>? urls)
    {
        var overrides = new Dictionary<string, string?>();
        if (result.GetValue(dataDir) is { } dir)
        {
            overrides["Flywheel:DataDir"] = dir;
        }
        if (urls is not null && result.GetValue(urls) is { } u)
        {
            overrides["urls"] = u;
        }
        return overrides;
    }
}
