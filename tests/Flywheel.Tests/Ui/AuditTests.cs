using System.Text.Json;
using Bunit;
using Flywheel.Ui.Pages.Settings;

namespace Flywheel.Tests.Ui;

public sealed class AuditTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void Diff_MarksOnlyTheFieldsThatChanged()
    {
        var rows = AuditDiff.Rows(Json("""{"name":"Default","currency":"CNY","tags":["a"]}"""), Json("""{"name":"Flagship","currency":"CNY","tags":["a","b"]}"""));

        Assert.Equal(["name", "currency", "tags"], rows.Select(r => r.Field));
        Assert.Equal([true, false, true], rows.Select(r => r.Changed));
        Assert.Equal(("Default", "Flagship"), (rows[0].Before, rows[0].After));
    }

    [Fact]
    public void Diff_OfACreation_ShowsEveryFieldAsNew_AndMissingEqualsNull()
    {
        var created = AuditDiff.Rows(null, Json("""{"email":"a@b.c","role":"viewer"}"""));
        Assert.All(created, r => Assert.True(r.Changed && r.Before is null));

        var unchanged = AuditDiff.Rows(Json("""{"brand":null}"""), Json("""{}"""));
        Assert.False(Assert.Single(unchanged).Changed);
    }

    [Fact]
    public async Task AuditPage_ExpandsAnEntryToItsChangedFields_AndFiltersByEntityType()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/workspace") { Content = JsonContent.Create(new { name = "Flagship" }) })
        {
            (await console.App.Client.SendAsync(patch)).EnsureSuccessStatusCode();
        }
        (await console.App.PostJsonAsync("/api/v1/products", new { sku = "SOAP", name = "Soap", price = 10m })).EnsureSuccessStatusCode();
        await console.SignInAsOwnerAsync();

        var page = console.Render<AuditPage>();
        // Newest first: the product, then the workspace change; first start wrote the workspace's creation before them.
        page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=audit-table] tbody tr").Count >= 3), Wait);
        await page.InvokeAsync(() => page.FindAll("[data-testid=audit-table] tbody tr").First(r => r.TextContent.Contains("Updated", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() => page.Find("[data-testid=audit-detail]"), Wait);
        var changed = page.FindAll("[data-testid=audit-detail] tr[data-changed=true]");
        var name = Assert.Single(changed);
        Assert.Contains("Default", name.TextContent, StringComparison.Ordinal);
        Assert.Contains("Flagship", name.TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("[data-testid=audit-detail] tr[data-changed=false]"));

        ConsoleTest.Input(page, "audit-entity-id").Input("SOAP");
        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("[data-testid=audit-table] tbody tr");
            Assert.Single(rows);
            Assert.Contains("Product", rows[0].TextContent, StringComparison.Ordinal);
        }, Wait);
    }
}
