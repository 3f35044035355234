using System.Net;
using System.Text.Json;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static Flywheel.Tests.Modules.Segments.Membership.SegmentShop;

namespace Flywheel.Tests.Modules.Segments.Membership;

/// <summary>
/// The seven conditions of docs/segments.md on <see cref="SegmentShop"/>, whose members are worked out by hand there,
/// through the preview and as saved segments; laws every evaluation must keep; and cross-checks against SQL written
/// here over the orders table.
/// </summary>
public sealed class SegmentExamplesTests
{
    [Fact]
    public async Task SevenExamples_HaveTheMembersWorkedOutByHand()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await BuildAsync(app);
        await SettleAsync(app);

        await AssertPreviewAsync(app, "lifecycle = 'dormant' and orders_count >= 2", "c1");
        await AssertPreviewAsync(app, "did order_paid at least 2 times in last 90 days where category = 'baby'", "c2");
        await AssertPreviewAsync(app, "did product_view in last 7 days and not did order_paid in last 30 days", "c3");
        await AssertPreviewAsync(app, "total_spend > 1000 and city in ('上海', '杭州')", "c1", "c5");
        await AssertPreviewAsync(app, "sum(order_paid.amount) in last 30 days >= 500", "c2");

        // No one has been scored yet, so only the tag counts; after scoring, the champions are whoever the RFM API says.
        await AssertPreviewAsync(app, "rfm_group = 'champions' or has tag 'VIP'", "c6");
        using (var scored = await app.Client.PostAsync("/api/v1/rfm/score", null))
        {
            Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
        }
        var champions = new List<string>();
        foreach (var id in Everyone)
        {
            var rfm = (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/customers/{id}/traits"))).GetProperty("rfm");
            if (rfm.ValueKind == JsonValueKind.Object && rfm.GetProperty("group").GetString() == "champions")
            {
                champions.Add(id);
            }
        }
        await AssertPreviewAsync(app, "rfm_group = 'champions' or has tag 'VIP'", [.. champions.Append("c6").Distinct().Order()]);

        await CreateAsync(app, "high-value", "total_spend > 1000");
        Assert.Equal(["c1", "c5"], await MembersAsync(app, "high-value"));
        await AssertPreviewAsync(app, "in segment 'high-value' and last_order_at before 2026-06-01", "c5");
        var seventh = await CreateAsync(app, "old-high-value", "in segment 'high-value' and last_order_at before 2026-06-01");
        Assert.Equal(1, seventh.GetProperty("member_count").GetInt32());
        Assert.Equal(["c5"], await MembersAsync(app, "old-high-value"));
    }

