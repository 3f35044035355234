using System.Net;
using System.Text.Json;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Flywheel.Tests.Modules.Customers.Tags.TagTestData;

namespace Flywheel.Tests.Modules.Customers.Tags;

/// <summary>The catalogue through the API: create, read, list, change and delete tags, and every refusal changing nothing.</summary>
public sealed class TagCatalogueTests
{
    [Fact]
    public async Task Create_List_Rename_Delete_KeepsMembersUntilDeleted_AndAuditsEachChange()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1", "c2");

        var created = await app.PostJsonAsync("/api/v1/tags", new { name = "  VIP ", description = "Spends over 10,000 a year", owner = "CRM team" });
        await CreateTagAsync(app, new { name = "Dormant buyers", kind = "rule", condition = "  lifecycle = 'dormant'   AND orders_count >= 2 " });
        await CreateTagAsync(app, new { name = "Cluster 1", kind = "imported" });
        (await TagAsync(app, "VIP", "c1", "c2")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/tags/VIP", created.Headers.Location?.OriginalString);
        var vip = await FlywheelApp.ReadJsonAsync(created);
        Assert.Equal("VIP", vip.GetProperty("name").GetString());
        Assert.Equal("manual", vip.GetProperty("kind").GetString());
        Assert.Equal("CRM team", vip.GetProperty("owner").GetString());
        // Canonical text (docs/segments.md): keywords in lower case, single spaces, no outer blanks.
        var rule = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/tags/Dormant%20buyers"));
        Assert.Equal("lifecycle = 'dormant' and orders_count >= 2", rule.GetProperty("condition").GetString());
        Assert.Equal("rule", rule.GetProperty("kind").GetString());
        var list = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/tags"));
        Assert.Equal(
            [("Cluster 1", "imported", 0), ("Dormant buyers", "rule", 0), ("VIP", "manual", 2)],
            list.GetProperty("items").EnumerateArray().Select(t => (t.GetProperty("name").GetString(), t.GetProperty("kind").GetString(), t.GetProperty("members").GetInt32())));
        var rules = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/tags?kind=rule"));
        Assert.Equal(["Dormant buyers"], rules.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));

