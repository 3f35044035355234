using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Flywheel.Modules.Analytics.Reports;
using Flywheel.Tests.Modules.Analytics.Insights;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Analytics.Reports;

/// <summary>
/// Report subscriptions through the API, the scheduler's due runs, and delivery to a file drop and a real local webhook
/// receiver. The shop is in Asia/Shanghai (UTC+8); "now" starts on Sunday 22 November 2026 12:00 local (04:00 UTC).
/// </summary>
public sealed class ReportsApiTests
{
    private const string Subscriptions = "/api/v1/reports/subscriptions";
    private static readonly DateTimeOffset SundayNoon = new(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);
    /// <summary>The first bytes of every PNG file.</summary>
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47];
    /// <summary>Monday 23 November 09:00 local.</summary>
    private static readonly DateTimeOffset MondayNine = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AWeeklyReport_DueMonday0900Local_CoversThePreviousWeek_RunsOnce_AndIsDelivered()
    {
        var clock = new FakeTimeProvider(SundayNoon);
        await using var app = await StartAsync(clock);
        await using var receiver = new WebhookReceiver();
        var created = await CreateAsync(app, new
        {
            name = "Weekly review", cadence = "weekly", send_at = "09:00", locale = "en",
            background = "Q4 push before 双12.", goals = "GMV 1,000 a week.", targets = new { gmv = 1000 }, webhook_url = receiver.Url,
        });
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("webhook_secret").GetString()!;
        // Due next on Monday 23 Nov 09:00 local = 01:00 UTC.
        Assert.Equal(MondayNine, created.GetProperty("next_run_at").GetDateTimeOffset());
        await BuildShopAsync(app);

        clock.SetUtcNow(MondayNine);
        // The background scheduler and three more callers all find the report due at once: it is made once.
        var runner = app.Services.GetRequiredService<ReportRunner>();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => runner.RunDueAsync(CancellationToken.None)));
        app.Services.GetRequiredService<ReportScheduler>().Nudge();

        var delivered = await receiver.NextAsync();
        var runs = (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/reports/runs"))).GetProperty("items").EnumerateArray().ToList();
        var run = Assert.Single(runs);
        var runId = run.GetProperty("id").GetString()!;
        Assert.Equal("schedule", run.GetProperty("trigger").GetString());
        Assert.Equal("done", run.GetProperty("status").GetString());
        // Monday 16 to Sunday 22 November, local dates.
        Assert.Equal("2026-11-16", run.GetProperty("period_from").GetString());
        Assert.Equal("2026-11-22", run.GetProperty("period_to").GetString());
        // The next is due a week later.
        var subscription = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Subscriptions}/{id}"));
        Assert.Equal(MondayNine.AddDays(7), subscription.GetProperty("next_run_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, subscription.GetProperty("webhook_secret").ValueKind);

        // The webhook: signed with HMAC-SHA256 over "<t>.<body>" with the secret, computed here independently.
        var signature = delivered.Headers["Flywheel-Signature"].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{signature["t"]}.{delivered.Body}")));
        Assert.Equal(expected, signature["v1"]);
        Assert.Equal(MondayNine.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), signature["t"]);
        Assert.Equal(runId, delivered.Headers["Flywheel-Delivery"]);
        var body = JsonDocument.Parse(delivered.Body).RootElement;
        Assert.Equal("report.ready", body.GetProperty("event").GetString());
        Assert.Equal($"/api/v1/reports/runs/{runId}/html", body.GetProperty("links").GetProperty("html").GetString());
        var gmv = body.GetProperty("figures").GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "gmv");
        // 16–22 Nov: 100.00 + 50.00 = 150.00; 9–15 Nov: 100.00 + 100.00 = 200.00; (150 − 200) / 200 = −0.25; target 1000 not met.
        Assert.Equal(150.00m, gmv.GetProperty("current").GetDecimal());
        Assert.Equal(200.00m, gmv.GetProperty("previous").GetDecimal());
        Assert.Equal(-0.25m, gmv.GetProperty("change").GetDecimal());
        Assert.False(gmv.GetProperty("target_met").GetBoolean());
        // Paid orders 2 against 2, with no target: neither met nor missed.
        var orders = body.GetProperty("figures").GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "paid_orders");
        Assert.Equal(2, orders.GetProperty("current").GetDecimal());
        Assert.Equal(JsonValueKind.Null, orders.GetProperty("target").ValueKind);
        Assert.Equal(JsonValueKind.Null, orders.GetProperty("target_met").ValueKind);
        var problems = body.GetProperty("figures").GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Contains("below_target:gmv", problems);
        Assert.Contains("decline:gmv", problems);
        Assert.Contains(body.GetProperty("figures").GetProperty("suggestions").EnumerateArray(), s => s.GetProperty("rule").GetString() == "gmv_target");
        Assert.Contains("5. Suggestions", body.GetProperty("html").GetString(), StringComparison.Ordinal);

        // The file drop: the page, its figures and both charts, under the data directory.
        var path = (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/reports/runs/{runId}"))).GetProperty("file_path").GetString()!;
        Assert.StartsWith(Path.Combine(app.DataDir, "reports"), path, StringComparison.Ordinal);
        Assert.Contains("1. Background and goals", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.True(File.Exists(path.Replace(".html", ".json", StringComparison.Ordinal)));
        Assert.Equal(PngSignature, (await File.ReadAllBytesAsync(path.Replace(".html", "_gmv.png", StringComparison.Ordinal)))[..4]);
        Assert.True(File.Exists(path.Replace(".html", "_traffic.png", StringComparison.Ordinal)));

        // Downloads: the page, as a page and as an attachment, and a chart.
        var page = await app.Client.GetAsync($"/api/v1/reports/runs/{runId}/html");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var download = await app.Client.GetAsync($"/api/v1/reports/runs/{runId}/html?download=true");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        var chart = await app.Client.GetAsync($"/api/v1/reports/runs/{runId}/charts/traffic.png");
        Assert.Equal("image/png", chart.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PngSignature, (await chart.Content.ReadAsByteArrayAsync())[..4]);

        // Running the due work again changes nothing: still one run, and the webhook was posted once.
        await runner.RunDueAsync(CancellationToken.None);
        Assert.Single((await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/reports/runs"))).GetProperty("items").EnumerateArray());
        Assert.Equal(0, receiver.Pending);
    }

    [Fact]
    public async Task AFailedWebhook_IsRetriedAfterItsBackoff_WithTheSameDeliveryId()
    {
        var clock = new FakeTimeProvider(SundayNoon);
        await using var app = await StartAsync(clock);
        await using var receiver = new WebhookReceiver();
        receiver.Statuses.Enqueue(500);
        var id = (await CreateAsync(app, new { name = "Monthly", cadence = "monthly", webhook_url = receiver.Url, file_drop = false })).GetProperty("id").GetString()!;

        var made = await app.Client.PostAsync($"{Subscriptions}/{id}/run", null);
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var run = await FlywheelApp.ReadJsonAsync(made);
        var runId = run.GetProperty("id").GetString()!;
        // Made on 22 Nov: the last whole month, October.
        Assert.Equal("2026-10-01", run.GetProperty("period_from").GetString());
        Assert.Equal("2026-10-31", run.GetProperty("period_to").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("file_path").ValueKind);

        var first = await receiver.NextAsync();
        var failed = await WaitForRunAsync(app, runId, r => r.GetProperty("webhook_error").ValueKind == JsonValueKind.String);
        Assert.Equal("pending", failed.GetProperty("webhook_status").GetString());
        Assert.Equal(1, failed.GetProperty("webhook_attempts").GetInt32());

        // The first wait is 30 seconds.
        clock.Advance(TimeSpan.FromSeconds(30));
        app.Services.GetRequiredService<ReportScheduler>().Nudge();
        var second = await receiver.NextAsync();
        var delivered = await WaitForRunAsync(app, runId, r => r.GetProperty("webhook_status").GetString() == "delivered");
        Assert.Equal(2, delivered.GetProperty("webhook_attempts").GetInt32());
        Assert.Equal(first.Headers["Flywheel-Delivery"], second.Headers["Flywheel-Delivery"]);
        Assert.Equal(first.Body, second.Body);
    }

    [Fact]
    public async Task BadInput_IsRefusedFieldByField_AndChangesNothing()
    {
        await using var app = await StartAsync(new FakeTimeProvider(SundayNoon));

        var response = await app.PostJsonAsync(Subscriptions, new
        {
            name = "", cadence = "daily", send_at = "25:00", locale = "fr",
            targets = new Dictionary<string, object> { ["gmv"] = -1, ["visits"] = 3, ["conversion_rate"] = 2, ["paid_orders"] = 1.5 },
            webhook_url = "ftp://example.com/hook",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors");
        foreach (var field in new[] { "name", "cadence", "send_at", "locale", "targets.gmv", "targets.visits", "targets.conversion_rate", "targets.paid_orders", "webhook_url" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(Subscriptions, new { name = "x", cadence = "weekly", colour = "red" })).StatusCode);
        Assert.Empty((await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(Subscriptions))).EnumerateArray());

        // A good one, then a bad change to it: refused, and the subscription is as it was.
        var id = (await CreateAsync(app, new { name = "Weekly", cadence = "weekly" })).GetProperty("id").GetString()!;
        var before = await app.Client.GetStringAsync($"{Subscriptions}/{id}");
        var patch = await app.Client.PatchAsJsonAsync($"{Subscriptions}/{id}", new { send_at = "9am", targets = new { aov = "high" } });
        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Equal(before, await app.Client.GetStringAsync($"{Subscriptions}/{id}"));
        // Only the good subscription's creation is in the audit log.
        var audit = (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/audit"))).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("entity_type").GetString() == "report_subscription").ToList();
        Assert.Equal(["created"], audit.Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Changes_AreAudited_AndMoveTheNextDueTime_AndDeletingRemovesPastReports()
    {
        await using var app = await StartAsync(new FakeTimeProvider(SundayNoon));
        var id = (await CreateAsync(app, new { name = "Quarterly", cadence = "quarterly", send_at = "08:30" })).GetProperty("id").GetString()!;

        var changed = await FlywheelApp.ReadJsonAsync(await app.Client.PatchAsJsonAsync($"{Subscriptions}/{id}", new { cadence = "monthly", send_at = "07:00", goals = "Grow." }));
        // Monthly at 07:00 local: 1 Dec 07:00 = 30 Nov 23:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), changed.GetProperty("next_run_at").GetDateTimeOffset());
        Assert.Equal("Grow.", changed.GetProperty("goals").GetString());
        var disabled = await FlywheelApp.ReadJsonAsync(await app.Client.PatchAsJsonAsync($"{Subscriptions}/{id}", new { enabled = false }));
        Assert.Equal(JsonValueKind.Null, disabled.GetProperty("next_run_at").ValueKind);
        var rotated = await FlywheelApp.ReadJsonAsync(await app.Client.PatchAsJsonAsync($"{Subscriptions}/{id}", new { rotate_secret = true }));
        Assert.StartsWith("whsec_", rotated.GetProperty("webhook_secret").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Created, (await app.Client.PostAsync($"{Subscriptions}/{id}/run", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"{Subscriptions}/{id}")).StatusCode);
        Assert.Empty((await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/reports/runs"))).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync($"{Subscriptions}/{id}")).StatusCode);

        var actions = (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/audit"))).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("entity_type").GetString() == "report_subscription").Select(e => e.GetProperty("action").GetString()).Reverse().ToList();
        Assert.Equal(["created", "updated", "updated", "rotated_secret", "ran", "deleted"], actions);
    }

    [Fact]
    public async Task AKeyWithoutReportsWrite_CanReadButNotChange()
    {
        await using var app = await StartAsync(new FakeTimeProvider(SundayNoon));
        var response = await app.Client.PostAsJsonAsync("/api/v1/keys", new { kind = "secret", name = "reader", scopes = new[] { "analytics:read" } });
        using var reader = app.CreateClient((await FlywheelApp.ReadJsonAsync(response)).GetProperty("secret").GetString());

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(Subscriptions)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync(Subscriptions, new { name = "x", cadence = "weekly" })).StatusCode);
    }

    /// <summary>Previous week (9–15 Nov): two orders of 100.00. The week reported (16–22 Nov): 100.00 and 50.00.</summary>
    private static async Task BuildShopAsync(FlywheelApp app)
    {
        await InsightsApiTests.Ok(app.PostJsonAsync("/api/v1/orders", InsightsApiTests.Order("p1", "c1", 100m, "2026-11-10T12:00:00+08:00", "feed_ads", "beauty")));
        await InsightsApiTests.Ok(app.PostJsonAsync("/api/v1/orders", InsightsApiTests.Order("p2", "c3", 100m, "2026-11-11T12:00:00+08:00", "feed_ads", "beauty")));
        await InsightsApiTests.Ok(app.PostJsonAsync("/api/v1/orders", InsightsApiTests.Order("n1", "c5", 100m, "2026-11-17T12:00:00+08:00", "feed_ads", "beauty")));
        await InsightsApiTests.Ok(app.PostJsonAsync("/api/v1/orders", InsightsApiTests.Order("n2", "c2", 50m, "2026-11-18T12:00:00+08:00", "search", "home")));
        await InsightsApiTests.WaitForProjectionsAsync(app);
    }

    private static async Task<JsonElement> CreateAsync(FlywheelApp app, object body)
    {
        var response = await app.PostJsonAsync(Subscriptions, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await FlywheelApp.ReadJsonAsync(response);
    }

    /// <summary>Reads a run until <paramref name="done"/> holds (the sender records an attempt's outcome just after it).</summary>
    private static async Task<JsonElement> WaitForRunAsync(FlywheelApp app, string runId, Func<JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var run = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/reports/runs/{runId}", timeout.Token));
            if (done(run))
            {
                return run;
            }
            await Task.Delay(20, timeout.Token);
        }
    }

    private static Task<FlywheelApp> StartAsync(FakeTimeProvider clock) =>
        FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
}
