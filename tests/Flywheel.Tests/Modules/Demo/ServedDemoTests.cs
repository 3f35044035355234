using System.Globalization;
using System.Text.Json;
using Flywheel.Cli;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Demo.Generation;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Modules.Segments.Membership;
using Flywheel.Platform.Events;
using Flywheel.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Flywheel.Tests.Modules.Demo;

/// <summary>A generated data directory, served by an ordinary host: what the APIs answer is what the generator made.</summary>
public sealed class ServedDemoTests : IAsyncLifetime
{
    private static readonly DemoOptions Options = new(300, 12, 5, new DateOnly(2026, 11, 23));
    private readonly string dir = Directory.CreateTempSubdirectory("flywheel-demo-").FullName;
    private readonly Dictionary<string, string?> keys = new()
    {
        ["FLYWHEEL_PUBLIC_KEY"] = "fw_pk_" + Guid.NewGuid().ToString("N"),
        ["FLYWHEEL_SECRET_KEY"] = "fw_sk_" + Guid.NewGuid().ToString("N"),
    };
    private DemoSummary summary = null!;
    private (PostgresServer Server, string Database)? postgres;

    /// <summary>The same shop generated again without any store: what the served one must contain.</summary>
    private readonly List<DemoCustomer> expected = Enumerable.Range(0, Options.Customers)
        .Select(ShopSimulator.Create(Options, "ws_expected").Generate).ToList();

    public async ValueTask InitializeAsync()
    {
        // The shop is generated into the state store the suite runs on (FLYWHEEL_TEST_STATE), which is where it is served from.
        if (FlywheelApp.DefaultState == TestState.Postgres)
        {
            var server = await PostgresServer.GetAsync();
            postgres = (server, await server.CreateDatabaseAsync());
            keys["Flywheel:Stores:State"] = server.Uri(postgres.Value.Database);
        }
        summary = await GenerateCommand.GenerateAsync(dir, Options, keys, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (postgres is var (server, database))
        {
            await server.DropDatabaseAsync(database);
        }
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finalising connection; the OS cleans the temp directory eventually.
        }
    }

    private Task<FlywheelApp> ServeAsync() => FlywheelApp.StartAsync(new Dictionary<string, string?>(keys)
    {
        ["Flywheel:DataDir"] = dir,
        ["Flywheel:Demo"] = "true",
    });

    [Fact]
    public async Task ServedShop_AnswersTheApis_WithWhatWasGenerated()
    {
        await using var app = await ServeAsync();

        var workspace = await app.WaitForAsync("/api/v1/workspace");
        Assert.Equal("CNY", workspace.GetProperty("currency").GetString());
        Assert.Equal("Asia/Shanghai", workspace.GetProperty("time_zone").GetString());
        Assert.Equal("zh-CN", workspace.GetProperty("locale").GetString());

        // Orders: every generated order, with its status and total.
        var served = await ReadAllAsync(app, "/api/v1/orders?limit=500");
        var orders = expected.SelectMany(c => c.Orders).ToList();
        Assert.Equal(orders.Count, summary.Orders);
        Assert.Equal(orders.Count, served.Count);
        var byId = served.ToDictionary(o => o.GetProperty("order_id").GetString()!);
        foreach (var o in orders)
        {
            var s = byId[o.OrderId];
            var refunded = o.Refunds.Sum(r => r.AmountMinor);
            var status = o.CancelledAt is not null ? "cancelled" : o.PaidAt is null ? "placed"
                : refunded == 0 ? "paid" : refunded == o.TotalMinor ? "refunded" : "partially_refunded";
            Assert.Equal(status, s.GetProperty("status").GetString());
            Assert.Equal(o.TotalMinor / 100m, s.GetProperty("total").GetDecimal());
            Assert.Equal(o.CustomerId, s.GetProperty("customer_id").GetString());
            Assert.Equal(o.Lines.Count, s.GetProperty("lines").GetArrayLength());
        }

        // Events: the totals by type over the window, and whole timelines of a few customers.
        var from = Uri.EscapeDataString("2025-11-23T00:00:00+08:00");
        var to = Uri.EscapeDataString("2026-11-23T00:00:00+08:00");
        var stats = await app.WaitForAsync($"/api/v1/events/stats?from={from}&to={to}");
        Assert.Equal(expected.Sum(c => c.Events.Count), stats.GetProperty("total").GetInt64());
        Assert.Equal(summary.Events, stats.GetProperty("total").GetInt64());
        Assert.Equal(expected.SelectMany(c => c.Events).Count(e => e.Type == EventTypes.ReviewSubmitted),
            stats.GetProperty("by_type").GetProperty("review_submitted").GetInt64());
        foreach (var c in new[] { expected[0], expected[1], expected.MaxBy(c => c.Orders.Count)! })
        {
            var id = c.Customer.ExternalId;
            var timeline = await ReadAllAsync(app, $"/api/v1/customers/{id}/events?limit=500");
            // A timeline is the customer's own events and the anonymous browsing of the ids identify linked to them.
            var linked = c.Events.Where(e => e.CustomerId == id && e.AnonymousId is not null).Select(e => e.AnonymousId!).ToHashSet();
            var own = c.Events.Where(e => e.CustomerId == id || (e.CustomerId is null && e.AnonymousId is not null && linked.Contains(e.AnonymousId)))
                .Select(e => e.EventId).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(own, timeline.Select(e => e.GetProperty("event_id").GetString()!).Order(StringComparer.Ordinal).ToList());

            var customer = await app.WaitForAsync($"/api/v1/customers/{id}");
            using var traits = JsonDocument.Parse(c.Events.Single(e => e.Type == EventTypes.Identify).Properties);
            Assert.Equal(traits.RootElement.GetProperty("name").GetString(), customer.GetProperty("name").GetString());
            Assert.Equal(traits.RootElement.GetProperty("city").GetString(), customer.GetProperty("city").GetString());
            Assert.Equal(c.Customer.RegistrationChannel, customer.GetProperty("registration_channel").GetString());
            var times = c.Events.Where(e => e.CustomerId == id).Select(e => e.Timestamp).ToList();
            Assert.Equal(times.Min(), customer.GetProperty("first_seen_at").GetDateTimeOffset().UtcDateTime);
            Assert.Equal(times.Max(), customer.GetProperty("last_seen_at").GetDateTimeOffset().UtcDateTime);
        }
    }

