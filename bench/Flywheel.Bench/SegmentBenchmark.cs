using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using DuckDB.NET.Data;
using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Customers.Rfm;
using Flywheel.Modules.Segments.Segments;
using Flywheel.Platform;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Events;
using Flywheel.Platform.Hosting;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Bench;

/// <summary>
/// Segment previews on a generated shop (`flywheel generate --out DIR`): the seven example conditions of docs/segments.md
/// through <see cref="SegmentService.PreviewAsync"/>, each against the SQL an analyst would write for the same question on
/// the same store (the ceiling), as a ratio; then the latency from an acknowledged event to the membership change it
/// causes. "Now" is the end of the generated year.
/// </summary>
internal static class SegmentBenchmark
{
    private const int Runs = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        var dataDir = Option(args, "--data-dir") ?? throw new ArgumentException("--data-dir DIR (a generated shop) is required.");
        var end = DateTimeOffset.Parse(Option(args, "--now") ?? "2026-11-23T15:59:59Z", CultureInfo.InvariantCulture);
        var clock = new ShiftedClock(end);
        var started = Stopwatch.StartNew();
        await using var app = FlywheelHost.Build([], new Dictionary<string, string?>
        {
            ["Flywheel:DataDir"] = dataDir,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        }, b => b.Services.AddSingleton<TimeProvider>(clock));
        await app.StartAsync();
        Console.WriteLine($"host started in {started.Elapsed.TotalSeconds:F1} s");
        var state = app.Services.GetRequiredService<StateStore>();
        string workspaceId;
        List<string> customers;
        await using (var db = state.Open())
        {
            workspaceId = await db.Workspaces.Select(w => w.Id).SingleAsync();
            customers = await db.Customers.Where(c => c.WorkspaceId == workspaceId).OrderBy(c => c.ExternalId).Select(c => c.ExternalId).ToListAsync();
        }
        Console.WriteLine($"{customers.Count:N0} customers");
        var caller = new ClaimsPrincipal(new ClaimsIdentity([new Claim(Caller.WorkspaceClaim, workspaceId)], "bench"));
        var segments = app.Services.GetRequiredService<SegmentService>();

        await Setup("RFM scoring", () => app.Services.GetRequiredService<RfmScoringRun>().ScoreAsync(workspaceId, CancellationToken.None));
        await Setup("tag VIP on every 97th customer", async () =>
        {
            await using var db = state.Open();
            return await CustomerTagging.ReplaceImportedTagAsync(db, workspaceId, "bench", new ImportedTag("VIP"),
                [.. customers.Where((_, i) => i % 97 == 0)], clock.GetUtcNow(), CancellationToken.None);
        });
        if (await segments.GetAsync(workspaceId, "high-value", CancellationToken.None) is null)
        {
            await Setup("create segment high-value (total_spend > 1000), members for everyone", () =>
                segments.CreateAsync(caller, new SegmentService.SegmentInputs("high-value", "High value", null, "total_spend > 1000", null), CancellationToken.None));
        }

        var now = clock.GetUtcNow();
        var hand = new HandWritten(state, dataDir, workspaceId, now);
        var highValueId = await hand.SegmentIdAsync("high-value");
        (string Condition, Func<Task<long>> Sql)[] examples =
        [
            ("lifecycle = 'dormant' and orders_count >= 2", hand.Dormant),
            ("did order_paid at least 2 times in last 90 days where category = 'baby'", hand.BabyTwice),
            ("did product_view in last 7 days and not did order_paid in last 30 days", hand.ViewedNotBought),
            ("total_spend > 1000 and city in ('上海', '杭州')", hand.BigSpendersInTwoCities),
            ("rfm_group = 'champions' or has tag 'VIP'", hand.ChampionsOrVip),
            ("sum(order_paid.amount) in last 30 days >= 500", hand.SpentLastMonth),
            ("in segment 'high-value' and last_order_at before 2026-06-01", () => hand.HighValueBeforeJune(highValueId)),
        ];
        Console.WriteLine();
        Console.WriteLine("| condition | members | preview (median of 5) | hand-written SQL (median of 5) | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (condition, sql) in examples)
        {
            var preview = await Median(async () =>
            {
                var outcome = await segments.PreviewAsync(workspaceId, condition, null, CancellationToken.None);
                return outcome.Value?.Count ?? throw new InvalidOperationException(outcome.Refusal!.Message);
            });
            var reference = await Median(sql);
            if (preview.Result != reference.Result)
            {
                throw new InvalidOperationException($"{condition}: the preview counts {preview.Result}, the hand-written SQL {reference.Result}.");
            }
            Console.WriteLine($"| `{condition}` | {preview.Result:N0} | {preview.Ms:N0} ms | {reference.Ms:N0} ms | {preview.Ms / reference.Ms:F2} |");
        }

        clock.Start();
        await MeasureLatencyAsync(app.Services, segments, caller, workspaceId, customers, clock);
        await app.StopAsync();
        return 0;
    }