        var renamed = await SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/VIP", new { name = "VIP 会员", description = (string?)null });

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var after = await FlywheelApp.ReadJsonAsync(renamed);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("description").ValueKind);
        Assert.Equal("CRM team", after.GetProperty("owner").GetString());
        Assert.Equal(2, after.GetProperty("members").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/tags/VIP")).StatusCode);
        Assert.Equal(["c1", "c2"], (await MembersAsync(app)).Where(m => m.Tag == "VIP 会员").Select(m => m.Customer));

        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync("/api/v1/tags/" + Uri.EscapeDataString("VIP 会员"))).StatusCode);

        Assert.Equal(["Cluster 1", "Dormant buyers"], (await TagsAsync(app)).Select(t => t.Name));
        Assert.Empty(await MembersAsync(app));
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var audit = await db.AuditLog.Where(a => a.EntityType == "tag").OrderBy(a => a.Id).Select(a => a.Action + " " + a.EntityId).ToListAsync();
        Assert.Equal(["created VIP", "created Dormant buyers", "created Cluster 1", "tagged VIP", "updated VIP 会员", "deleted VIP 会员"], audit);
    }

    [Fact]
    public async Task Create_RetriedWithItsIdempotencyKey_CreatesOnce_AndAnswersTheSame()
    {
        await using var app = await FlywheelApp.StartAsync();

        var first = await app.PostJsonAsync("/api/v1/tags", new { name = "VIP" }, idempotencyKey: "create-vip");
        var retry = await app.PostJsonAsync("/api/v1/tags", new { name = "VIP" }, idempotencyKey: "create-vip");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(["VIP"], (await TagsAsync(app)).Select(t => t.Name));
    }

    [Fact]
    public async Task BadNamesAndFields_AreRefusedWithTheirReason_AndChangeNothing()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateTagAsync(app, new { name = "VIP" });
        var longest = new string('标', 100);
        await CreateTagAsync(app, new { name = longest });
        var before = await TagsAsync(app);

        async Task<string> Refused(object body, string field) => Message(await ErrorsAsync(await app.PostJsonAsync("/api/v1/tags", body)), field);

        Assert.Equal("is required.", await Refused(new { name = "" }, "name"));
        Assert.Equal("is required.", await Refused(new { name = "   " }, "name"));
        Assert.Equal("is required.", await Refused(new { description = "no name" }, "name"));
        Assert.Equal("is longer than 100 characters.", await Refused(new { name = longest + "a" }, "name"));
        Assert.Equal("must not contain control characters.", await Refused(new { name = "a\tb" }, "name"));
        Assert.Equal("must be manual, rule or imported.", await Refused(new { name = "Smart", kind = "smart" }, "kind"));
        Assert.Equal("is longer than 200 characters.", await Refused(new { name = "Owned", owner = new string('o', 201) }, "owner"));
        Assert.Equal("only rule tags have a condition; this tag is manual.", await Refused(new { name = "M", condition = "orders_count > 1" }, "condition"));
        Assert.StartsWith("is required for a rule tag", await Refused(new { name = "R", kind = "rule" }, "condition"), StringComparison.Ordinal);
        Assert.StartsWith("is not a field of this request", await Refused(new { name = "Typo", descripton = "x" }, "descripton"), StringComparison.Ordinal);
        Assert.Equal("A tag named 'VIP' already exists.", await DetailAsync(await app.PostJsonAsync("/api/v1/tags", new { name = " VIP" }), HttpStatusCode.Conflict));
        Assert.Contains("'VIP' already exists; names that differ only in letter case are refused",
            await DetailAsync(await app.PostJsonAsync("/api/v1/tags", new { name = "vip" }), HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(before, await TagsAsync(app));
    }

    [Fact]
    public async Task InvalidCondition_GetsTheLanguagesErrorWithLineAndColumn_AndChangesNothing()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateTagAsync(app, new { name = "Loyal", kind = "rule", condition = "orders_count >= 5" });
        var before = await TagsAsync(app);

        var syntax = await app.PostJsonAsync("/api/v1/tags", new { name = "Bad", kind = "rule", condition = "orders_count >= abc" });
        var meaning = await SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/Loyal", new { condition = "lifecycl = 'dormant'", owner = "Growth" });

        // Both messages are the ones docs/segments.md lists for these inputs.
        var body = JsonDocument.Parse(await syntax.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, syntax.StatusCode);
        Assert.Equal("line 1, column 17: expected a number after '>=', found 'abc'", Message(body.GetProperty("errors"), "condition"));
        var located = body.GetProperty("condition_errors")[0];
        Assert.Equal((1, 17), (located.GetProperty("line").GetInt32(), located.GetProperty("column").GetInt32()));
        Assert.Contains("^", located.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.Equal("line 1, column 1: unknown attribute 'lifecycl'; did you mean 'lifecycle'?", Message(await ErrorsAsync(meaning), "condition"));
        Assert.Equal(before, await TagsAsync(app));
    }

    [Fact]
    public async Task Patch_ChangesOnlyWhatItNames_AndRefusesKindChangesAndConditionsOnOtherKinds()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateTagAsync(app, new { name = "VIP", description = "Top spenders", owner = "CRM" });
        await CreateTagAsync(app, new { name = "Loyal", kind = "rule", condition = "orders_count >= 5" });
        await CreateTagAsync(app, new { name = "Other" });

        var owner = await SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/VIP", new { owner = "Growth" });
        var condition = await SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/Loyal", new { condition = "ORDERS_COUNT >= 6" });
        var before = await TagsAsync(app);
        var kind = await SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/VIP", new { kind = "rule", condition = "orders_count >= 1" });
        var manualCondition = await SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/VIP", new { condition = "orders_count >= 1" });
        var clearRuleCondition = await SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/Loyal", new { condition = (string?)null });
        var taken = await SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/VIP", new { name = "other" });
        var missing = await SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/Nope", new { owner = "x" });

        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        Assert.Equal("Top spenders", (await FlywheelApp.ReadJsonAsync(owner)).GetProperty("description").GetString());
        // Attribute names are not keywords, so their case is kept: ORDERS_COUNT is not an attribute.
        Assert.Equal(HttpStatusCode.BadRequest, condition.StatusCode);
        Assert.StartsWith("cannot change: 'VIP' is a manual tag", Message(await ErrorsAsync(kind), "kind"), StringComparison.Ordinal);
        Assert.Equal("only rule tags have a condition; this tag is manual.", Message(await ErrorsAsync(manualCondition), "condition"));
        Assert.StartsWith("is required for a rule tag", Message(await ErrorsAsync(clearRuleCondition), "condition"), StringComparison.Ordinal);
        Assert.Contains("'Other' already exists", await DetailAsync(taken, HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal("There is no tag named 'Nope'.", await DetailAsync(missing, HttpStatusCode.NotFound));
        Assert.Equal(before, await TagsAsync(app));
        Assert.Equal("Growth", before.Single(t => t.Name == "VIP").Owner);
    }

    [Fact]
    public async Task ATagThatARuleTagNames_KeepsItsNameAndStays_AndRuleTagsMayNotDependOnThemselves()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateTagAsync(app, new { name = "B" });
        await CreateTagAsync(app, new { name = "A", kind = "rule", condition = "has tag 'B' and orders_count >= 1" });
        await CreateTagAsync(app, new { name = "D", kind = "rule", condition = "has tag 'E'" });
        var before = await TagsAsync(app);

        var rename = await SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/B", new { name = "B2" });
        var delete = await app.Client.DeleteAsync("/api/v1/tags/B");
        var self = await app.PostJsonAsync("/api/v1/tags", new { name = "C", kind = "rule", condition = "not has tag 'C'" });
        // D names E; a rule tag E naming D closes the loop E → D → E.
        var loop = await app.PostJsonAsync("/api/v1/tags", new { name = "E", kind = "rule", condition = "has tag 'D' or orders_count > 3" });
        // A names B; making A name D is fine (D names only E, which does not exist).
        var chain = await SendJsonAsync(app.Client, HttpMethod.Patch, "/api/v1/tags/A", new { condition = "has tag 'B' or has tag 'D'" });

        const string Named = "The condition of rule tag 'A' names 'B' (has tag 'B'); change that condition before you";
        Assert.StartsWith(Named + " rename this tag.", await DetailAsync(rename, HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.StartsWith(Named + " delete this tag.", await DetailAsync(delete, HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal("a rule tag may not depend on itself, and this condition would make it: 'C' → 'C'.", Message(await ErrorsAsync(self), "condition"));
        Assert.Equal("a rule tag may not depend on itself, and this condition would make it: 'E' → 'D' → 'E'.", Message(await ErrorsAsync(loop), "condition"));
        Assert.Equal(HttpStatusCode.OK, chain.StatusCode);
        Assert.Equal(before.Select(t => t.Name), (await TagsAsync(app)).Select(t => t.Name));
    }

    [Fact]
    public async Task ANameWithASlash_IsReachedWithItEscaped()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1");
        var created = await app.PostJsonAsync("/api/v1/tags", new { name = "母婴/童装" });

        Assert.Equal("/api/v1/tags/%E6%AF%8D%E5%A9%B4%2F%E7%AB%A5%E8%A3%85", created.Headers.Location?.OriginalString);
        var tag = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync(created.Headers.Location));
        Assert.Equal("母婴/童装", tag.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await TagAsync(app, "母婴/童装", "c1")).StatusCode);
        Assert.Equal([("母婴/童装", "c1", "api")], (await MembersAsync(app)).Select(m => (m.Tag, m.Customer, m.Source)));
    }

    [Fact]
    public async Task AnotherWorkspace_NeitherSeesNorTagsWithTheTags_AndMayUseTheSameName()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1");
        await CreateTagAsync(app, new { name = "VIP" });
        (await TagAsync(app, "VIP", "c1")).EnsureSuccessStatusCode();
        using var other = await app.CreateWorkspaceClientAsync("Second shop");
        (await other.PostAsJsonAsync("/api/v1/customers", new { external_id = "c1" })).EnsureSuccessStatusCode();

        var list = await FlywheelApp.ReadJsonAsync(await other.GetAsync("/api/v1/tags"));
        var get = await other.GetAsync("/api/v1/tags/VIP");
        var tagging = await SendJsonAsync(other, HttpMethod.Post, "/api/v1/tags/VIP/customers", new { customer_ids = new[] { "c1" } });
        var customerTags = await FlywheelApp.ReadJsonAsync(await other.GetAsync("/api/v1/customers/c1/tags"));
        var own = await other.PostAsJsonAsync("/api/v1/tags", new { name = "VIP" });

        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, tagging.StatusCode);
        Assert.Equal(0, customerTags.GetArrayLength());
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(0, (await FlywheelApp.ReadJsonAsync(own)).GetProperty("members").GetInt32());
        Assert.Equal([("VIP", "c1")], (await MembersAsync(app)).Select(m => (m.Tag, m.Customer)));
    }

    [Fact]
    public async Task AKeyWithoutCustomersWrite_ReadsButChangesNothing()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1");
        await CreateTagAsync(app, new { name = "VIP" });
        using var reader = await ClientWithScopesAsync(app, "customers:read");

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/tags")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/tags/VIP")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/tags/VIP/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/customers/c1/tags")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/tags", new { name = "New" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendJsonAsync(reader, HttpMethod.Patch, "/api/v1/tags/VIP", new { owner = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync("/api/v1/tags/VIP")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendJsonAsync(reader, HttpMethod.Post, "/api/v1/tags/VIP/customers", new { customer_ids = new[] { "c1" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendJsonAsync(reader, HttpMethod.Delete, "/api/v1/tags/VIP/customers", new { customer_ids = new[] { "c1" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/v1/tags/VIP/import", new StringContent("customer_id\nc1\n", System.Text.Encoding.UTF8, "text/csv"))).StatusCode);
        using var orders = await ClientWithScopesAsync(app, "orders:read");
        Assert.Equal(HttpStatusCode.Forbidden, (await orders.GetAsync("/api/v1/tags")).StatusCode);
        Assert.Equal([("VIP", null)], (await TagsAsync(app)).Select(t => (t.Name, t.Owner)));
        Assert.Empty(await MembersAsync(app));
    }
}
