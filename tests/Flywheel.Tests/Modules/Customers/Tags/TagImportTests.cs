using System.Net;
using System.Text.Json;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Flywheel.Tests.Modules.Customers.Tags.TagTestData;

namespace Flywheel.Tests.Modules.Customers.Tags;

/// <summary>A tag's customers from a CSV file: add, replace, and all or nothing. "Now" starts at 1 Dec 2026 02:00 UTC.</summary>
public sealed class TagImportTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Add_TagsTheFilesCustomers_AndReplace_MakesThemTheOnlyOnes_KeepingFirstTimes()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await FlywheelApp.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await CreateCustomersAsync(app, "c1", "c2", "c3");
        await CreateTagAsync(app, new { name = "Wholesale", kind = "imported" });
        (await TagAsync(app, "Wholesale", "c1")).EnsureSuccessStatusCode();

        clock.Advance(TimeSpan.FromHours(1));
        var add = await ImportAsync(app, "Wholesale", "customer_id\nc1\nc2\n");
        clock.Advance(TimeSpan.FromHours(1));
        var replace = await ImportAsync(app, "Wholesale", "\uFEFFCustomer_ID\r\nc2\r\n c3 \r\n", "replace");

        // add: c2 is new, c1 was tagged at the start. replace with {c2, c3}: c3 joins, c1 leaves, c2 stays as it was.
        Assert.Equal((2, 1, 0, 1, 2), Report(await FlywheelApp.ReadJsonAsync(add)));
        Assert.Equal((2, 1, 1, 1, 2), Report(await FlywheelApp.ReadJsonAsync(replace)));
        Assert.Equal(
            [new MemberRow("Wholesale", "c2", Start.AddHours(1), "csv"), new MemberRow("Wholesale", "c3", Start.AddHours(2), "csv")],
            await MembersAsync(app));
    }

    [Fact]
    public async Task ABadRow_RefusesTheFileWithEveryBadRowNamed_AndChangesNothing()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1", "c2", "c4");
        await CreateTagAsync(app, new { name = "VIP" });
        (await TagAsync(app, "VIP", "c1", "c2")).EnsureSuccessStatusCode();
        var before = await MembersAsync(app);

        // Row 1 is the header. Row 3: not a customer; row 4: c4 again; row 5: an empty id; row 6: two fields.
        var response = await ImportAsync(app, "VIP", "customer_id\nc4\nghost\nc4\n\"\"\nc2,extra\n", "replace");

        var detail = await DetailAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.StartsWith("4 rows cannot be imported, so nothing was changed. row 3 (customer_id): 'ghost' is not a customer of this workspace.", detail, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(4, problem.GetProperty("error_count").GetInt32());
        Assert.Equal(
            [(3, "customer_id", "'ghost' is not a customer of this workspace."),
             (4, "customer_id", "'c4' is already on row 2; a file may hold each customer once."),
             (5, "customer_id", "is required."),
             (6, "", "has 2 fields but the header has 1.")],
            problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("message").GetString())));
        Assert.Equal(before, await MembersAsync(app));
    }

    [Fact]
    public async Task AFileThatCannotBeRead_OrAnUnknownMode_IsRefused()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1");
        await CreateTagAsync(app, new { name = "VIP" });

        Assert.Equal("Unknown column 'id'. Known columns: customer_id.", Message(await ErrorsAsync(await ImportAsync(app, "VIP", "id\nc1\n")), "file"));
        Assert.Equal("must be add or replace.", Message(await ErrorsAsync(await ImportAsync(app, "VIP", "customer_id\nc1\n", "merge")), "mode"));
        Assert.Equal(HttpStatusCode.NotFound, (await ImportAsync(app, "Nope", "customer_id\nc1\n")).StatusCode);
        Assert.Empty(await MembersAsync(app));
    }

    /// <summary>(rows, added, removed, unchanged, members).</summary>
    private static (int, int, int, int, int) Report(JsonElement r) =>
        (r.GetProperty("rows").GetInt32(), r.GetProperty("added").GetInt32(), r.GetProperty("removed").GetInt32(),
         r.GetProperty("unchanged").GetInt32(), r.GetProperty("members").GetInt32());
}
