using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Flywheel.Tests.Support;
using Microsoft.Playwright;

namespace Flywheel.Tests.Browser;

/// <summary>
/// /sdk/flywheel.js in a real Chromium: pages of the demo storefront (or a minimal page on another origin) send
/// events to a real Flywheel, and the events are read back through the API.
/// </summary>
public sealed class TrackingScriptBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PageView_OnLandingWithUtm_CarriesUrlAndUtm_AndLaterPagesOfTheVisitKeepTheUtm()
    {
        await using var browser = await chromium.NewPageAsync();
        await using var app = await StartShopAsync();
        var page = browser.Page;
        var landing = new Uri(app.BaseAddress, "/shop?utm_source=newsletter&utm_medium=email&utm_campaign=double11&utm_content=hero&utm_term=cream").ToString();

        await page.GotoAsync(landing);
        await page.ClickAsync("a.product");
        await page.WaitForURLAsync("**/shop/p/SKU-CREAM");
        await SignInAsync(page, "c-utm");

        var events = await TimelineAsync(app, "c-utm", es => es.Count(e => Type(e) == "page_view") == 2 && es.Any(e => Type(e) == "identify"));
        var views = events.Where(e => Type(e) == "page_view").OrderBy(e => e.GetProperty("timestamp").GetDateTime()).ToList();
        var first = views[0];
        Assert.Equal(landing, Context(first, "url"));
        Assert.Equal(landing, first.GetProperty("properties").GetProperty("url").GetString());
        Assert.Equal("/shop", first.GetProperty("properties").GetProperty("path").GetString());
        // The storefront titles pages "<page> · <workspace> shop"; the bootstrap workspace is "Default".
        Assert.Equal("Products · Default shop", first.GetProperty("properties").GetProperty("title").GetString());
        var second = views[1];
        Assert.Equal(new Uri(app.BaseAddress, "/shop/p/SKU-CREAM").ToString(), Context(second, "url"));
        Assert.Equal("/shop/p/SKU-CREAM", second.GetProperty("properties").GetProperty("path").GetString());
        Assert.Equal("Face cream · Default shop", second.GetProperty("properties").GetProperty("title").GetString());
        Assert.Equal(landing, second.GetProperty("properties").GetProperty("referrer").GetString());
        foreach (var view in views)
        {
            // The second page's URL has no UTM parameters: they come from the visit.
            Assert.Equal("newsletter", Context(view, "utm_source"));
            Assert.Equal("email", Context(view, "utm_medium"));
            Assert.Equal("double11", Context(view, "utm_campaign"));
            Assert.Equal("hero", Context(view, "utm_content"));
            Assert.Equal("cream", Context(view, "utm_term"));
            Assert.Equal("web", Context(view, "channel"));
            Assert.Equal("desktop", Context(view, "device"));
            Assert.Equal(await page.EvaluateAsync<string>("navigator.userAgent"), Context(view, "user_agent"));
        }
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task AddToCartButtonAndTrack_SendTheirEvents_WithTheVisitorsIds()
    {
        await using var browser = await chromium.NewPageAsync();
        await using var app = await StartShopAsync();
        var page = browser.Page;

        await page.GotoAsync(new Uri(app.BaseAddress, "/shop/p/SKU-CREAM").ToString());
        await SignInAsync(page, "c-cart");
        await page.ClickAsync("button[data-add-to-cart]");
        await page.EvaluateAsync("flywheel.track('wishlist_added', { sku: 'SKU-CREAM', note: 'gift' })");

        // The product view came before sign-in: it joins the timeline once the identify has linked the visitor.
        var events = await TimelineAsync(app, "c-cart", es =>
            es.Any(e => Type(e) == "add_to_cart") && es.Any(e => Type(e) == "wishlist_added") && es.Any(e => Type(e) == "product_view"));
        var anonymousId = (await browser.Context.CookiesAsync()).Single(c => c.Name == "fw_aid").Value;
        var cart = events.Single(e => Type(e) == "add_to_cart");
        Assert.Equal("c-cart", cart.GetProperty("customer_id").GetString());
        Assert.Equal(anonymousId, cart.GetProperty("anonymous_id").GetString());
        var p = cart.GetProperty("properties");
        // The product as seeded below: price 129.90, category path "beauty > skincare".
        Assert.Equal("SKU-CREAM", p.GetProperty("sku").GetString());
        Assert.Equal("Face cream", p.GetProperty("name").GetString());
        Assert.Equal("beauty/skincare", p.GetProperty("category").GetString());
        Assert.Equal("Acme", p.GetProperty("brand").GetString());
        Assert.Equal(129.90m, p.GetProperty("price").GetDecimal());
        Assert.Equal(1, p.GetProperty("quantity").GetInt32());
        var custom = events.Single(e => Type(e) == "wishlist_added");
        Assert.Equal("gift", custom.GetProperty("properties").GetProperty("note").GetString());
        Assert.Equal("c-cart", custom.GetProperty("customer_id").GetString());
        Assert.Equal(anonymousId, custom.GetProperty("anonymous_id").GetString());
        Assert.Single(events, e => Type(e) == "product_view");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task Identify_AfterAnonymousBrowsing_PutsTheAnonymousEventsOnTheCustomersTimeline()
    {
        await using var browser = await chromium.NewPageAsync();
        await using var app = await StartShopAsync();
        var page = browser.Page;

        // Two anonymous pages, each acknowledged by the server before the visitor signs in.
        await page.RunAndWaitForResponseAsync(() => page.GotoAsync(new Uri(app.BaseAddress, "/shop").ToString()), IsBatchOk);
        await page.RunAndWaitForResponseAsync(() => page.GotoAsync(new Uri(app.BaseAddress, "/shop/p/SKU-CREAM").ToString()), IsBatchOk);
        await WaitForEmptyQueueAsync(page);
        var before = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/customers/c-merge/events"));
        Assert.Equal(0, before.GetProperty("items").GetArrayLength());

        await SignInAsync(page, "c-merge");

        var events = await TimelineAsync(app, "c-merge", es => es.Count(e => Type(e) == "page_view") == 2 && es.Any(e => Type(e) == "identify"));
        var cookie = (await browser.Context.CookiesAsync()).Single(c => c.Name == "fw_aid");
        var anonymous = events.Where(e => Type(e) != "identify" && Type(e) != "sign_in").ToList();
        Assert.Equal(["page_view", "page_view", "product_view"], anonymous.Select(Type).Order(StringComparer.Ordinal));
        Assert.All(anonymous, e =>
        {
            Assert.Equal(JsonValueKind.Null, e.GetProperty("customer_id").ValueKind);
            Assert.Equal(cookie.Value, e.GetProperty("anonymous_id").GetString());
        });
        var identify = events.Single(e => Type(e) == "identify");
        Assert.Equal(cookie.Value, identify.GetProperty("anonymous_id").GetString());
        Assert.Equal("c-merge@example.com", identify.GetProperty("properties").GetProperty("email").GetString());
        // A long-lived first-party cookie: two years (more than one, whatever the test's own timing).
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        Assert.True(DateTimeOffset.FromUnixTimeSeconds((long)cookie.Expires) > DateTimeOffset.UtcNow.AddDays(365));
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task EventsQueuedWhileTheServerRefused_AreDeliveredOnceByTheNextPage()
    {
        await using var browser = await chromium.NewPageAsync();
        await using var app = await StartShopAsync();
        var page = browser.Page;
        var refusing = RefusingPort();
        await using var site = await TestPages.StartAsync(app, ("offline", $"http://127.0.0.1:{refusing}"), ("online", null));

        var failed = RefusedRequests(page, refusing, 1);
        await page.GotoAsync(site.UrlOf("offline"));
        await page.EvaluateAsync("flywheel.identify('c-offline'); flywheel.track('offline_probe', { n: 1 })");
        await failed.WaitAsync(Deadline);
        var queued = await page.EvaluateAsync<string[]>("JSON.parse(localStorage.getItem('fw_queue')).map(e => e.event_id)");
        Assert.Equal(3, queued.Length); // page_view, identify, offline_probe

        await page.GotoAsync(site.UrlOf("online"));

        var events = await TimelineAsync(app, "c-offline", es => es.Any(e => Type(e) == "offline_probe") && es.Count(e => Type(e) == "page_view") == 2);
        await WaitForEmptyQueueAsync(page);
        events = await TimelineAsync(app, "c-offline", _ => true);
        var ids = events.Select(e => e.GetProperty("event_id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(queued, id => Assert.Single(ids, id));
        Assert.Equal(["identify", "offline_probe", "page_view", "page_view"], events.Select(Type).Order(StringComparer.Ordinal));
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task BatchWhoseAnswerWasLost_IsSentAgainWithTheSameIds_AndStoredOnce()
    {
        await using var browser = await chromium.NewPageAsync();
        await using var app = await StartShopAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(app.BaseAddress, "/shop").ToString());
        await SignInAsync(page, "c-lost");
        await WaitForEmptyQueueAsync(page);

        // First attempt: connection refused. Second: reaches the server, which stores the batch, but the page sees a
        // 503 with Retry-After. Third: passes.
        var attempts = new List<string[]>();
        JsonElement? lastAnswer = null;
        await page.RouteAsync("**/api/v1/events/batch", async route =>
        {
            using var body = JsonDocument.Parse(route.Request.PostData!);
            int attempt;
            lock (attempts)
            {
                attempts.Add([.. body.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event_id").GetString()!)]);
                attempt = attempts.Count;
            }
            if (attempt == 1)
            {
                await route.AbortAsync("connectionrefused");
                return;
            }
            var response = await route.FetchAsync();
            if (attempt == 2)
            {
                await route.FulfillAsync(new() { Status = 503, Headers = new Dictionary<string, string> { ["Retry-After"] = "1" }, Body = "" });
                return;
            }
            lastAnswer = JsonDocument.Parse(await response.TextAsync()).RootElement.Clone();
            await route.FulfillAsync(new() { Response = response });
        });

        await page.EvaluateAsync("flywheel.track('lost_answer_probe', { n: 1 })");
        await WaitForEmptyQueueAsync(page);

        string[][] sent;
        lock (attempts)
        {
            sent = [.. attempts];
        }
        Assert.Equal(3, sent.Length);
        Assert.Single(sent[0]);
        Assert.Equal(sent[0], sent[1]);
        Assert.Equal(sent[0], sent[2]);
        Assert.Equal(0, lastAnswer!.Value.GetProperty("stored").GetInt32());
        Assert.Equal(1, lastAnswer.Value.GetProperty("duplicates").GetInt32());
        var events = await TimelineAsync(app, "c-lost", es => es.Any(e => Type(e) == "lost_answer_probe"));
        var probe = Assert.Single(events, e => Type(e) == "lost_answer_probe");
        Assert.Equal(sent[0][0], probe.GetProperty("event_id").GetString());
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task ServerDown_TheScriptRaisesNoErrorsAndKeepsTheEvents()
    {
        await using var browser = await chromium.NewPageAsync();
        await using var app = await StartShopAsync();
        var page = browser.Page;
        var refusing = RefusingPort();
        await using var site = await TestPages.StartAsync(app, ("down", $"http://127.0.0.1:{refusing}"));
        var retried = RefusedRequests(page, refusing, 2);

        await page.GotoAsync(site.UrlOf("down"));
        var result = await page.EvaluateAsync<string>("""
            () => {
              flywheel.track('down_probe', { a: 1 });
              flywheel.identify('c-down', { email: 'down@example.com' });
              flywheel.track();
              flywheel.track(42);
              const cyclic = {}; cyclic.self = cyclic;
              flywheel.track('cyclic', cyclic);
              flywheel.page();
              flywheel.flush();
              return 'returned';
            }
            """);
        await retried.WaitAsync(Deadline);

        Assert.Equal("returned", result);
        // page_view, down_probe, identify, page_view; the calls without a usable type or properties are dropped.
        var queued = await page.EvaluateAsync<string[]>("JSON.parse(localStorage.getItem('fw_queue')).map(e => e.type)");
        Assert.Equal(["page_view", "down_probe", "identify", "page_view"], queued);
        Assert.Empty(browser.Errors);
    }

    private static async Task<FlywheelApp> StartShopAsync()
    {
        var app = await FlywheelApp.StartAsync(new Dictionary<string, string?> { ["Flywheel:Demo"] = "true" });
        var created = await app.PostJsonAsync("/api/v1/products", new
        {
            sku = "SKU-CREAM",
            name = "Face cream",
            category_path = "beauty > skincare",
            brand = "Acme",
            price = 129.90m,
            stock = 5,
        });
        created.EnsureSuccessStatusCode();
        return app;
    }

    private static async Task SignInAsync(IPage page, string customerId)
    {
        await page.FillAsync("#sign-in input[name=customer]", customerId);
        await page.FillAsync("#sign-in input[name=email]", customerId + "@example.com");
        await page.ClickAsync("#sign-in button");
        await page.WaitForSelectorAsync($"#who:has-text('Signed in as {customerId}')");
    }

    private static bool IsBatchOk(IResponse response) =>
        response.Url.EndsWith("/api/v1/events/batch", StringComparison.Ordinal) && response.Status == 200;

    /// <summary>Waits until the script has no unacknowledged events left.</summary>
    private static async Task WaitForEmptyQueueAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => localStorage.getItem('fw_queue') === null", null, new() { Timeout = (float)Deadline.TotalMilliseconds });

    /// <summary>Completes once <paramref name="count"/> requests to the refusing port have failed.</summary>
    private static Task RefusedRequests(IPage page, int port, int count)
    {
        var failures = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.RequestFailed += (_, r) =>
        {
            if (r.Url.Contains($":{port}/", StringComparison.Ordinal) && Interlocked.Increment(ref failures) == count)
            {
                done.TrySetResult();
            }
        };
        return done.Task;
    }

    /// <summary>A loopback port nothing listens on: connections to it are refused.</summary>
    private static int RefusingPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Reads the customer's timeline until <paramref name="done"/> holds; fails at the deadline.</summary>
    private static async Task<List<JsonElement>> TimelineAsync(FlywheelApp app, string customerId, Func<List<JsonElement>, bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var timeline = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/customers/{customerId}/events?limit=100"));
            List<JsonElement> events = [.. timeline.GetProperty("items").EnumerateArray()];
            if (done(events))
            {
                return events;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The timeline of {customerId} did not reach the expected state in {Deadline.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; it has: "
                    + string.Join(", ", events.Select(Type)));
            }
            await Task.Delay(100);
        }
    }

    private static string? Type(JsonElement e) => e.GetProperty("type").GetString();

    private static string? Context(JsonElement e, string field) => e.GetProperty("context").GetProperty(field).GetString();
}
