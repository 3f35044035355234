using Flywheel.Modules.Customers.Contracts;
using Flywheel.Platform.State;
using Flywheel.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Flywheel.Tests.Modules.Customers.Tags.TagTestData;

namespace Flywheel.Tests.Modules.Customers.Tags;

/// <summary>The tag contract other modules call: an imported tag created or replaced whole, and a customer's tag names.</summary>
public sealed class CustomerTaggingContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddDays(1);

    [Fact]
    public async Task ReplaceImportedTag_CreatesThenReplaces_KeepingFirstTimes()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1", "c2", "c3");
        await CreateTagAsync(app, new { name = "VIP" });
        (await TagAsync(app, "VIP", "c2")).EnsureSuccessStatusCode();
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var ws = (await db.Workspaces.SingleAsync()).Id;

        var created = await CustomerTagging.ReplaceImportedTagAsync(db, ws, "system", new ImportedTag("Cluster A", "k-means cluster 1", "Growth"), ["c1", "c2"], T0, default);
        var replaced = await CustomerTagging.ReplaceImportedTagAsync(db, ws, "system", new ImportedTag("Cluster A"), ["c2", "c3", "c3"], T1, default);

        var id = await db.Tags.Where(t => t.WorkspaceId == ws && t.Name == "Cluster A").Select(t => t.Id).SingleAsync();
        Assert.Equal(new ImportedTagWritten(id, "Cluster A", true, 2, 0, 2), created);
        // {c1, c2} → {c2, c3}: c3 joins, c1 leaves, c2 keeps T0.
        Assert.Equal(new ImportedTagWritten(id, "Cluster A", false, 1, 1, 2), replaced);
        Assert.Equal(
            [new MemberRow("Cluster A", "c2", T0, "import"), new MemberRow("Cluster A", "c3", T1, "import")],
            (await MembersAsync(app)).Where(m => m.Tag == "Cluster A"));
        var tag = (await TagsAsync(app)).Single(t => t.Name == "Cluster A");
        Assert.Equal(("Imported", "k-means cluster 1", "Growth"), (tag.Kind, tag.Description, tag.Owner));
        Assert.Equal(["Cluster A", "VIP"], await CustomerTagging.TagNamesOfAsync(db, ws, "c2", default));
        Assert.Equal(["c2", "c3"], (await CustomerTagging.CustomersWith(db, ws, "Cluster A").ToListAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReplaceImportedTag_RefusesOtherKindsCaseTwinsAndUnknownCustomers_ChangingNothing()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1");
        await CreateTagAsync(app, new { name = "VIP" });
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var ws = (await db.Workspaces.SingleAsync()).Id;
        await CustomerTagging.ReplaceImportedTagAsync(db, ws, "system", new ImportedTag("Cluster A"), ["c1"], T0, default);
        var tags = await TagsAsync(app);
        var members = await MembersAsync(app);

        Task<TagRefusedException> Refused(string name, params string[] ids) =>
            Assert.ThrowsAsync<TagRefusedException>(() => CustomerTagging.ReplaceImportedTagAsync(db, ws, "system", new ImportedTag(name), ids, T1, default));

        Assert.Equal("'VIP' is a manual tag; only an imported tag is replaced as a whole.", (await Refused("VIP", "c1")).Message);
        Assert.Equal("A tag named 'Cluster A' already exists; names that differ only in letter case are refused.", (await Refused("cluster a", "c1")).Message);
        Assert.Equal("'ghost' is not a customer of this workspace.", (await Refused("Cluster A", "c1", "ghost")).Message);
        Assert.StartsWith("name: is required.", (await Refused(" ", "c1")).Message, StringComparison.Ordinal);
        Assert.Equal(tags, await TagsAsync(app));
        Assert.Equal(members, await MembersAsync(app));
    }

    [Fact]
    public async Task ReplaceImportedTag_JoinsTheCallersTransaction()
    {
        await using var app = await FlywheelApp.StartAsync();
        await CreateCustomersAsync(app, "c1");
        await using var db = app.Services.GetRequiredService<StateStore>().Open();
        var ws = (await db.Workspaces.SingleAsync()).Id;

        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await CustomerTagging.ReplaceImportedTagAsync(db, ws, "system", new ImportedTag("Cluster A"), ["c1"], T0, default);
            await tx.RollbackAsync();
        }

        Assert.Empty(await TagsAsync(app));
        Assert.Empty(await MembersAsync(app));
    }
}