    [Fact]
    public async Task ServedShop_ShowsItsSpend_InTheDashboardsMarketingGroup()
    {
        await using var app = await ServeAsync();
        var spend = new DemoSpend();
        foreach (var c in expected)
        {
            spend.Count(c);
        }
        // The last 30 days of the window, 24 Oct – 22 Nov 2026.
        var rows = spend.Rows().Where(r => r.Date >= new DateOnly(2026, 10, 24) && r.Date <= new DateOnly(2026, 11, 22)).ToList();

        var dashboard = await app.WaitForAsync("/api/v1/analytics/dashboard?from=2026-10-24&to=2026-11-22");
        var metrics = dashboard.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("key").GetString()!, m => m.GetProperty("current"));
        Assert.Equal(rows.Sum(r => r.SpendMinor) / 100m, metrics["spend"].GetDecimal());
        Assert.Equal(rows.Sum(r => r.Clicks), metrics["clicks"].GetInt64());
        // The demo workspace's gross margin is set, so ROI is known as well as ROAS.
        Assert.Equal(DemoWriter.DemoGrossMargin, dashboard.GetProperty("gross_margin").GetDecimal());
        Assert.Equal(JsonValueKind.Number, metrics["roas"].ValueKind);
        Assert.Equal(JsonValueKind.Number, metrics["roi"].ValueKind);
    }

    [Fact]
    public async Task Projections_ReplayingTheGeneratedEvents_ChangeNoRow()
    {
        var checkpoints = Query("""SELECT "Name" || '=' || "Position" FROM "sys_projection_checkpoints" ORDER BY "Name" """);
        Assert.Equal([$"customers.profiles={summary.LastSeq}", $"orders={summary.LastSeq}", $"segments.membership={summary.LastSeq}"], checkpoints);
        var before = Snapshot();
        Assert.Equal(Options.Customers, Query("""SELECT "Id" FROM "cdp_customers" """).Count);

        // Make the projections apply every generated event again, as they would on a store loaded without checkpoints;
        // the segment projection recomputes every customer's stored traits on the way.
        Query("""UPDATE "sys_projection_checkpoints" SET "Position" = 0""");
        await using (var app = await ServeAsync())
        {
            var profiles = app.Services.GetRequiredService<ProfileProjection>();
            var orders = app.Services.GetRequiredService<OrderProjection>();
            var segments = app.Services.GetRequiredService<SegmentProjection>();
            await profiles.WaitForAppliedAsync(TestContext.Current.CancellationToken);
            await orders.WaitForAppliedAsync(TestContext.Current.CancellationToken);
            await segments.WaitForAppliedAsync(TestContext.Current.CancellationToken);
            Assert.Equal(summary.LastSeq, profiles.AppliedSeq);
            Assert.Equal(summary.LastSeq, orders.AppliedSeq);
            Assert.Equal(summary.LastSeq, segments.AppliedSeq);
        }

        var after = Snapshot();
        foreach (var (table, rows) in before)
        {
            Assert.Equal(rows, after[table]);
        }
    }

    private static async Task<List<JsonElement>> ReadAllAsync(FlywheelApp app, string path)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await app.WaitForAsync(cursor is null ? path : $"{path}&cursor={Uri.EscapeDataString(cursor)}");
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.Clone()));
            cursor = page.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return items;
    }

    /// <summary>Every column of every row the two projections write, as text, in key order.</summary>
    private Dictionary<string, List<string>> Snapshot() => new()
    {
        ["cdp_customers"] = Rows("cdp_customers", "ExternalId"),
        ["cdp_identity_links"] = Rows("cdp_identity_links", "AnonymousId"),
        ["ord_orders"] = Rows("ord_orders", "ExternalId"),
        ["ord_order_lines"] = Rows("ord_order_lines", "Id"),
        ["ord_refunds"] = Rows("ord_refunds", "Id"),
        ["cdp_customer_traits"] = Rows("cdp_customer_traits", "CustomerExternalId"),
    };

    private List<string> Rows(string table, string key) => Query($"SELECT * FROM \"{table}\" ORDER BY \"{key}\"");

    private List<string> Query(string sql)
    {
        using System.Data.Common.DbConnection c = postgres is var (server, database)
            ? new NpgsqlConnection(server.ConnectionString(database) + ";Pooling=false")
            : new SqliteConnection($"Data Source={Path.Combine(dir, "state.db")};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<string>();
        while (r.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "∅" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture))));
        }
        return rows;
    }
}
