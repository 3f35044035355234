using Bunit;
using Flywheel.Ui.Pages.Marketing;
using Microsoft.AspNetCore.Components.Forms;

namespace Flywheel.Tests.Ui;

public sealed class SpendPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task UploadingACsv_ShowsItsRows_AndABadFileWritesNothing()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var today = DateOnly.FromDateTime(console.App.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        string Day(int back) => today.AddDays(-back).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var page = console.Render<SpendPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=spend-empty]"), Wait);

        // Row 3 has a spend that is not a number: the file is refused whole.
        var bad = $"date,channel,spend,impressions,clicks\n{Day(2)},baidu,50.00,1000,40\n{Day(1)},douyin,lots,100,5\n";
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(bad, "bad.csv"));
        page.WaitForAssertion(() => Assert.Contains("row 3.spend", page.Find("[data-testid=spend-errors]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotNull(page.Find("[data-testid=spend-empty]"));

        var good = $"date,channel,campaign,spend,impressions,clicks\n{Day(2)},baidu,brand,50.00,1000,40\n{Day(1)},douyin,,25.50,3000,30\n";
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(good, "spend.csv"));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=spend-row]").Count), Wait);
        // 50.00 + 25.50 = 75.50 over 2 rows.
        Assert.Equal("¥75.50 over 2 rows", page.Find("[data-testid=spend-total]").TextContent.Trim());
        Assert.Contains("2 rows imported: 2 new, 0 changed", page.Find("[data-testid=spend-notice]").TextContent, StringComparison.Ordinal);

        await ConsoleTest.ChangeAsync(page, "spend-margin", "0.35");
        await ConsoleTest.ClickAsync(page, "[data-testid=spend-margin-save]");
        page.WaitForAssertion(() => Assert.Contains("Gross margin saved", page.Find("[data-testid=spend-notice]").TextContent, StringComparison.Ordinal), Wait);
        var settings = await Support.FlywheelApp.ReadJsonAsync(await console.App.Client.GetAsync("/api/v1/marketing/settings"));
        Assert.Equal(0.35m, settings.GetProperty("gross_margin").GetDecimal());

        await ConsoleTest.ClickAsync(page, "[data-testid=spend-delete]");
        page.WaitForAssertion(() => page.Find("[data-testid=spend-empty]"), Wait);
    }
}
