using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Flywheel.Modules.Analytics.Dashboard;
using Flywheel.Modules.Analytics.Retention;
using Flywheel.Platform;
using Flywheel.Platform.Events;
using Flywheel.Platform.Hosting;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Bench;

/// <summary>
/// The KPI dashboard and the cohort table on a generated shop (`flywheel generate --out DIR`), each against two
/// references on the same stores: the straightforward SQL an analyst would write for the same figures, and one scan of
/// the columns the question reads (the physical ceiling). Medians of 3 runs after a warm-up.
/// </summary>
internal static class AnalyticsBenchmark
{
    private const int Runs = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var dataDir = Option(args, "--data-dir") ?? throw new ArgumentException("--data-dir DIR (a generated shop) is required.");
        var month = DateOnly.Parse(Option(args, "--month") ?? "2026-10-01", CultureInfo.InvariantCulture);
        var now = DateTimeOffset.Parse(Option(args, "--now") ?? "2026-11-23T15:59:59Z", CultureInfo.InvariantCulture);
        await using var app = FlywheelHost.Build([], new Dictionary<string, string?>
        {
            ["Flywheel:DataDir"] = dataDir,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        }, b => b.Services.AddSingleton<TimeProvider>(new FixedClock(now)));
        await app.StartAsync();
        var state = app.Services.GetRequiredService<StateStore>();
        string workspaceId;
        WorkspaceSettings settings;
        await using (var db = state.Open())
        {
            workspaceId = await db.Workspaces.Select(w => w.Id).SingleAsync();
            settings = await WorkspaceSettings.LoadAsync(db, workspaceId, CancellationToken.None);
        }
        var zone = settings.Zone;
        var last = month.AddMonths(1).AddDays(-1);
        var days = LocalDays.Boundaries(month, last, zone);
        var events = app.Services.GetRequiredService<IEventStore>();
        var sql = new References(state, dataDir, workspaceId, days, LocalDays.StartUtc(month.AddMonths(-1), zone));

        Console.WriteLine($"| question ({month:yyyy-MM}, {zone.Id}) | Flywheel | straightforward SQL | ratio | one scan | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");

        var traffic = await Median(async () => (await events.SummarizeTrafficAsync(new TrafficQuery(workspaceId, days), CancellationToken.None)).Total.Sessions);
        var trafficSql = await Median(sql.TrafficAsync);
        if (traffic.Result != trafficSql.Result)
        {
            throw new InvalidOperationException($"Sessions differ: the store counts {traffic.Result}, the SQL {trafficSql.Result}.");
        }
        var scan = await Median(sql.EventScanAsync);
        Row("traffic of a month by day (event store)", traffic.Ms, trafficSql.Ms, scan.Ms);

        var dashboard = app.Services.GetRequiredService<DashboardQuery>();
        var request = new DashboardRequest(month, last, CohortGrain.Day, Comparison.PreviousPeriod, DayOfWeek.Monday, DashboardCut.Everyone);
        var whole = await Median(async () => (long)((await dashboard.GetAsync(workspaceId, request, CancellationToken.None))
            .Metrics.Single(m => m.Key == "orders").Current ?? 0));
        var wholeSql = await Median(async () => await sql.TrafficAsync() + await sql.PreviousTrafficAsync() + await sql.SalesAsync());
        var wholeScan = await Median(async () => await sql.EventScanAsync() + await sql.OrderScanAsync());
        Row("KPI dashboard, month vs previous, by day (both stores)", whole.Ms, wholeSql.Ms, wholeScan.Ms);

