using System.Globalization;
using System.Net;
using System.Text.Json;
using Flywheel.Modules.Customers.Model;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Segments;

/// <summary>
/// Clustering through the API on a shop whose two kinds of buyer are obvious: three "whales" who ordered five times,
/// ten days apart, ¥1,000 each time with a coupon, in two categories; and six one-off buyers of about ¥10 in one
/// category, 100 days ago. "Now" is 17 Nov 2026 04:00 UTC.
/// </summary>
public sealed class ClusteringApiTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 17, 4, 0, 0, TimeSpan.Zero);
    private static readonly string[] Whales = ["w1", "w2", "w3"];
    private static readonly string[] OneOffs = ["s1", "s2", "s3", "s4", "s5", "s6"];

    [Fact]
    public async Task Clusters_SeparateTheTwoKinds_LargestFirst_InTraitUnits()
    {
        await using var app = await StartShopAsync();

        var view = await ClusterAsync(app, new { k = 2, seed = 1 });

        // u1 paid only in USD, c0 only had a cancelled order, p0 never ordered: none of them is a buyer in CNY.
        Assert.Equal(9, view.GetProperty("customers").GetInt32());
        Assert.Equal(2, view.GetProperty("k").GetInt32());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("suggestion").ValueKind);
        Assert.Equal(8, view.GetProperty("features").GetArrayLength());
        var clusters = view.GetProperty("clusters");
        var oneOffs = clusters[0];
        var whales = clusters[1];
        Assert.Equal((1, 6, 0.6667), (oneOffs.GetProperty("cluster").GetInt32(), oneOffs.GetProperty("customers").GetInt32(), oneOffs.GetProperty("share").GetDouble()));
        Assert.Equal((2, 3), (whales.GetProperty("cluster").GetInt32(), whales.GetProperty("customers").GetInt32()));

        // Whales: 5 orders of 1,000.00 + i (i = 0, 1, 2) → spend 5,000, 5,005, 5,010 → mean 5,005.00; AOV 1,000, 1,001,
        // 1,002 → 1,001.00; last order 10 + i days ago → 11; 40 days from first to last over 4 gaps → 10; w1 had 500.00 of
        // 5,000.00 refunded → refund share (0.1 + 0 + 0)/3 = 0.0333; every order with a coupon → 1; beauty and baby → 2.
        var w = whales.GetProperty("means");
        Assert.Equal(5, w.GetProperty("paid_orders").GetDouble());
        Assert.Equal(5005.00, w.GetProperty("total_spend").GetDouble());
        Assert.Equal(1001.00, w.GetProperty("average_order_value").GetDouble());
        Assert.Equal(11, w.GetProperty("days_since_last_order").GetDouble());
        Assert.Equal(10, w.GetProperty("average_days_between_orders").GetDouble());
        Assert.Equal(0.0333, w.GetProperty("refund_share").GetDouble());
        Assert.Equal(1, w.GetProperty("coupon_use_rate").GetDouble());
        Assert.Equal(2, w.GetProperty("categories_bought").GetDouble());
        // One-offs: 10.00 + i (i = 0..5) → 12.50; 100 + i days ago → 102.5; one order each, so no gap between orders.
        var s = oneOffs.GetProperty("means");
        Assert.Equal(12.50, s.GetProperty("total_spend").GetDouble());
        Assert.Equal(102.5, s.GetProperty("days_since_last_order").GetDouble());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("average_days_between_orders").ValueKind);
        // Everyone: (6 + 15)/9 orders = 2.33; (75 + 15,015)/9 = 1,676.67 spent.
        Assert.Equal(2.33, view.GetProperty("overall_means").GetProperty("paid_orders").GetDouble());
        Assert.Equal(1676.67, view.GetProperty("overall_means").GetProperty("total_spend").GetDouble());

        // Whales differ from everyone by about √2 deviations on most features (a 3-of-9 minority on a two-valued
        // feature sits at √(6/3)): the label names the first two, each high or low as its standardised mean says.
        var label = whales.GetProperty("label").EnumerateArray().ToList();
        Assert.Equal(2, label.Count);
        var distinguishing = whales.GetProperty("distinguishing").EnumerateArray().ToList();
        Assert.Equal(8, distinguishing.Count);
        Assert.Equal(label.Select(l => l.GetProperty("feature").GetString()), distinguishing.Take(2).Select(d => d.GetProperty("feature").GetString()));
        foreach (var (part, difference) in label.Zip(distinguishing))
        {
            Assert.Equal(difference.GetProperty("deviations").GetDouble() > 0 ? "high" : "low", part.GetProperty("direction").GetString());
            Assert.InRange(Math.Abs(difference.GetProperty("deviations").GetDouble()), 1.3, 1.5);
        }
        Assert.Equal(-1, Math.Sign(whales.GetProperty("standardised").GetProperty("days_since_last_order").GetDouble()));
        Assert.Equal(1.4142, whales.GetProperty("standardised").GetProperty("coupon_use_rate").GetDouble());
        // Only whales have a gap between orders, all of 10 days: nothing to tell them apart by.
        Assert.Equal(0, whales.GetProperty("standardised").GetProperty("average_days_between_orders").GetDouble());
    }

    [Fact]
    public async Task WithoutK_TheSuggestionTableIsGiven_AndItsBestKUsed()
    {
        await using var app = await StartShopAsync();

        var view = await ClusterAsync(app, new { features = new[] { "total_spend", "paid_orders" } });

        var suggestion = view.GetProperty("suggestion");
        Assert.Equal("mean_silhouette", suggestion.GetProperty("criterion").GetString());
        Assert.Equal(9, suggestion.GetProperty("sample_size").GetInt32());
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], suggestion.GetProperty("scores").EnumerateArray().Select(x => x.GetProperty("k").GetInt32()));
        Assert.Equal(2, suggestion.GetProperty("best_k").GetInt32());
        Assert.Equal(2, view.GetProperty("k").GetInt32());
        Assert.Equal(1, view.GetProperty("seed").GetInt32());
        Assert.Equal(["paid_orders", "total_spend"], view.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal([6, 3], view.GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("customers").GetInt32()));
    }

    [Fact]
    public async Task Tag_StoresTheClustersCustomers_AsAnImportedTag_AndReplacesItLater()
    {
        await using var app = await StartShopAsync();

        var tagged = await TagAsync(app, new { k = 2, seed = 1, cluster = 2, tag = "whales' club" });

        Assert.Equal("has tag 'whales'' club'", tagged.GetProperty("condition").GetString());
        Assert.Equal(3, tagged.GetProperty("customers").GetInt32());
        Assert.True(tagged.GetProperty("created").GetBoolean());
        Assert.Equal(Whales, await MembersAsync(app, "whales' club"));
        await using (var db = app.Services.GetRequiredService<StateStore>().Open())
        {
            var tag = await db.Tags.SingleAsync(t => t.Name == "whales' club");
            Assert.Equal(TagKind.Imported, tag.Kind);
            Assert.Contains("Cluster 2 of 2", tag.Description, StringComparison.Ordinal);
            Assert.True(await db.AuditLog.AnyAsync(e => e.Action == "imported" && e.EntityType == "tag" && e.EntityId == "whales' club"));
        }

        // The same name again, now for the larger cluster: the members are replaced, not added to.
        var again = await TagAsync(app, new { k = 2, seed = 1, cluster = 1, tag = "whales' club" });

        Assert.False(again.GetProperty("created").GetBoolean());
        Assert.Equal(3, again.GetProperty("previous_customers").GetInt32());
        Assert.Equal(OneOffs, await MembersAsync(app, "whales' club"));
    }

    [Fact]
    public async Task Tag_RefusesToReplaceATagOfAnotherKind()
    {
        await using var app = await StartShopAsync();
        await using (var db = app.Services.GetRequiredService<StateStore>().Open())
        {
            var workspaceId = await db.Workspaces.Select(w => w.Id).SingleAsync();
            db.Tags.Add(new Tag { Id = "tag_vip", WorkspaceId = workspaceId, Name = "vip", Kind = TagKind.Manual, CreatedAt = Now, UpdatedAt = Now });
            db.CustomerTags.Add(new CustomerTag { WorkspaceId = workspaceId, TagId = "tag_vip", CustomerExternalId = "s1", Source = "api", TaggedAt = Now });
            await db.SaveChangesAsync();
        }

        using var response = await app.PostJsonAsync("/api/v1/clusters/tag", new { k = 2, cluster = 2, tag = "vip" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("'vip' is a manual tag; only an imported tag is replaced as a whole. Choose another name.", (await FlywheelApp.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["s1"], await MembersAsync(app, "vip"));
    }

    [Fact]
    public async Task AsOf_TakesTheTraitsAtThatMoment_SoThatAClusteringCanBeRepeatedLater()
    {
        var clock = new FakeTimeProvider(Now);
        await using var app = await StartShopAsync(clock);
        var first = await ClusterAsync(app, new { k = 2 });
        Assert.Equal(Now, first.GetProperty("as_of").GetDateTimeOffset());

        // A day later every last order is a day older, unless the first clustering's moment is asked for.
        clock.Advance(TimeSpan.FromDays(1));
        var later = await ClusterAsync(app, new { k = 2 });
        var again = await ClusterAsync(app, new { k = 2, as_of = first.GetProperty("as_of").GetString() });

        double WhaleDays(JsonElement view) => view.GetProperty("clusters")[1].GetProperty("means").GetProperty("days_since_last_order").GetDouble();
        Assert.Equal((11, 12, 11), (WhaleDays(first), WhaleDays(later), WhaleDays(again)));
        Assert.Equal(first.GetProperty("clusters").GetRawText(), again.GetProperty("clusters").GetRawText());

        // 45 days before now each whale had paid only its first order (50–52 days ago); later orders are not counted.
        var earlier = await ClusterAsync(app, new { k = 2, as_of = Iso(Now.AddDays(-45)) });
        Assert.Equal(9, earlier.GetProperty("customers").GetInt32());
        Assert.All(earlier.GetProperty("clusters").EnumerateArray(), c => Assert.Equal(1, c.GetProperty("means").GetProperty("paid_orders").GetDouble()));

        var future = await ProblemAsync(app, "/api/v1/clusters", new { as_of = Iso(clock.GetUtcNow().AddMinutes(1)) }, HttpStatusCode.BadRequest);
        Assert.Equal("must not be in the future: orders not yet paid cannot be counted.", future.GetProperty("errors").GetProperty("as_of")[0].GetString());
    }

    [Fact]
    public async Task BadRequests_AreRefused_WithTheFieldAndTheReason()
    {
        await using var app = await StartShopAsync();

        var tooSmall = await ProblemAsync(app, "/api/v1/clusters", new { k = 1 }, HttpStatusCode.BadRequest);
        Assert.Equal("must be from 2 to 20, or null to have k suggested (it was 1).", tooSmall.GetProperty("errors").GetProperty("k")[0].GetString());

        var unknown = await ProblemAsync(app, "/api/v1/clusters", new { features = new[] { "spend" } }, HttpStatusCode.BadRequest);
        Assert.StartsWith("'spend' is not a feature", unknown.GetProperty("errors").GetProperty("features")[0].GetString(), StringComparison.Ordinal);

        // Nine buyers cannot make ten clusters: the request is well formed, the data cannot answer it.
        var tooMany = await ProblemAsync(app, "/api/v1/clusters", new { k = 10 }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("10 clusters need at least 10 customers with a paid order; there are 9.", tooMany.GetProperty("detail").GetString());
        Assert.Equal("ClustersNeedAsManyCustomers", tooMany.GetProperty("rule").GetString());

        // Every whale orders 5 times and every one-off once: on this feature alone there are two different customers.
        var alike = await ProblemAsync(app, "/api/v1/clusters", new { k = 3, features = new[] { "paid_orders" } }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ClustersNeedAsManyDifferentCustomers", alike.GetProperty("rule").GetString());

        var noCluster = await ProblemAsync(app, "/api/v1/clusters/tag", new { k = 2, cluster = 3, tag = "x" }, HttpStatusCode.BadRequest);
        Assert.Equal("must be from 1 to 2: there are 2 clusters.", noCluster.GetProperty("errors").GetProperty("cluster")[0].GetString());

        var missing = await ProblemAsync(app, "/api/v1/clusters/tag", new { k = 2 }, HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("cluster", out _));
        Assert.Equal("is required.", missing.GetProperty("errors").GetProperty("tag")[0].GetString());
    }

    [Fact]
    public async Task Clustering_NeedsCustomersRead_AndTagging_CustomersWrite()
    {
        await using var app = await StartShopAsync();
        var response = await app.Client.PostAsJsonAsync("/api/v1/keys", new { kind = "secret", name = "reader", scopes = new[] { "customers:read" } });
        using var reader = app.CreateClient((await FlywheelApp.ReadJsonAsync(response)).GetProperty("secret").GetString()!);

        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsJsonAsync("/api/v1/clusters", new { k = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/clusters/tag", new { k = 2, cluster = 1, tag = "t" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/v1/clusters", new { k = 2 })).StatusCode);
    }

    private static async Task<FlywheelApp> StartShopAsync(FakeTimeProvider? clock = null)
    {
        var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock ?? new FakeTimeProvider(Now)));
        for (var i = 0; i < Whales.Length; i++)
        {
            for (var j = 1; j <= 5; j++)
            {
                var orderId = $"{Whales[i]}-{j}";
                await OrderAsync(app, orderId, Whales[i], Now.AddDays(-(10 * j) - i), 1000m + i, "VIP10",
                    [new { sku = "SERUM", category = "beauty", quantity = 1, price = 600m }, new { sku = "MILK", category = "baby", quantity = 1, price = 400m + i }]);
            }
        }
        // w1's first order (50 days ago) was half refunded: 500.00 of the 5,000.00 spent.
        (await app.PostJsonAsync("/api/v1/orders/w1-5/refunds", new { refund_id = "r1", amount = 500m })).EnsureSuccessStatusCode();
        for (var i = 0; i < OneOffs.Length; i++)
        {
            await OrderAsync(app, $"{OneOffs[i]}-1", OneOffs[i], Now.AddDays(-100 - i), 10m + i, null,
                [new { sku = "TEA", category = "food", quantity = 1, price = 10m + i }]);
        }
        await OrderAsync(app, "u1-1", "u1", Now.AddDays(-3), 99m, null, [new { sku = "TEA", category = "food", quantity = 1, price = 99m }], "USD");
        (await app.PostJsonAsync("/api/v1/orders", new
        {
            order_id = "c0-1", customer_id = "c0", status = "cancelled",
            lines = new[] { new { sku = "TEA", quantity = 1, price = 5m } }, total = 5m, placed_at = Iso(Now.AddDays(-2)),
        })).EnsureSuccessStatusCode();
        (await app.PostJsonAsync("/api/v1/customers", new { external_id = "p0" })).EnsureSuccessStatusCode();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Orders make the clustered customers; their profiles, which a tag needs, come from the profile projection.
        foreach (var projection in app.Services.GetServices<EventProjection>())
        {
            await projection.WaitForAppliedAsync(timeout.Token);
        }
        return app;
    }

    private static async Task OrderAsync(
        FlywheelApp app, string orderId, string customer, DateTimeOffset paidAt, decimal total, string? coupon, object[] lines, string currency = "CNY")
    {
        using var response = await app.PostJsonAsync("/api/v1/orders", new
        {
            order_id = orderId, customer_id = customer, status = "paid", currency, coupon, lines, total,
            placed_at = Iso(paidAt.AddMinutes(-1)), paid_at = Iso(paidAt),
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Iso(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    private static async Task<JsonElement> ClusterAsync(FlywheelApp app, object body)
    {
        using var response = await app.PostJsonAsync("/api/v1/clusters", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await FlywheelApp.ReadJsonAsync(response);
    }

    private static async Task<JsonElement> TagAsync(FlywheelApp app, object body)
    {
        using var response = await app.PostJsonAsync("/api/v1/clusters/tag", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await FlywheelApp.ReadJsonAsync(response);
    }

    private static async Task<JsonElement> ProblemAsync(FlywheelApp app, string path, object body, HttpStatusCode status)
    {
        using var response = await app.PostJsonAsync(path, body);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await FlywheelApp.ReadJsonAsync(response);
    }

    private static async Task<string[]> MembersAsync(FlywheelApp app, string tag)
    {
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var id = await db.Tags.Where(t => t.Name == tag).Select(t => t.Id).SingleAsync();
        return [.. (await db.CustomerTags.Where(t => t.TagId == id).Select(t => t.CustomerExternalId).ToListAsync()).Order(StringComparer.Ordinal)];
    }
}
