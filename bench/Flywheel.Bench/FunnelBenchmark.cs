using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Flywheel.Platform.Events;

namespace Flywheel.Bench;

/// <summary>
/// A 4-step funnel (product_view → add_to_cart → checkout_started → order_paid, 7-day window, ordered) over a year of a
/// generated shop's embedded event store, through <see cref="IEventStore.FunnelAsync"/>, against two references on the
/// same store: the self-join SQL an analyst would write (each step joined to the previous step's earliest time), and one
/// scan of the columns the funnel reads (the physical ceiling). The store is only read: point --events at a copy of the
/// shop's events.duckdb (DuckDB opens a file for writing).
/// </summary>
internal static class FunnelBenchmark
{
    private static int runs = 5;
    private static readonly string[] Steps = ["product_view", "add_to_cart", "checkout_started", "order_paid"];

    public static async Task<int> RunAsync(string[] args)
    {
        var path = Option(args, "--events") ?? throw new ArgumentException("--events FILE (a copy of a generated shop's events.duckdb) is required.");
        var to = DateTime.Parse(Option(args, "--to") ?? "2026-11-23", CultureInfo.InvariantCulture);
        var from = Option(args, "--days") is { } days ? to.AddDays(-int.Parse(days, CultureInfo.InvariantCulture)) : to.AddYears(-1);
        runs = Option(args, "--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : runs;
        var now = to.AddDays(1);
        var window = TimeSpan.FromDays(7);
        await using var store = new DuckDbEventStore(path);
        await store.InitializeAsync(CancellationToken.None);
        string workspaceId;
        await using (var c = new DuckDBConnection($"Data Source={path}"))
        {
            // The store keeps its own connection open; in one process DuckDB shares the database between connections.
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT workspace_id FROM events LIMIT 1";
            workspaceId = (string)(await cmd.ExecuteScalarAsync())!;
        }
        var query = new FunnelStoreQuery(workspaceId, [.. Steps.Select(s => new FunnelStep(s, null, window))],
            DateTime.SpecifyKind(from, DateTimeKind.Utc),
            DateTime.SpecifyKind(to, DateTimeKind.Utc), FunnelOrder.Ordered, null, null, DateTime.SpecifyKind(now, DateTimeKind.Utc));
        Console.WriteLine($"funnel {string.Join(" → ", Steps)}, [{from:yyyy-MM-dd}, {to:yyyy-MM-dd}), window 7 days, ordered; load {File.ReadAllText("/proc/loadavg").Trim()}");

        FunnelCounts? answer = null;
        var funnel = await Time("store funnel (FunnelAsync)", async () => { answer = await store.FunnelAsync(query, CancellationToken.None); return answer.Total.Steps[^1].Reached; });
        Console.WriteLine("  reached: " + string.Join(" / ", answer!.Total.Steps.Select(s => s.Reached.ToString("N0", CultureInfo.InvariantCulture))));
        var scan = await Time("single scan of the columns read", () => ScalarAsync(path, Scan(workspaceId, from, to + window)));
        Console.WriteLine($"funnel {funnel:F2} s; scan {scan:F2} s (the funnel takes {funnel / scan:F1}× the scan)");
        // The self-join takes many times longer than the rest on a big store: it can be left out of a quick re-run.
        if (!args.Contains("--no-self-join"))
        {
            var selfJoin = await Time("analyst self-join SQL", () => ScalarAsync(path, SelfJoin(workspaceId, from, to, window)));
            Console.WriteLine($"self-join {selfJoin:F2} s ({selfJoin / funnel:F1}× the funnel's time)");
        }
        return 0;
    }

    /// <summary>Median seconds of the given number of runs (5 unless --runs says) after one warm-up run; prints each run's answer once.</summary>
    private static async Task<double> Time(string name, Func<Task<long>> run)
    {
        var answer = await run();
        var seconds = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await run();
            seconds.Add(sw.Elapsed.TotalSeconds);
        }
        seconds.Sort();
        Console.WriteLine($"{name}: median {seconds[runs / 2]:F2} s (runs {string.Join(", ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}), answer {answer:N0}");
        return seconds[runs / 2];
    }

    /// <summary>
    /// The straightforward SQL: visitors (with the same identity links), each step's earliest event after the previous
    /// step's, within the window of entry, by one join per step. It counts the last step's visitors.
    /// </summary>
    private static string SelfJoin(string ws, DateTime from, DateTime to, TimeSpan window) => $"""
        WITH links AS (
            SELECT anonymous_id, arg_max(customer_id, seq) AS linked FROM events
            WHERE workspace_id = '{ws}' AND customer_id IS NOT NULL AND anonymous_id IS NOT NULL AND type NOT IN ('segment_entered', 'segment_exited')
            GROUP BY anonymous_id),
        e AS (
            SELECT coalesce(e.customer_id, l.linked, 'anonymous:' || e.anonymous_id) AS visitor, e.type, e.ts
            FROM events e LEFT JOIN links l ON e.customer_id IS NULL AND e.anonymous_id = l.anonymous_id
            WHERE e.workspace_id = '{ws}' AND e.type IN ({string.Join(", ", Steps.Select(s => $"'{s}'"))})
              AND e.ts >= {Ts(from)} AND e.ts < {Ts(to + window)}),
        s1 AS (SELECT visitor, min(ts) AS t1 FROM e WHERE type = '{Steps[0]}' AND ts < {Ts(to)} GROUP BY visitor),
        s2 AS (SELECT s1.visitor, s1.t1, min(e.ts) AS t2 FROM s1 JOIN e ON e.visitor = s1.visitor AND e.type = '{Steps[1]}'
               AND e.ts > s1.t1 AND e.ts <= s1.t1 + INTERVAL {window.TotalDays} DAY GROUP BY s1.visitor, s1.t1),
        s3 AS (SELECT s2.visitor, s2.t1, min(e.ts) AS t3 FROM s2 JOIN e ON e.visitor = s2.visitor AND e.type = '{Steps[2]}'
               AND e.ts > s2.t2 AND e.ts <= s2.t1 + INTERVAL {window.TotalDays} DAY GROUP BY s2.visitor, s2.t1),
        s4 AS (SELECT s3.visitor, min(e.ts) AS t4 FROM s3 JOIN e ON e.visitor = s3.visitor AND e.type = '{Steps[3]}'
               AND e.ts > s3.t3 AND e.ts <= s3.t1 + INTERVAL {window.TotalDays} DAY GROUP BY s3.visitor)
        SELECT count(*) FROM s4
        """;

    /// <summary>Reads every column the funnel reads, of the same rows, once, and folds them into one number.</summary>
    private static string Scan(string ws, DateTime from, DateTime until) => $"""
        SELECT count(*) + count(customer_id) + count(anonymous_id) + max(epoch_ms(ts)) % 7 + max(seq) % 7 + count(DISTINCT type)
        FROM events WHERE workspace_id = '{ws}' AND type IN ({string.Join(", ", Steps.Select(s => $"'{s}'"))})
          AND ts >= {Ts(from)} AND ts < {Ts(until)}
        """;

    private static string Ts(DateTime t) => $"TIMESTAMP '{t:yyyy-MM-dd HH:mm:ss}'";

    private static async Task<long> ScalarAsync(string path, string sql)
    {
        await using var connection = new DuckDBConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