        var cohorts = app.Services.GetRequiredService<RetentionQuery>();
        var table = await Median(async () => (await cohorts.GetAsync(workspaceId, null, last, CohortGrain.Month, PeriodMode.Calendar,
            RetentionMeasure.On, DayOfWeek.Monday, 12, CancellationToken.None)).Cohorts.Sum(c => (long)c.Size));
        var tableSql = await Median(sql.CohortsAsync);
        var orderScan = await Median(sql.OrderScanAsync);
        Row("12-month repurchase cohort table (state store)", table.Ms, tableSql.Ms, orderScan.Ms);
        await app.StopAsync();
        return 0;
    }

    private static void Row(string what, double ms, double sqlMs, double scanMs) =>
        Console.WriteLine($"| {what} | {ms:N0} ms | {sqlMs:N0} ms | {ms / sqlMs:F2} | {scanMs:N0} ms | {ms / scanMs:F2} |");

    private static async Task<(long Result, double Ms)> Median(Func<Task<long>> run)
    {
        var result = await run();
        var times = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (result, times[Runs / 2]);
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>The reference statements, written as an analyst would: one question at a time, by the book.</summary>
    private sealed class References(StateStore state, string dataDir, string workspaceId, IReadOnlyList<DateTime> days, DateTime previousStart)
    {
        private static string Ts(DateTime t) => $"TIMESTAMP '{t:yyyy-MM-dd HH:mm:ss}'";

        private string Span => $"workspace_id = '{workspaceId}' AND ts >= {Ts(days[0])} AND ts < {Ts(days[^1])}";

        /// <summary>PV and UV by day and in all, sessions by the textbook LAG, new visitors, view→cart, order placers, DAU and MAU.</summary>
        public Task<long> TrafficAsync() => TrafficOfAsync(days[0], days[^1]);

        public Task<long> PreviousTrafficAsync() => TrafficOfAsync(previousStart, days[0]);

        private async Task<long> TrafficOfAsync(DateTime from, DateTime to)
        {
            var span = $"workspace_id = '{workspaceId}' AND ts >= {Ts(from)} AND ts < {Ts(to)}";
            const string visitor = "coalesce(customer_id, anonymous_id)";
            const string local = "CAST(ts + INTERVAL 8 HOUR AS DATE)";
            await EventsAsync($"SELECT {local}, count(*), count(DISTINCT {visitor}) FROM events WHERE {span} AND type = 'page_view' GROUP BY 1");
            await EventsAsync($"SELECT count(*), count(DISTINCT {visitor}) FROM events WHERE {span} AND type = 'page_view'");
            var sessions = await EventsAsync($"""
                SELECT count(*) FROM (
                    SELECT {visitor} AS v, ts, lag(ts) OVER (PARTITION BY {visitor} ORDER BY ts) AS before FROM events
                    WHERE {span} AND type NOT IN ('order_placed', 'order_paid', 'order_cancelled', 'order_refunded', 'segment_entered', 'segment_exited'))
                WHERE before IS NULL OR ts - before >= INTERVAL 30 MINUTE
                """);
            await EventsAsync($"""
                SELECT count(*) FROM (SELECT DISTINCT {visitor} AS v FROM events WHERE {span} AND type = 'page_view') p
                WHERE (SELECT min(ts) FROM events e WHERE e.workspace_id = '{workspaceId}' AND coalesce(e.customer_id, e.anonymous_id) = p.v) >= {Ts(from)}
                """);
            await EventsAsync($"""
                SELECT count(*) FROM (
                    SELECT {visitor}, min(ts) FILTER (WHERE type = 'product_view') AS viewed, max(ts) FILTER (WHERE type = 'add_to_cart') AS carted
                    FROM events WHERE {span} AND type IN ('product_view', 'add_to_cart') GROUP BY 1) WHERE carted > viewed
                """);
            await EventsAsync($"SELECT count(DISTINCT {visitor}) FROM events WHERE {span} AND type = 'order_placed'");
            await EventsAsync($"SELECT {local}, count(DISTINCT {visitor}) FROM events WHERE {span} GROUP BY 1");
            await EventsAsync($"SELECT count(DISTINCT {visitor}) FROM events WHERE workspace_id = '{workspaceId}' AND ts >= {Ts(to.AddDays(-30))} AND ts < {Ts(to)}");
            return sessions;
        }

        /// <summary>Every column the traffic summary reads, over everything it reads (first visits look back to the start).</summary>
        public Task<long> EventScanAsync() => EventsAsync($"""
            SELECT count(*) + max(length(coalesce(customer_id, anonymous_id))) + max(length(type)) + count(utm_source) + max(epoch_ms(ts)) % 2
            FROM events WHERE workspace_id = '{workspaceId}' AND ts < {Ts(days[^1])}
            """);

        /// <summary>GMV, orders, payers, refunds by day and in all; placed and paid; new customers; for the month and the one before.</summary>
        public async Task<long> SalesAsync()
        {
            long total = 0;
            foreach (var (from, to) in new[] { (days[0].Ticks, days[^1].Ticks), (previousStart.Ticks, days[0].Ticks) })
            {
                var paid = $"WorkspaceId = '{workspaceId}' AND Status IN ('Paid', 'PartiallyRefunded', 'Refunded') AND PaidAt >= {from} AND PaidAt < {to}";
                total += await StateAsync($"SELECT count(*) FROM ord_orders WHERE {paid} GROUP BY (PaidAt - {from}) / {TimeSpan.TicksPerDay}");
                total += await StateAsync($"SELECT sum(TotalMinor) + sum(RefundedMinor) + count(DISTINCT CustomerExternalId) FROM ord_orders WHERE {paid}");
                total += await StateAsync($"SELECT count(*) FROM ord_orders WHERE WorkspaceId = '{workspaceId}' AND PlacedAt >= {from} AND PlacedAt < {to}");
                total += await StateAsync($"""
                    SELECT count(*) FROM cdp_customers WHERE WorkspaceId = '{workspaceId}'
                      AND min(coalesce(RegisteredAt, FirstSeenAt), coalesce(FirstSeenAt, RegisteredAt)) >= {from}
                      AND min(coalesce(RegisteredAt, FirstSeenAt), coalesce(FirstSeenAt, RegisteredAt)) < {to}
                    """);
            }
            return total;
        }

        /// <summary>Customers by the month of their first paid order, and in which later months they paid again.</summary>
        public Task<long> CohortsAsync() => StateAsync($"""
            WITH paid AS (
                SELECT CustomerExternalId AS c, strftime('%Y-%m', (PaidAt - 621355968000000000) / 10000000 + 8 * 3600, 'unixepoch') AS m
                FROM ord_orders WHERE WorkspaceId = '{workspaceId}' AND CustomerExternalId IS NOT NULL
                  AND Status IN ('Paid', 'PartiallyRefunded', 'Refunded')),
            first AS (SELECT c, min(m) AS cohort FROM paid GROUP BY c)
            SELECT count(*) FROM (SELECT first.cohort, paid.m, count(DISTINCT paid.c) FROM paid JOIN first ON first.c = paid.c GROUP BY 1, 2)
            """);

        public Task<long> OrderScanAsync() => StateAsync($"""
            SELECT count(*) + sum(TotalMinor) % 2 + max(PaidAt) % 2 + max(length(CustomerExternalId)) + max(length(Status))
            FROM ord_orders WHERE WorkspaceId = '{workspaceId}'
            """);

        private async Task<long> EventsAsync(string text)
        {
            // Another connection to the database the host has open (in one process DuckDB shares it between connections).
            await using var c = new DuckDBConnection($"Data Source={Path.Combine(Path.GetFullPath(dataDir), "events.duckdb")}");
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = text;
            return await LastValueAsync(cmd);
        }

        private async Task<long> StateAsync(string text)
        {
            await using var db = state.Open();
            await db.Database.OpenConnectionAsync();
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.CommandText = text;
            return await LastValueAsync(cmd);
        }

        /// <summary>Reads every row (as a report would), answering the last column of the last row.</summary>
        private static async Task<long> LastValueAsync(System.Data.Common.DbCommand cmd)
        {
            await using var reader = await cmd.ExecuteReaderAsync();
            long last = 0;
            while (await reader.ReadAsync())
            {
                var value = reader.GetValue(reader.FieldCount - 1);
                last = value is DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
            }
            return last;
        }
    }
}
