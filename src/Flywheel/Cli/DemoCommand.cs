using System.CommandLine;
using Flywheel.Modules.Demo.Storefront;
using Flywheel.Platform.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Flywheel.Cli;

/// <summary>
/// `flywheel demo`: generates the demo shop into the data directory when it is empty, then serves it with the demo
/// flag on and prints where to sign in. A directory that already holds a generated demo is served as it is.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(Option<string?> dataDir, Option<string?> urls)
    {
        var sizes = GenerateCommand.Sizes.Create();
        var demo = new Command("demo", "Serve a generated demo shop (generated into the data directory on first run).") { dataDir, urls };
        foreach (var o in sizes.All)
        {
            demo.Options.Add(o);
        }
        demo.TreatUnmatchedTokensAsErrors = false;
        demo.SetAction(async (result, ct) =>
        {
            var overrides = CommandLine.Overrides(result, dataDir, urls);
            var dir = Path.GetFullPath(result.GetValue(dataDir) ?? "./data");
            overrides["Flywheel:DataDir"] = dir;
            if (!GenerateCommand.HoldsDemo(dir))
            {
                if (!GenerateCommand.IsEmpty(dir))
                {
                    // Also what an interrupted generation leaves: its marker is written last.
                    await Console.Error.WriteLineAsync(
                        $"{dir} holds data but no complete generated demo ({GenerateCommand.MarkerFile}); serve it with `flywheel serve`, " +
                        "or give the demo an empty --data-dir (an interrupted generation can simply be deleted).");
                    return 2;
                }
                var options = sizes.Read(result);
                if (GenerateCommand.Check(options) is { } problem)
                {
                    await Console.Error.WriteLineAsync(problem);
                    return 2;
                }
                await GenerateCommand.GenerateAsync(dir, options, null, ct);
            }
            overrides["Flywheel:Demo"] = "true";
            overrides[Storefront.PublicKeySetting] = await GenerateCommand.DemoPublicKeyAsync(dir, ct);
            // The owner the demo was generated with; the bootstrap uses them only if the stores were ever emptied.
            overrides["FLYWHEEL_ADMIN_EMAIL"] = GenerateCommand.DemoEmail;
            overrides["FLYWHEEL_ADMIN_PASSWORD"] = GenerateCommand.DemoPassword;
            await using var app = FlywheelHost.Build(result.UnmatchedTokens.ToArray(), overrides);
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
            Console.WriteLine($"Flywheel demo shop: {address}/");
            Console.WriteLine($"  console login : {GenerateCommand.DemoEmail} / {GenerateCommand.DemoPassword}");
            Console.WriteLine($"  storefront    : {address}/shop (tracked by /sdk/flywheel.js)");
            Console.WriteLine($"  API docs      : {address}/docs");
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return demo;
    }
}