    /// <summary>
    /// Event to membership: a new segment of the buyers of one coupon made for this run (so no one is in it yet, and
    /// nothing but these events can put anyone in), then one order_paid event with that coupon at a time, each timed
    /// from the submission to the moment the customer's row is in seg_members.
    /// </summary>
    private static async Task MeasureLatencyAsync(
        IServiceProvider services, SegmentService segments, ClaimsPrincipal caller, string workspaceId, List<string> customers, TimeProvider clock)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var key = $"bench-latency-{run}";
        var coupon = $"BENCH-{run}";
        await Setup($"create segment {key}", () => segments.CreateAsync(caller,
            new SegmentService.SegmentInputs(key, key, null, $"did order_paid where coupon = '{coupon}'", null), CancellationToken.None));
        var pipeline = services.GetRequiredService<IngestPipeline>();
        var state = services.GetRequiredService<StateStore>();
        var latencies = new List<double>();
        foreach (var customer in customers.Where((_, i) => i % 7919 == 0).Take(30))
        {
            var eventId = $"bench-latency-{Guid.NewGuid():N}";
            var at = Instants.ToMilliseconds(clock.GetUtcNow().UtcDateTime);
            var watch = Stopwatch.StartNew();
            await pipeline.SubmitAsync([new EventRecord
            {
                WorkspaceId = workspaceId,
                EventId = eventId,
                DedupKey = eventId,
                Type = EventTypes.OrderPaid,
                CustomerId = customer,
                Timestamp = at,
                ReceivedAt = at,
                Properties = JsonSerializer.Serialize(new { order_id = eventId, amount = 99.5m, currency = "CNY", category = "baby/feeding", coupon }),
            }], CancellationToken.None);
            while (true)
            {
                await using var db = state.Open();
                var member = await db.SegmentMembers.AnyAsync(m => m.WorkspaceId == workspaceId && m.CustomerExternalId == customer
                    && db.Segments.Any(s => s.Id == m.SegmentId && s.Key == key));
                if (member)
                {
                    break;
                }
                if (watch.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"{customer} did not enter {key} within 30 s.");
                }
                await Task.Delay(2);
            }
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }
        latencies.Sort();
        Console.WriteLine();
        Console.WriteLine($"event → segment entry, {latencies.Count} events one at a time: median {latencies[latencies.Count / 2]:N0} ms, " +
            $"p90 {latencies[(int)(latencies.Count * 0.9)]:N0} ms, max {latencies[^1]:N0} ms");
    }

    private static async Task Setup<T>(string what, Func<Task<T>> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        Console.WriteLine($"{what}: {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<(long Result, double Ms)> Median(Func<Task<long>> run)
    {
        var result = await run(); // warm-up: caches and connection pools as in steady use
        var times = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var again = await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
            if (again != result)
            {
                throw new InvalidOperationException("The count changed between runs.");
            }
        }
        times.Sort();
        return (result, times[Runs / 2]);
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>
    /// The end of the generated year: standing still while previews are compared with SQL written for one instant, then
    /// moving on with the wall clock once <see cref="Start"/> is called.
    /// </summary>
    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        private long? origin;

        public void Start() => origin = Stopwatch.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => origin is { } o ? start + Stopwatch.GetElapsedTime(o) : start;
    }

    /// <summary>
    /// The seven questions as an analyst would write them by hand against Flywheel's tables: one statement each, on the
    /// store that holds the data (SQLite for profiles, stored traits, scores, tags and members; DuckDB for events).
    /// </summary>
    private sealed class HandWritten(StateStore state, string dataDir, string workspaceId, DateTimeOffset now)
    {
        private const long Day = TimeSpan.TicksPerDay;

        public async Task<string> SegmentIdAsync(string key)
        {
            await using var db = state.Open();
            return await db.Segments.Where(s => s.Key == key).Select(s => s.Id).SingleAsync();
        }

        public Task<long> Dormant() => StateAsync($"""
            SELECT COUNT(*) FROM cdp_customer_traits
            WHERE WorkspaceId = '{workspaceId}' AND PaidOrders > 0 AND LastOrderAt <= {now.UtcTicks - (30 * Day)} AND LastOrderAt > {now.UtcTicks - (90 * Day)}
              AND OrdersCount >= 2
            """);

        public Task<long> BigSpendersInTwoCities() => StateAsync($"""
            SELECT COUNT(*) FROM cdp_customers c JOIN cdp_customer_traits t ON t.WorkspaceId = c.WorkspaceId AND t.CustomerExternalId = c.ExternalId
            WHERE c.WorkspaceId = '{workspaceId}' AND t.TotalSpendMinor > 100000 AND c.City IN ('上海', '杭州')
            """);

        public Task<long> ChampionsOrVip() => StateAsync($"""
            SELECT COUNT(*) FROM cdp_customers c
            WHERE c.WorkspaceId = '{workspaceId}' AND (
                EXISTS (SELECT 1 FROM cdp_rfm_scores r WHERE r.WorkspaceId = c.WorkspaceId AND r.CustomerExternalId = c.ExternalId AND r."Group" = 'champions')
                OR EXISTS (SELECT 1 FROM cdp_customer_tags x JOIN cdp_tags g ON g.Id = x.TagId
                           WHERE g.WorkspaceId = c.WorkspaceId AND g.Name = 'VIP' AND x.CustomerExternalId = c.ExternalId))
            """);

        public Task<long> HighValueBeforeJune(string segmentId) => StateAsync($"""
            SELECT COUNT(*) FROM seg_members m JOIN cdp_customer_traits t ON t.WorkspaceId = m.WorkspaceId AND t.CustomerExternalId = m.CustomerExternalId
            WHERE m.SegmentId = '{segmentId}' AND t.LastOrderAt < {LocalDays.StartUtc(new DateOnly(2026, 6, 1), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Ticks}
            """);

        public Task<long> BabyTwice() => EventsAsync($"""
            SELECT COUNT(*) FROM (
                SELECT customer_id FROM events
                WHERE workspace_id = '{workspaceId}' AND type = 'order_paid' AND customer_id IS NOT NULL
                  AND ts >= {Ts(now.AddDays(-90))} AND ts <= {Ts(now)} AND json_extract_string(properties, '$.category') = 'baby'
                GROUP BY customer_id HAVING COUNT(*) >= 2)
            """);

        public Task<long> ViewedNotBought() => EventsAsync($"""
            SELECT COUNT(*) FROM (
                SELECT customer_id FROM events
                WHERE workspace_id = '{workspaceId}' AND type = 'product_view' AND customer_id IS NOT NULL AND ts >= {Ts(now.AddDays(-7))} AND ts <= {Ts(now)}
                EXCEPT
                SELECT customer_id FROM events
                WHERE workspace_id = '{workspaceId}' AND type = 'order_paid' AND customer_id IS NOT NULL AND ts >= {Ts(now.AddDays(-30))} AND ts <= {Ts(now)})
            """);

        public Task<long> SpentLastMonth() => EventsAsync($"""
            SELECT COUNT(*) FROM (
                SELECT customer_id FROM events
                WHERE workspace_id = '{workspaceId}' AND type = 'order_paid' AND customer_id IS NOT NULL AND ts >= {Ts(now.AddDays(-30))} AND ts <= {Ts(now)}
                GROUP BY customer_id HAVING SUM(TRY_CAST(json_extract_string(properties, '$.amount') AS DECIMAL(38, 10))) >= 500)
            """);

        private static string Ts(DateTimeOffset t) => $"TIMESTAMP '{t.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}'";

        private async Task<long> StateAsync(string sql)
        {
            await using var db = state.Open();
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        private async Task<long> EventsAsync(string sql)
        {
            // Another connection to the database the host has open (in one process DuckDB shares it between connections).
            await using var connection = new DuckDBConnection($"Data Source={Path.Combine(Path.GetFullPath(dataDir), "events.duckdb")}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
    }
}
