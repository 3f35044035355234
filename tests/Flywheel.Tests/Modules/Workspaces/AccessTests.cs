using System.Net;
using System.Text.Json;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Workspaces;

public sealed class AccessTests
{
    [Fact]
    public async Task Login_WithTheBootstrapOwner_OpensASessionWithAllScopes()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var console = app.CreateConsoleClient();

        var login = await console.PostAsJsonAsync("/api/v1/auth/login", new { email = FlywheelApp.AdminEmail, password = FlywheelApp.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        var me = await FlywheelApp.ReadJsonAsync(await console.GetAsync("/api/v1/auth/me"));
        Assert.Equal("owner", me.GetProperty("role").GetString());
        Assert.Contains("admin", me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Theory]
    [InlineData(FlywheelApp.AdminEmail, "wrong password!")]
    [InlineData("nobody@example.com", FlywheelApp.AdminPassword)]
    public async Task Login_WithBadCredentials_IsRefusedTheSameWay(string email, string password)
    {
        await using var app = await FlywheelApp.StartAsync();
        using var console = app.CreateConsoleClient();

        var login = await console.PostAsJsonAsync("/api/v1/auth/login", new { email, password });

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        var problem = await FlywheelApp.ReadJsonAsync(login);
        Assert.Equal("The email or password is not correct.", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await console.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Viewer_CanRead_ButCannotAdminister()
    {
        await using var app = await FlywheelApp.StartAsync();
        var added = await app.Client.PostAsJsonAsync("/api/v1/users",
            new { email = "viewer@example.com", password = "viewer password 1", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        using var console = app.CreateConsoleClient();
        await console.PostAsJsonAsync("/api/v1/auth/login", new { email = "viewer@example.com", password = "viewer password 1" });

        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/api/v1/customers/c1/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await console.GetAsync("/api/v1/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await console.PostAsJsonAsync("/api/v1/keys", new { kind = "public" })).StatusCode);
    }

    [Fact]
    public async Task RoleChange_TakesEffectOnTheOpenSession()
    {
        await using var app = await FlywheelApp.StartAsync();
        var added = await FlywheelApp.ReadJsonAsync(await app.Client.PostAsJsonAsync("/api/v1/users",
            new { email = "ana@example.com", password = "analyst password", role = "analyst" }));
        using var console = app.CreateConsoleClient();
        await console.PostAsJsonAsync("/api/v1/auth/login", new { email = "ana@example.com", password = "analyst password" });
        Assert.Equal(HttpStatusCode.Forbidden, (await console.GetAsync("/api/v1/audit")).StatusCode);

        var id = added.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PatchAsJsonAsync($"/api/v1/users/{id}", new { role = "admin" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Fact]
    public async Task LastOwner_CannotBeDemoted()
    {
        await using var app = await FlywheelApp.StartAsync();
        var users = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/users"));
        var owner = users.EnumerateArray().Single(u => u.GetProperty("role").GetString() == "owner").GetProperty("id").GetString();

        var response = await app.Client.PatchAsJsonAsync($"/api/v1/users/{owner}", new { role = "viewer" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task SecretKey_WorksUntilRevoked_AndTheAuditLogSaysWhoDidIt()
    {
        await using var app = await FlywheelApp.StartAsync();
        var created = await FlywheelApp.ReadJsonAsync(await app.Client.PostAsJsonAsync("/api/v1/keys",
            new { kind = "secret", name = "reporting", scopes = new[] { "events:read" } }));
        var secret = created.GetProperty("secret").GetString()!;
        var keyId = created.GetProperty("key").GetProperty("id").GetString();
        using var reporting = app.CreateClient(secret);
        Assert.Equal(HttpStatusCode.OK, (await reporting.GetAsync("/api/v1/customers/c1/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporting.GetAsync("/api/v1/keys")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/api/v1/keys/{keyId}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await reporting.GetAsync("/api/v1/customers/c1/events")).StatusCode);
        var audit = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync($"/api/v1/audit?entity_type=api_key&entity_id={keyId}"));
        var actions = audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["revoked", "created"], actions);
        var revoked = audit.GetProperty("items")[0];
        Assert.StartsWith("key:", revoked.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, revoked.GetProperty("before").GetProperty("revoked_at").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, revoked.GetProperty("after").GetProperty("revoked_at").ValueKind);
    }

    [Fact]
    public async Task CreateKey_WithUnknownScope_IsRefusedAndCreatesNothing()
    {
        await using var app = await FlywheelApp.StartAsync();
        var before = (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/keys"))).GetArrayLength();

        var response = await app.Client.PostAsJsonAsync("/api/v1/keys", new { kind = "secret", scopes = new[] { "everything" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await FlywheelApp.ReadJsonAsync(response);
        Assert.Contains("'everything' is not a scope", problem.GetProperty("errors").GetProperty("scopes")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/keys"))).GetArrayLength());
    }

    [Fact]
    public async Task Workspaces_AreIsolated_EvenForTheSameCustomerId()
    {
        await using var app = await FlywheelApp.StartAsync();
        using var console = app.CreateConsoleClient();
        await console.PostAsJsonAsync("/api/v1/auth/login", new { email = FlywheelApp.AdminEmail, password = FlywheelApp.AdminPassword });
        var second = await FlywheelApp.ReadJsonAsync(await console.PostAsJsonAsync("/api/v1/workspaces", new { name = "Second shop" }));
        await console.PostAsJsonAsync("/api/v1/auth/switch", new { workspace_id = second.GetProperty("id").GetString() });
        var key = await FlywheelApp.ReadJsonAsync(await console.PostAsJsonAsync("/api/v1/keys",
            new { kind = "secret", scopes = new[] { "events:write", "events:read" } }));
        using var other = app.CreateClient(key.GetProperty("secret").GetString());

        await app.PostEventsAsync(new { event_id = "a-1", type = "page_view", customer_id = "shared-id" });
        await other.PostAsJsonAsync("/api/v1/events/batch", new { events = new[] { new { event_id = "a-1", type = "search", customer_id = "shared-id" } } });

        var mine = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/customers/shared-id/events"));
        var theirs = await FlywheelApp.ReadJsonAsync(await other.GetAsync("/api/v1/customers/shared-id/events"));
        Assert.Equal(["page_view"], mine.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["search"], theirs.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
    }
}
