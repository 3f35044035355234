using System.Net;
using System.Text.Json;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Modules.Analytics;

/// <summary>
/// The funnel's options through the API, on both event stores (this file also runs in the production test project):
/// step filters, per-step windows, hold-constant, breakdowns, strict and any with skipped and repeated steps, windows
/// still open, anonymous browsing merged into the customer, a UTC+8 day boundary, and saving the dropped as a segment.
/// Every figure is counted by hand in the comments.
/// </summary>
public sealed class FunnelOptionsTests
{
    private const string Funnels = "/api/v1/analytics/funnels";
    private static readonly DateTimeOffset Now = new(2026, 11, 17, 4, 0, 0, TimeSpan.Zero);

    private static object E(string id, string type, string? customer, string at, object? properties = null, string? anonymous = null, object? context = null) =>
        new { event_id = id, type, customer_id = customer, anonymous_id = anonymous, timestamp = at, properties = properties ?? new { }, context = context ?? new { } };

    /// <summary>
    /// c1 (utm google, mobile) views sku A (baby), then sku B, carts B 10 min later and pays 150 for B two hours after the view.
    /// c2 (utm xhs) views sku A (toys), carts A two days later and pays 50 for A an hour after that.
    /// c3 (utm google) views sku C (baby), carts C an hour later and pays 200 for C an hour after that.
    /// </summary>
    private static async Task<FlywheelApp> ShopAsync()
    {
        var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        await Ok(app.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                E("1", "product_view", "c1", "2026-11-02T10:00:00Z", new { sku = "A", category = "baby" }, context: new { utm_source = "google", device = "mobile" }),
                E("2", "product_view", "c1", "2026-11-02T10:05:00Z", new { sku = "B", category = "toys" }),
                E("3", "add_to_cart", "c1", "2026-11-02T10:10:00Z", new { sku = "B" }),
                E("4", "order_paid", "c1", "2026-11-02T12:00:00Z", new { order_id = "o1", amount = 150.00m, sku = "B" }),
                E("5", "product_view", "c2", "2026-11-03T10:00:00Z", new { sku = "A", category = "toys" }, context: new { utm_source = "xhs" }),
                E("6", "add_to_cart", "c2", "2026-11-05T10:00:00Z", new { sku = "A" }),
                E("7", "order_paid", "c2", "2026-11-05T11:00:00Z", new { order_id = "o2", amount = 50.00m, sku = "A" }),
                E("8", "product_view", "c3", "2026-11-04T10:00:00Z", new { sku = "C", category = "baby" }, context: new { utm_source = "google" }),
                E("9", "add_to_cart", "c3", "2026-11-04T11:00:00Z", new { sku = "C" }),
                E("10", "order_paid", "c3", "2026-11-04T12:00:00Z", new { order_id = "o3", amount = 200.00m, sku = "C" }),
            },
        }));
        await WaitAsync(app);
        return app;
    }

    [Fact]
    public async Task StepFiltersAndStepWindows_CountOnlyTheMatchingEventsInTime()
    {
        await using var app = await ShopAsync();
        // Cart within 1 day of entry, payment of at least 100: c2's cart comes two days after the view (dropped there);
        // c1 and c3 pay 150 and 200.
        var steps = await StepsAsync(app, new
        {
            steps = new object[] { "product_view", new { type = "add_to_cart", window_days = 1 }, new { type = "order_paid", where = "amount >= 100" } },
            from = "2026-11-01", to = "2026-11-10",
        });
        Assert.Equal([3, 2, 2], Column(steps, "reached"));
        Assert.Equal([0, 1, 0], Column(steps, "dropped"));
        Assert.Equal(1, steps[1].GetProperty("window_days").GetInt32());
        Assert.Equal("amount >= 100", steps[2].GetProperty("where").GetString());

        // Entry only on baby products: c1 (first view baby) and c3.
        steps = await StepsAsync(app, new
        {
            steps = new object[] { new { type = "product_view", where = "category = 'baby'" }, "add_to_cart", "order_paid" },
            from = "2026-11-01", to = "2026-11-10",
        });
        Assert.Equal([2, 2, 2], Column(steps, "reached"));
        // Cart: c1 10 min, c3 60 min → median 35 min.
        Assert.Equal(2100, steps[1].GetProperty("median_seconds_from_previous").GetDouble());
    }

    [Fact]
    public async Task HoldConstant_FollowsTheEntryEventsValue()
    {
        await using var app = await ShopAsync();
        // The same sku from view to payment: c1 entered on A and carted B (stops at 1); c2 A all along; c3 C all along.
        var steps = await StepsAsync(app, new
        {
            steps = new[] { "product_view", "add_to_cart", "order_paid" }, from = "2026-11-01", to = "2026-11-10", hold_constant = "sku",
        });
        Assert.Equal([3, 2, 2], Column(steps, "reached"));
        Assert.Equal([0, 1, 0], Column(steps, "dropped"));
    }

    [Fact]
    public async Task Breakdowns_ByContextAndByEntryProperty_GroupTheVisitors()
    {
        await using var app = await ShopAsync();
        using var response = await app.PostJsonAsync(Funnels, new
        {
            steps = new[] { "product_view", "add_to_cart", "order_paid" }, from = "2026-11-01", to = "2026-11-10", breakdown = new { context = "utm_source" },
        });
        var body = await FlywheelApp.ReadJsonAsync(response);
        var groups = body.GetProperty("breakdown").GetProperty("groups").EnumerateArray().ToList();
        // google: c1, c3 (both pay); xhs: c2 (pays too, within 7 days). Largest group first.
        Assert.Equal(["google", "xhs"], groups.Select(g => g.GetProperty("value").GetString()));
        Assert.Equal([2, 2, 2], Column(groups[0].GetProperty("steps").EnumerateArray().ToList(), "reached"));
        Assert.Equal([1, 1, 1], Column(groups[1].GetProperty("steps").EnumerateArray().ToList(), "reached"));
        Assert.Equal([3, 3, 3], Column(body.GetProperty("steps").EnumerateArray().ToList(), "reached"));

        using var byDevice = await app.PostJsonAsync(Funnels, new
        {
            steps = new[] { "product_view", "add_to_cart" }, from = "2026-11-01", to = "2026-11-10", breakdown = new { context = "device" },
        });
        var devices = (await FlywheelApp.ReadJsonAsync(byDevice)).GetProperty("breakdown").GetProperty("groups").EnumerateArray().ToList();
        // Only c1's entry names a device: the others have none (null), and they are the larger group.
        Assert.Equal([null, "mobile"], devices.Select(g => g.GetProperty("value").GetString()));

        using var byCategory = await app.PostJsonAsync(Funnels, new
        {
            steps = new[] { "product_view", "order_paid" }, from = "2026-11-01", to = "2026-11-10", breakdown = new { property = "category" },
        });
        var categories = (await FlywheelApp.ReadJsonAsync(byCategory)).GetProperty("breakdown").GetProperty("groups").EnumerateArray().ToList();
        // The entry event's category: c1 baby (its first view), c3 baby, c2 toys.
        Assert.Equal(["baby", "toys"], categories.Select(g => g.GetProperty("value").GetString()));
        Assert.Equal([2, 2], Column(categories[0].GetProperty("steps").EnumerateArray().ToList(), "reached"));
    }

    [Fact]
    public async Task StrictAndAny_WithSkippedAndRepeatedSteps_AndWindowsStillOpen()
    {
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        await Ok(app.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                // s1: view, view again (a repeat), cart, pay: through in every mode.
                E("1", "product_view", "s1", "2026-11-02T10:00:00Z"), E("2", "product_view", "s1", "2026-11-02T10:01:00Z"),
                E("3", "add_to_cart", "s1", "2026-11-02T10:02:00Z"), E("4", "order_paid", "s1", "2026-11-02T10:03:00Z", new { order_id = "o1", amount = 1m }),
                // s2: view, pay, cart (pays before carting): ordered reaches the cart and finds no payment after it;
                // strict stops at once (the payment, another step, comes between view and cart); any reaches all three.
                E("5", "product_view", "s2", "2026-11-03T10:00:00Z"), E("6", "order_paid", "s2", "2026-11-03T10:01:00Z", new { order_id = "o2", amount = 1m }),
                E("7", "add_to_cart", "s2", "2026-11-03T10:02:00Z"),
                // s3: view, cart, view (another step between cart and payment), pay: strict stops at the cart.
                E("8", "product_view", "s3", "2026-11-04T10:00:00Z"), E("9", "add_to_cart", "s3", "2026-11-04T10:01:00Z"),
                E("10", "product_view", "s3", "2026-11-04T10:02:00Z"), E("11", "order_paid", "s3", "2026-11-04T10:03:00Z", new { order_id = "o3", amount = 1m }),
                // s4: view on 14 Nov, cart: its 7-day window is open on 17 Nov: waiting at the payment, not dropped.
                E("12", "product_view", "s4", "2026-11-14T10:00:00Z"), E("13", "add_to_cart", "s4", "2026-11-14T10:01:00Z"),
            },
        }));
        await WaitAsync(app);
        var request = new Dictionary<string, object> { ["steps"] = new[] { "product_view", "add_to_cart", "order_paid" }, ["from"] = "2026-11-01", ["to"] = "2026-11-15" };

        var ordered = await StepsAsync(app, request);
        Assert.Equal([4, 4, 2], Column(ordered, "reached"));     // s1, s3 pay after the cart; s2 paid before it
        Assert.Equal([0, 0, 1], Column(ordered, "dropped"));     // s2
        Assert.Equal([0, 0, 1], Column(ordered, "waiting"));     // s4
        Assert.Equal(0.6667, ordered[2].GetProperty("conversion").GetDouble());

        request["order"] = "strict";
        var strict = await StepsAsync(app, request);
        Assert.Equal([4, 3, 1], Column(strict, "reached"));      // s2 stops at the view; s3 views again between cart and payment
        Assert.Equal([0, 1, 1], Column(strict, "dropped"));
        Assert.Equal([0, 0, 1], Column(strict, "waiting"));

        request["order"] = "any";
        var any = await StepsAsync(app, request);
        Assert.Equal([4, 4, 3], Column(any, "reached"));         // s2 paid before carting: in any order it counts
        Assert.Equal([0, 0, 0], Column(any, "dropped"));
        Assert.Equal([0, 0, 1], Column(any, "waiting"));
        // A step's time in any order is the latest so far: s1 pays 60 s after its cart, s2 0 s (it paid before carting),
        // s3 120 s → median 60.
        Assert.Equal(60, any[2].GetProperty("median_seconds_from_previous").GetDouble());
    }

    [Fact]
    public async Task AnonymousBrowsing_MergesIntoTheCustomer_AndLocalDaysFollowTheWorkspaceZone()
    {
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        using (var zone = await app.Client.PatchAsJsonAsync("/api/v1/workspace", new { time_zone = "Asia/Shanghai" }))
        {
            Assert.True(zone.IsSuccessStatusCode);
        }
        await Ok(app.PostJsonAsync("/api/v1/events/batch", new
        {
            events = new object[]
            {
                // 1 Nov 23:30 UTC is 2 Nov 07:30 in Shanghai: inside a 2 Nov – 3 Nov range. The visitor is anonymous,
                // then identifies as k1 (after the range) and pays as k1: one visitor, through.
                E("1", "product_view", null, "2026-11-01T23:30:00Z", anonymous: "anon-1"),
                E("2", "identify", "k1", "2026-11-04T01:00:00Z", anonymous: "anon-1"),
                E("3", "order_paid", "k1", "2026-11-04T02:00:00Z", new { order_id = "o1", amount = 9m }),
                // 1 Nov 15:59 UTC is 1 Nov 23:59 in Shanghai: before the range, enters no one.
                E("4", "product_view", "k2", "2026-11-01T15:59:00Z"),
                // 3 Nov 16:00 UTC is 4 Nov 00:00 in Shanghai: after the range.
                E("5", "product_view", "k3", "2026-11-03T16:00:00Z"),
                // An anonymous visitor who never identifies.
                E("6", "product_view", null, "2026-11-02T02:00:00Z", anonymous: "anon-2"),
            },
        }));
        await WaitAsync(app);
        var steps = await StepsAsync(app, new { steps = new[] { "product_view", "order_paid" }, from = "2026-11-02", to = "2026-11-03" });
        Assert.Equal([2, 1], Column(steps, "reached"));
        Assert.Equal([0, 1], Column(steps, "dropped"));
        Assert.Equal(2 * 86400 + 2.5 * 3600, steps[1].GetProperty("median_seconds_from_previous").GetDouble());

        // Saving the dropped at step 2: anon-2 dropped there, and anonymous visitors cannot be members.
        using var saved = await app.PostJsonAsync($"{Funnels}/dropped", new
        {
            steps = new[] { "product_view", "order_paid" }, from = "2026-11-02", to = "2026-11-03", step = 2, segment_key = "viewed-not-paid",
        });
        var view = await FlywheelApp.ReadJsonAsync(saved);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(0, view.GetProperty("customers").GetInt32());
        Assert.Equal(1, view.GetProperty("anonymous_left_out").GetInt32());
    }

    [Fact]
    public async Task DroppedVisitors_BecomeASegment_AndSegmentsBreakTheFunnelDown()
    {
        await using var app = await ShopAsync();
        var body = new { steps = new object[] { "product_view", new { type = "add_to_cart", window_days = 1 } }, from = "2026-11-01", to = "2026-11-10" };
        using var saved = await app.PostJsonAsync($"{Funnels}/dropped", new
        {
            body.steps, body.from, body.to, step = 2, segment_key = "slow-carts", segment_name = "Slow carts",
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var view = await FlywheelApp.ReadJsonAsync(saved);
        // c2 carted two days after the view: the only one dropped at the cart.
        Assert.Equal(1, view.GetProperty("customers").GetInt32());
        Assert.Equal(0, view.GetProperty("anonymous_left_out").GetInt32());
        using var members = await app.Client.GetAsync("/api/v1/segments/slow-carts");
        Assert.Equal(1, (await FlywheelApp.ReadJsonAsync(members)).GetProperty("member_count").GetInt32());

        using var again = await app.PostJsonAsync($"{Funnels}/dropped", new { body.steps, body.from, body.to, step = 2, segment_key = "slow-carts" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        using var response = await app.PostJsonAsync(Funnels, new { body.steps, body.from, body.to, breakdown = new { segments = new[] { "slow-carts" } } });
        var groups = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("breakdown").GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal("slow-carts", groups.Single().GetProperty("value").GetString());
        Assert.Equal([1, 0], Column(groups[0].GetProperty("steps").EnumerateArray().ToList(), "reached"));
    }

    [Theory]
    [InlineData("""{"steps":["product_view",{"type":"order_paid","where":"amount >= "}]}""", "steps[1].where")]
    [InlineData("""{"steps":["product_view",{"type":"order_paid","where":"amount >= 1.00000000001"}]}""", "steps[1].where")]
    [InlineData("""{"steps":["product_view",{"type":"order_paid","window_days":0}]}""", "steps[1].window_days")]
    [InlineData("""{"steps":["product_view",{"type":"order_paid","window_days":91}]}""", "steps[1].window_days")]
    [InlineData("""{"steps":[{"type":"product_view","window_days":3},"order_paid"]}""", "steps[0].window_days")]
    [InlineData("""{"steps":["product_view",{"where":"amount > 1"}]}""", "steps[1].type")]
    [InlineData("""{"steps":["product_view",{"type":"order_paid","colour":"red"}]}""", "steps[1].colour")]
    [InlineData("""{"steps":["product_view",7]}""", "steps[1]")]
    [InlineData("""{"steps":["product_view","order_paid"],"hold_constant":""}""", "hold_constant")]
    [InlineData("""{"steps":["product_view","order_paid"],"hold_constant":true}""", "hold_constant")]
    [InlineData("""{"steps":["product_view","order_paid"],"breakdown":{"context":"planet"}}""", "breakdown.context")]
    [InlineData("""{"steps":["product_view","order_paid"],"breakdown":{"context":"device","property":"sku"}}""", "breakdown")]
    [InlineData("""{"steps":["product_view","order_paid"],"breakdown":{}}""", "breakdown")]
    [InlineData("""{"steps":["product_view","order_paid"],"breakdown":{"segments":[]}}""", "breakdown.segments")]
    [InlineData("""{"steps":["product_view","order_paid"],"breakdown":{"segments":["nope"]}}""", "breakdown.segments[0]")]
    [InlineData("""{"steps":["product_view","order_paid"],"breakdown":"device"}""", "breakdown")]
    [InlineData("""{"steps":["product_view","order_paid"],"colour":"red"}""", "colour")]
    public async Task BadOptions_AreRefusedNamingTheField(string body, string field)
    {
        await using var app = await FlywheelApp.StartAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await app.Client.PostAsync(Funnels, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
    }

    [Theory]
    [InlineData("""{"steps":["product_view","order_paid"],"segment_key":"x"}""", "step")]
    [InlineData("""{"steps":["product_view","order_paid"],"step":1,"segment_key":"x"}""", "step")]
    [InlineData("""{"steps":["product_view","order_paid"],"step":3,"segment_key":"x"}""", "step")]
    [InlineData("""{"steps":["product_view","order_paid"],"step":2}""", "segment_key")]
    [InlineData("""{"steps":["product_view","order_paid"],"step":2,"segment_key":"Not A Key"}""", "segment_key")]
    public async Task BadSaves_AreRefusedNamingTheField_AndCreateNothing(string body, string field)
    {
        await using var app = await FlywheelApp.StartAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await app.Client.PostAsync($"{Funnels}/dropped", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
        using var segments = await app.Client.GetAsync("/api/v1/segments");
        Assert.DoesNotContain("\"key\"", await segments.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> StepsAsync(FlywheelApp app, object body)
    {
        using var response = await app.PostJsonAsync(Funnels, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("steps").EnumerateArray().Select(e => e.Clone())];
    }

    private static int[] Column(List<JsonElement> steps, string name) => [.. steps.Select(s => s.GetProperty(name).GetInt32())];

    private static async Task WaitAsync(FlywheelApp app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.Services.GetRequiredService<ProfileProjection>().WaitForAppliedAsync(timeout.Token);
    }

    private static async Task Ok(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