    [Fact]
    public async Task Laws_HoldForEveryPairOfConditions()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await BuildAsync(app);
        await SettleAsync(app);
        string[] conditions =
        [
            "city = '上海'",
            "did order_paid in last 30 days",
            "did order_paid at most 1 times",
            "has tag 'VIP'",
            "sum(order_paid.amount) < 500",
            "lifecycle in ('active', 'new') or last_seen_at after 3 days ago",
            "avg(order_paid.amount where category = 'baby') > 100",
        ];
        var everyone = await CountAsync(app, "customer_id is not null");
        Assert.Equal(Everyone.Length, everyone);
        foreach (var a in conditions)
        {
            var countA = await CountAsync(app, a);
            Assert.Equal(everyone, await CountAsync(app, $"({a}) or not ({a})"));
            Assert.Equal(0, await CountAsync(app, $"({a}) and not ({a})"));
            Assert.Equal(countA, await CountAsync(app, $"not not ({a})"));
            foreach (var b in conditions.Where(b => b != a))
            {
                // |A and B| + |A and not B| = |A|; |A or B| = |A| + |B| − |A and B|.
                var both = await CountAsync(app, $"({a}) and ({b})");
                Assert.Equal(countA, both + await CountAsync(app, $"({a}) and not ({b})"));
                Assert.Equal(countA + await CountAsync(app, b) - both, await CountAsync(app, $"({a}) or ({b})"));
            }
        }
    }

    [Fact]
    public async Task SpendAndOrderCounts_AgreeWithSqlOverTheOrdersTable()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await BuildAsync(app);
        await SettleAsync(app);
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        // Written here from the definitions in docs/segments.md: paid orders are those paid and not cancelled, money in fen.
        var over1000 = await db.Database.SqlQueryRaw<string>("""
            SELECT "CustomerExternalId" AS "Value" FROM "ord_orders"
            WHERE "PaidAt" IS NOT NULL AND "Status" IN ('Paid', 'PartiallyRefunded', 'Refunded') AND "Currency" = 'CNY'
            GROUP BY "CustomerExternalId" HAVING SUM("TotalMinor") > 100000
            """).ToListAsync();
        var twoOrMore = await db.Database.SqlQueryRaw<string>("""
            SELECT "CustomerExternalId" AS "Value" FROM "ord_orders" GROUP BY "CustomerExternalId" HAVING COUNT(*) >= 2
            """).ToListAsync();
        Assert.Equal(["c1", "c5"], over1000.Order());
        await AssertPreviewAsync(app, "total_spend > 1000", [.. over1000.Order()]);
        await AssertPreviewAsync(app, "orders_count >= 2", [.. twoOrMore.Order()]);
        await AssertPreviewAsync(app, "not (orders_count >= 2)", [.. Everyone.Except(twoOrMore).Order()]);
    }

    [Fact]
    public async Task BadConditions_AreRefusedWithWhereAndWhy_AndChangeNothing()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await BuildAsync(app);
        await SettleAsync(app);
        await CreateAsync(app, "high-value", "total_spend > 1000");

        using (var syntax = await app.PostJsonAsync("/api/v1/segments/preview", new { condition = "total_spend >\n  and city = 'x'" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, syntax.StatusCode);
            var error = (await FlywheelApp.ReadJsonAsync(syntax)).GetProperty("condition_errors")[0];
            Assert.Equal(2, error.GetProperty("line").GetInt32());
            Assert.Equal(3, error.GetProperty("column").GetInt32());
        }
        // Eleven decimal places: more than the event stores compare exactly.
        using (var precise = await app.PostJsonAsync("/api/v1/segments/preview", new { condition = "sum(order_paid.amount) >= 1.12345678901" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, precise.StatusCode);
            Assert.Contains("1.12345678901: a number compared with events has at most 10 decimal places", await precise.Content.ReadAsStringAsync());
        }
        using (var tag = await app.PostJsonAsync("/api/v1/segments/preview", new { condition = "has tag 'nope'" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, tag.StatusCode);
            Assert.Contains("'nope'", await tag.Content.ReadAsStringAsync());
        }
        using (var duplicate = await app.PostJsonAsync("/api/v1/segments", new { key = "high-value", name = "again", condition = "city = 'x'" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        }
        using (var key = await app.PostJsonAsync("/api/v1/segments", new { key = "High Value", name = "x", condition = "city = 'x'" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, key.StatusCode);
        }
        await CreateAsync(app, "old", "in segment 'high-value' and last_order_at before 2026-06-01");
        using (var cycle = await TagTestSend(app, HttpMethod.Patch, "/api/v1/segments/high-value", new { condition = "in segment 'old'" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, cycle.StatusCode);
        }
        using (var referenced = await app.Client.DeleteAsync("/api/v1/segments/high-value"))
        {
            Assert.Equal(HttpStatusCode.Conflict, referenced.StatusCode);
        }
        // Nothing changed: both segments as they were, with their members.
        var high = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/segments/high-value"));
        Assert.Equal("total_spend > 1000", high.GetProperty("condition").GetString());
        Assert.Equal(1, high.GetProperty("version").GetInt32());
        Assert.Equal(["c1", "c5"], await MembersAsync(app, "high-value"));
        Assert.Equal(["c5"], await MembersAsync(app, "old"));

        // Deleting in order works, and takes the members with it.
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync("/api/v1/segments/old")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync("/api/v1/segments/high-value")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/segments/high-value/members")).StatusCode);
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        Assert.Equal(0, await db.SegmentMembers.CountAsync());
    }

    private static Task<HttpResponseMessage> TagTestSend(FlywheelApp app, HttpMethod method, string path, object body) =>
        Customers.Tags.TagTestData.SendJsonAsync(app.Client, method, path, body);

    private static async Task AssertPreviewAsync(FlywheelApp app, string condition, params string[] expected)
    {
        var preview = await PreviewAsync(app, condition);
        var sample = preview.GetProperty("sample").EnumerateArray().Select(s => s.GetString()!).ToArray();
        Assert.Equal($"{condition}: {string.Join(", ", expected)}", $"{condition}: {string.Join(", ", sample)}");
        Assert.Equal(expected.Length, preview.GetProperty("count").GetInt64());
    }
}
