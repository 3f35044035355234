using System.Net;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Modules.Customers;

public sealed class CustomersApiTests
{
    private static object Alice(string? email = "alice@example.com") => new
    {
        external_id = "c-1",
        name = "Alice",
        email,
        phone = "+86 138 0000 0000",
        gender = "female",
        birthday = "1990-05-01",
        city = "Shanghai",
        registered_at = "2026-03-01T10:00:00",
        registration_channel = "wechat",
        consent_email = true,
    };

    [Fact]
    public async Task Post_Twice_CreatesOnce_AndReadsLocalTimesInTheWorkspaceZone()
    {
        await using var app = await FlywheelApp.StartAsync();

        var first = await app.PostJsonAsync("/api/v1/customers", Alice());
        var second = await app.PostJsonAsync("/api/v1/customers", Alice());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var c = await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/customers/c-1"));
        // 10:00 in Asia/Shanghai (UTC+8, the default workspace zone) is 02:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero), c.GetProperty("registered_at").GetDateTimeOffset());
        Assert.True(c.GetProperty("consent_email").GetBoolean());
        Assert.False(c.GetProperty("consent_sms").GetBoolean());
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.EntityType == "customer" && a.EntityId == "c-1"));
    }

    [Fact]
    public async Task BadFields_AreNamedAndNothingChanges()
    {
        await using var app = await FlywheelApp.StartAsync();

        var response = await app.PostJsonAsync("/api/v1/customers", new { external_id = "c-2", email = "not-an-email", gender = "x", birthday = "01/05/1990" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await FlywheelApp.ReadJsonAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("gender", out _));
        Assert.True(errors.TryGetProperty("birthday", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/customers/c-2")).StatusCode);
    }

    [Fact]
    public async Task CsvImport_WithABadRow_ReportsItAndImportsTheRest_AndTwiceIsTheSame()
    {
        await using var app = await FlywheelApp.StartAsync();
        const string csv = """
            external_id,name,email,gender,birthday,city,consent_sms
            c-1,Alice,alice@example.com,female,1990-05-01,Shanghai,yes
            c-2,Bob,bob-at-example.com,male,,Beijing,no
            c-3,Carol,,,,Hangzhou,
            c-1,Alice again,,,,,
            """;

        var report = await app.ImportCsvAsync("customers", csv);
        var list = await app.Client.GetStringAsync("/api/v1/customers");
        var again = await app.ImportCsvAsync("customers", csv);

        Assert.Equal(2, report.GetProperty("created").GetInt32());
        Assert.Equal(2, report.GetProperty("rejected_rows").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ToList();
        Assert.Equal([(3, "email"), (5, "external_id")], errors);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/customers/c-2")).StatusCode);
        Assert.Equal("Alice", (await FlywheelApp.ReadJsonAsync(await app.Client.GetAsync("/api/v1/customers/c-1"))).GetProperty("name").GetString());
        Assert.Equal(2, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(list, await app.Client.GetStringAsync("/api/v1/customers"));
    }

    [Fact]
    public async Task OtherWorkspace_CannotSeeTheCustomer()
    {
        await using var app = await FlywheelApp.StartAsync();
        await app.PostJsonAsync("/api/v1/customers", Alice());
        using var other = await app.CreateWorkspaceClientAsync("Other shop");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/customers/c-1")).StatusCode);
        Assert.Equal(0, (await FlywheelApp.ReadJsonAsync(await other.GetAsync("/api/v1/customers"))).GetProperty("items").GetArrayLength());
    }
}
