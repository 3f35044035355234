using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Segments.Clustering;
using Flywheel.Platform;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flywheel.Bench;

/// <summary>
/// Customer clustering on a generated shop (`flywheel generate --out DIR`): reading every buyer's traits from the state
/// store, then the whole request as the API runs it, with k = 4 and with k suggested, all eight features, seed 1. With
/// --copies N the shop's feature rows are repeated N times, each copy nudged by a fixed sub-percent factor so that rows
/// stay different, and the engine alone is timed on them: how clustering grows towards a million customers.
/// </summary>
internal static class ClusterBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dataDir = Option(args, "--data-dir") ?? throw new ArgumentException("--data-dir DIR (a generated shop) is required.");
        var copies = int.Parse(Option(args, "--copies") ?? "0", CultureInfo.InvariantCulture);
        var state = new StateStore(Options.Create(new FlywheelOptions { DataDir = dataDir }));
        string workspaceId;
        await using (var db = state.Open())
        {
            workspaceId = await db.Workspaces.Select(w => w.Id).SingleAsync();
        }
        var caller = new ClaimsPrincipal(new ClaimsIdentity([new Claim(Caller.WorkspaceClaim, workspaceId)], "bench"));

        var (currency, buyers) = await Timed("read buyers' traits", async () =>
        {
            await using var db = state.Open();
            return await CustomerTraitQueries.BuyersAsync(db, workspaceId, DateTimeOffset.UtcNow, CancellationToken.None);
        });
        Console.WriteLine($"  {buyers.Count:N0} buyers in {currency}");
        var clustering = new CustomerClustering(state, TimeProvider.System);
        foreach (var k in new int?[] { 4, null })
        {
            var result = await Timed($"POST /clusters k={(k is null ? "suggested" : k)} (read + cluster + describe)",
                () => clustering.RunAsync(caller, new ClusterRequest(k, null, 1), CancellationToken.None));
            var view = ((Ok<ClustersView>)result.Result).Value!;
            Console.WriteLine($"  k = {view.K}; sizes {string.Join(", ", view.Clusters.Select(c => c.Customers.ToString("N0", CultureInfo.InvariantCulture)))}" +
                (view.Suggestion is { } s ? $"; silhouettes {string.Join(", ", s.Scores.Select(x => $"{x.K}: {x.Score:F3}"))}" : ""));
            foreach (var c in view.Clusters)
            {
                Console.WriteLine($"  {c.Cluster}: {string.Join(" · ", c.Label.Select(l => $"{l.Direction} {l.Feature}"))}");
            }
        }
        if (copies > 0)
        {
            var raw = CustomerFeatures.Matrix(buyers, CustomerFeatures.All, currency);
            var scaled = new double[raw.Length * copies];
            for (var c = 0; c < copies; c++)
            {
                for (var i = 0; i < raw.Length; i++)
                {
                    scaled[(c * raw.Length) + i] = raw[i] * (1 + (0.001 * c));
                }
            }
            var logged = CustomerFeatures.All.Select(f => f.Logged).ToList();
            var rows = buyers.Count * copies;
            foreach (var k in new int?[] { 4, null })
            {
                var r = await Timed($"engine on {rows:N0} rows, k={(k is null ? "suggested" : k)}",
                    () => Task.FromResult(CustomerClusters.Run(scaled, logged, k, 1)));
                Console.WriteLine($"  k = {r.Partition.K} after {r.Partition.Iterations} rounds");
            }
        }
        return 0;
    }

    private static async Task<T> Timed<T>(string what, Func<Task<T>> run)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = await run();
        Console.WriteLine($"{what}: {clock.Elapsed.TotalSeconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU");
        return result;
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
