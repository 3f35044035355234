using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Platform.Api;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Marketing;

/// <summary>
/// Spend data through the API: JSON upsert, CSV import, list and delete, and the gross margin setting. A bad row refuses
/// the whole request naming the row and the field, and nothing is written.
/// </summary>
public sealed class SpendApiTests
{
    private const string Spend = "/api/v1/marketing/spend";

    [Fact]
    public async Task JsonRows_AreUpsertedByDateChannelCampaignAndCreative_AndListed()
    {
        await using var app = await FlywheelApp.StartAsync();

        var first = await PutAsync(app, new
        {
            rows = new object[]
            {
                new { date = "2026-11-01", channel = "baidu", campaign = "brand", spend = 120.50m, impressions = 4000, clicks = 80 },
                new { date = "2026-11-01", channel = "baidu", campaign = "generic", spend = 30m, impressions = 1000, clicks = 20 },
                new { date = "2026-11-02", channel = "douyin", spend = 200m, impressions = 20000, clicks = 150 },
            },
        });
        Assert.Equal((3, 3, 0, 0), Counts(first));

        // The same brand row again with new figures, the generic row unchanged, one new row.
        var second = await PutAsync(app, new
        {
            rows = new object[]
            {
                new { date = "2026-11-01", channel = "baidu", campaign = "brand", spend = 100m, impressions = 4000, clicks = 90 },
                new { date = "2026-11-01", channel = "baidu", campaign = "generic", spend = 30m, impressions = 1000, clicks = 20 },
                new { date = "2026-11-03", channel = "baidu", campaign = "brand", creative = "video-a", spend = 10m },
            },
        });
        Assert.Equal((3, 1, 1, 1), Counts(second));

        var list = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Spend}?from=2026-11-01&to=2026-11-03"));
        // 100.00 + 30.00 + 200.00 + 10.00 = 340.00.
        Assert.Equal(340.00m, list.GetProperty("total_spend").GetDecimal());
        var rows = list.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(("2026-11-01", "baidu", "brand", 100.00m, 90L), Row(rows[0]));
        Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("campaign").ValueKind);
        Assert.Equal("video-a", rows[3].GetProperty("creative").GetString());
        // Absent impressions and clicks are 0.
        Assert.Equal(0, rows[3].GetProperty("clicks").GetInt64());

        var byChannel = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Spend}?from=2026-11-01&to=2026-11-03&channel=douyin"));
        Assert.Equal(200.00m, byChannel.GetProperty("total_spend").GetDecimal());
    }

    [Fact]
    public async Task ABadJsonRow_RefusesTheRequest_NamingRowAndField_AndWritesNothing()
    {
        await using var app = await FlywheelApp.StartAsync();

        using var response = await SendPutAsync(app, new
        {
            rows = new object[]
            {
                new { date = "2026-11-01", channel = "baidu", spend = 10m, impressions = 100, clicks = 5 },
                new { date = "2026-11-01", channel = "weibo", spend = 1.005m },
                new { date = "11/01/2026", channel = "", spend = -3m, impressions = 10, clicks = 11 },
                new { date = "2026-11-01", channel = "baidu", spend = 12m },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors");
        Assert.Contains("more than 2 decimals", Message(errors, "rows[1].spend"), StringComparison.Ordinal);
        Assert.Contains("not a date", Message(errors, "rows[2].date"), StringComparison.Ordinal);
        Assert.Contains("required", Message(errors, "rows[2].channel"), StringComparison.Ordinal);
        Assert.Contains("negative", Message(errors, "rows[2].spend"), StringComparison.Ordinal);
        Assert.Contains("more than the 10 impressions", Message(errors, "rows[2].clicks"), StringComparison.Ordinal);
        // The fourth row repeats the first row's key.
        Assert.Contains("rows[0]", Message(errors, "rows[3].date"), StringComparison.Ordinal);
        Assert.Empty(await RowsAsync(app));
    }

    [Fact]
    public async Task Csv_IsImportedWhole_OrRefusedWhole()
    {
        await using var app = await FlywheelApp.StartAsync();

        const string bad = "date,channel,campaign,spend,impressions,clicks\n"
            + "2026-11-01,baidu,brand,50.00,1000,20\n"
            + "2026-11-01,douyin,,abc,100,5\n"
            + "2026-13-01,wechat,,5,100,200\n";
        using (var refused = await ImportAsync(app, bad))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var errors = (await FlywheelApp.ReadJsonAsync(refused)).GetProperty("errors");
            // The header is row 1: the bad spend is on row 3, the bad date and too many clicks on row 4.
            Assert.Contains("not a number", Message(errors, "row 3.spend"), StringComparison.Ordinal);
            Assert.Contains("not a date", Message(errors, "row 4.date"), StringComparison.Ordinal);
            Assert.Contains("more than the 100 impressions", Message(errors, "row 4.clicks"), StringComparison.Ordinal);
        }
        Assert.Empty(await RowsAsync(app));

        using (var unknown = await ImportAsync(app, "date,channel,spend,cost\n2026-11-01,baidu,1,1\n"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("Unknown column 'cost'", Message((await FlywheelApp.ReadJsonAsync(unknown)).GetProperty("errors"), "file"), StringComparison.Ordinal);
        }

        const string good = "date,channel,campaign,creative,spend,impressions,clicks\n"
            + "2026-11-01,baidu,brand,,50.00,1000,20\n"
            + "2026-11-02,baidu,brand,,60.50,1200,25\n";
        using (var imported = await ImportAsync(app, good))
        {
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
            Assert.Equal((2, 2, 0, 0), Counts(await FlywheelApp.ReadJsonAsync(imported)));
        }
        Assert.Equal(2, (await RowsAsync(app)).Count);

        var audit = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/audit?entity_type=ad_spend"));
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "imported");
    }

    [Fact]
    public async Task Delete_RemovesTheRowsOfARange_OptionallyOfOneChannel()
    {
        await using var app = await FlywheelApp.StartAsync();
        await PutAsync(app, new
        {
            rows = new object[]
            {
                new { date = "2026-11-01", channel = "baidu", spend = 1m },
                new { date = "2026-11-02", channel = "baidu", spend = 2m },
                new { date = "2026-11-02", channel = "douyin", spend = 3m },
                new { date = "2026-11-05", channel = "baidu", spend = 4m },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.DeleteAsync($"{Spend}?from=2026-11-01")).StatusCode);
        var baidu = await FlywheelApp.ReadJsonAsync(await app.Client.DeleteAsync($"{Spend}?from=2026-11-01&to=2026-11-02&channel=baidu"));
        Assert.Equal(2, baidu.GetProperty("deleted").GetInt32());
        // Left: douyin on the 2nd and baidu on the 5th.
        Assert.Equal([("2026-11-02", "douyin"), ("2026-11-05", "baidu")],
            (await RowsAsync(app)).Select(r => (r.GetProperty("date").GetString(), r.GetProperty("channel").GetString())));
        var audit = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/audit?entity_type=ad_spend"));
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "deleted");
    }

    [Fact]
    public async Task GrossMargin_IsSetChecked_AndCleared()
    {
        await using var app = await FlywheelApp.StartAsync();
        const string settings = "/api/v1/marketing/settings";
        Assert.Equal(JsonValueKind.Null, (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(settings))).GetProperty("gross_margin").ValueKind);

        using (var set = await app.Client.PutAsJsonAsync(settings, new { gross_margin = 0.35m }, ApiJson.Options))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
        Assert.Equal(0.35m, (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(settings))).GetProperty("gross_margin").GetDecimal());

        foreach (var wrong in new[] { 0m, 1.5m, 0.12345m })
        {
            using var refused = await app.Client.PutAsJsonAsync(settings, new { gross_margin = wrong }, ApiJson.Options);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        Assert.Equal(0.35m, (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(settings))).GetProperty("gross_margin").GetDecimal());

        using (var cleared = await app.Client.PutAsJsonAsync(settings, new { gross_margin = (decimal?)null }, ApiJson.Options))
        {
            Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        }
        Assert.Equal(JsonValueKind.Null, (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(settings))).GetProperty("gross_margin").ValueKind);
    }

    [Fact]
    public async Task WritingSpend_NeedsTheMarketingWriteScope()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var created = await app.Client.PostAsJsonAsync("/api/v1/keys", new { kind = "secret", name = "reader", scopes = new[] { "analytics:read" } });
        var key = (await FlywheelApp.ReadJsonAsync(created)).GetProperty("secret").GetString();
        using var reader = app.CreateClient(key);

        using var put = await reader.PutAsJsonAsync(Spend, new { rows = new[] { new { date = "2026-11-01", channel = "baidu", spend = 1m } } }, ApiJson.Options);
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"{Spend}?from=2026-11-01&to=2026-11-01")).StatusCode);
    }

    private static async Task<JsonElement> PutAsync(FlywheelApp app, object body)
    {
        using var response = await SendPutAsync(app, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await FlywheelApp.ReadJsonAsync(response);
    }

    private static Task<HttpResponseMessage> SendPutAsync(FlywheelApp app, object body) => app.Client.PutAsJsonAsync(Spend, body, ApiJson.Options);

    private static async Task<HttpResponseMessage> ImportAsync(FlywheelApp app, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        return await app.Client.PostAsync("/api/v1/imports/ad_spend", content);
    }

    private static async Task<List<JsonElement>> RowsAsync(FlywheelApp app) =>
        [.. (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"{Spend}?from=2026-10-01&to=2026-11-30"))).GetProperty("rows").EnumerateArray()];

    private static (int Rows, int Created, int Updated, int Unchanged) Counts(JsonElement e) =>
        (e.GetProperty("rows").GetInt32(), e.GetProperty("created").GetInt32(), e.GetProperty("updated").GetInt32(), e.GetProperty("unchanged").GetInt32());

    private static (string?, string?, string?, decimal, long) Row(JsonElement r) =>
        (r.GetProperty("date").GetString(), r.GetProperty("channel").GetString(), r.GetProperty("campaign").GetString(),
            r.GetProperty("spend").GetDecimal(), r.GetProperty("clicks").GetInt64());

    private static string Message(JsonElement errors, string field)
    {
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {errors}");
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }
}
