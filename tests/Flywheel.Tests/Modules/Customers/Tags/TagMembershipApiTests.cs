using System.Net;
using System.Text.Json;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static Flywheel.Tests.Modules.Customers.Tags.TagTestData;

namespace Flywheel.Tests.Modules.Customers.Tags;

/// <summary>Putting tags on customers and taking them off through the API. "Now" starts at 1 Dec 2026 02:00 UTC.</summary>
public sealed class TagMembershipApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TaggingTwice_KeepsTheFirstTime_AndUntaggingTwice_RemovesOnce()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await CreateCustomersAsync(app, "c1", "c2", "c3");
        await CreateTagAsync(app, new { name = "VIP" });

        var first = await FlywheelApp.ReadJsonAsync(await TagAsync(app, "VIP", "c1"));
        clock.Advance(TimeSpan.FromHours(1));
        var second = await FlywheelApp.ReadJsonAsync(await TagAsync(app, "VIP", "c1", "c2", "c2"));
        var third = await FlywheelApp.ReadJsonAsync(await TagAsync(app, "VIP", "c2", " c1 "));

        Assert.Equal((1, 0, 1), Counts(first));
        // c2 is named twice but counted once; c1 was already tagged.
        Assert.Equal((1, 1, 2), Counts(second));
        Assert.Equal((0, 2, 2), Counts(third));
        Assert.Equal([new MemberRow("VIP", "c1", Start, "api"), new MemberRow("VIP", "c2", Start.AddHours(1), "api")], await MembersAsync(app));

        var untag = await FlywheelApp.ReadJsonAsync(await UntagAsync(app, "VIP", "c1", "c3"));
        var again = await FlywheelApp.ReadJsonAsync(await UntagAsync(app, "VIP", "c1", "c3"));

        Assert.Equal((1, 1, 1), (untag.GetProperty("removed").GetInt32(), untag.GetProperty("unchanged").GetInt32(), untag.GetProperty("members").GetInt32()));
        Assert.Equal(0, again.GetProperty("removed").GetInt32());
        Assert.Equal(["c2"], (await MembersAsync(app)).Select(m => m.Customer));
        // Only requests that changed something are audited, each with the customers it changed.
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var audit = await db.AuditLog.Where(a => a.EntityType == "tag" && a.Action != "created").OrderBy(a => a.Id).Select(a => a.Action + " " + a.After).ToListAsync();
        Assert.Equal(["tagged {\"customer_ids\":[\"c1\"]}", "tagged {\"customer_ids\":[\"c2\"]}", "untagged {\"customer_ids\":[\"c1\"]}"], audit);
    }

    [Fact]
    public async Task UnknownCustomerIds_RefuseTheWholeRequest_NamingThem()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1", "c2");
        await CreateTagAsync(app, new { name = "VIP" });
        (await TagAsync(app, "VIP", "c2")).EnsureSuccessStatusCode();
        var before = await MembersAsync(app);

        var add = await TagAsync(app, "VIP", "c1", "ghost", "zombie");
        var remove = await UntagAsync(app, "VIP", "c2", "ghost");

        Assert.Equal("2 ids are not customers of this workspace: 'ghost', 'zombie'; nothing was changed.", await DetailAsync(add, HttpStatusCode.UnprocessableEntity));
        var problem = JsonDocument.Parse(await add.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["ghost", "zombie"], problem.GetProperty("unknown_customer_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("'ghost' is not a customer of this workspace; nothing was changed.", await DetailAsync(remove, HttpStatusCode.UnprocessableEntity));
        Assert.Equal(before, await MembersAsync(app));
    }

    [Fact]
    public async Task BadBodies_AreRefusedField_ByField()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateTagAsync(app, new { name = "VIP" });

        Task<HttpResponseMessage> Post(object body) => SendJsonAsync(app.Client, HttpMethod.Post, "/api/v1/tags/VIP/customers", body);

        Assert.StartsWith("is required", Message(await ErrorsAsync(await Post(new { })), "customer_ids"), StringComparison.Ordinal);
        Assert.Equal("must be an array of strings.", Message(await ErrorsAsync(await Post(new { customer_ids = "c1" })), "customer_ids"));
        Assert.Equal("must name at least one customer.", Message(await ErrorsAsync(await Post(new { customer_ids = Array.Empty<string>() })), "customer_ids"));
        Assert.Equal("is required.", Message(await ErrorsAsync(await Post(new { customer_ids = new[] { "c1", " " } })), "customer_ids[1]"));
        var tooMany = Enumerable.Range(0, 10_001).Select(i => $"c{i}").ToArray();
        Assert.StartsWith("has 10001 ids; at most 10000", Message(await ErrorsAsync(await Post(new { customer_ids = tooMany })), "customer_ids"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await TagAsync(app, "Nope", "c1")).StatusCode);
        Assert.Empty(await MembersAsync(app));
    }

    [Fact]
    public async Task RuleTags_RefuseTaggingByHand_AndByFile()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1");
        await CreateTagAsync(app, new { name = "Loyal", kind = "rule", condition = "orders_count >= 5" });

        var add = await TagAsync(app, "Loyal", "c1");
        var remove = await UntagAsync(app, "Loyal", "c1");
        var import = await ImportAsync(app, "Loyal", "customer_id\nc1\n");

        const string Refusal = "'Loyal' is a rule tag: the customers its condition selects carry it, and no one else. Change the condition instead, or use a manual tag.";
        Assert.Equal(Refusal, await DetailAsync(add, HttpStatusCode.Conflict));
        Assert.Equal(Refusal, await DetailAsync(remove, HttpStatusCode.Conflict));
        Assert.Equal(Refusal, await DetailAsync(import, HttpStatusCode.Conflict));
        Assert.Empty(await MembersAsync(app));
    }

    [Fact]
    public async Task Members_ComeInPagesByCustomerId_AndACustomersTagsByName()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c5", "c3", "c1", "c4", "c2");
        await CreateTagAsync(app, new { name = "VIP" });
        await CreateTagAsync(app, new { name = "Imported", kind = "imported" });
        (await TagAsync(app, "VIP", "c5", "c3", "c1", "c4", "c2")).EnsureSuccessStatusCode();
        (await TagAsync(app, "Imported", "c3")).EnsureSuccessStatusCode();

        var pages = new List<List<string>>();
        string? cursor = null;
        do
        {
            var page = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/tags/VIP/customers?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}"));
            pages.Add([.. page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("customer_id").GetString()!)]);
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal([["c1", "c2"], ["c3", "c4"], ["c5"]], pages);
        var tags = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/customers/c3/tags"));
        Assert.Equal([("Imported", "imported"), ("VIP", "manual")],
            tags.EnumerateArray().Select(t => (t.GetProperty("name").GetString(), t.GetProperty("kind").GetString())));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/customers/ghost/tags")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/tags/Nope/customers")).StatusCode);
    }

    [Fact]
    public async Task DeletingACustomer_TakesTheirTagsOff()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1", "c2");
        await CreateTagAsync(app, new { name = "VIP" });
        (await TagAsync(app, "VIP", "c1", "c2")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync("/api/v1/customers/c1")).StatusCode);

        Assert.Equal(["c2"], (await MembersAsync(app)).Select(m => m.Customer));
        Assert.Equal(1, (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/tags/VIP"))).GetProperty("members").GetInt32());
    }

    private static (int Added, int Unchanged, int Members) Counts(JsonElement changed) =>
        (changed.GetProperty("added").GetInt32(), changed.GetProperty("unchanged").GetInt32(), changed.GetProperty("members").GetInt32());
}
