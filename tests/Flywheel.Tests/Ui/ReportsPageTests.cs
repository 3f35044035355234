using Bunit;
using Flywheel.Tests.Support;
using Flywheel.Ui.Pages.Reports;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Ui;

public sealed class ReportsPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ASubscription_IsRefusedWithFieldErrors_ThenSaved_ThenRunNow()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        await console.SignInAsOwnerAsync();
        var page = console.Render<ReportsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=no-subscriptions]"), Wait);

        await ConsoleTest.ClickAsync(page, "[data-testid=new-subscription]");
        page.WaitForAssertion(() => page.Find("[data-testid=subscription-form]"), Wait);
        await ConsoleTest.ChangeAsync(page, "field-name", "Weekly review");
        await ConsoleTest.ChangeAsync(page, "field-send_at", "25:00");
        await ConsoleTest.ChangeAsync(page, "field-target-conversion_rate", "3");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-subscription]");

        // The API's own checks, shown by their fields; nothing stored.
        page.WaitForAssertion(() => Assert.Contains("not a local time of day", ConsoleTest.Field(page, "field-send_at").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("is a rate", ConsoleTest.Field(page, "field-target-conversion_rate").TextContent, StringComparison.Ordinal);
        await using (var db = console.State.Open())
        {
            Assert.Empty(await db.ReportSubscriptions.ToListAsync());
        }

        await ConsoleTest.ChangeAsync(page, "field-send_at", "09:00");
        await ConsoleTest.ChangeAsync(page, "field-target-conversion_rate", "0.03");
        await ConsoleTest.ClickAsync(page, "[data-testid=save-subscription]");
        page.WaitForAssertion(() => page.Find("[data-testid='subscription-Weekly review']"), Wait);
        Assert.StartsWith("whsec_", page.Find("[data-testid=webhook-secret] code").TextContent, StringComparison.Ordinal);

        await ConsoleTest.ClickAsync(page, "[data-testid='run-Weekly review']");
        page.WaitForAssertion(() => page.Find("[data-testid=runs-table]"), Wait);
        Assert.Contains("done", page.Find("[data-testid=runs-table]").TextContent, StringComparison.Ordinal);
        await using var db2 = console.State.Open();
        Assert.Equal("done", (await db2.ReportRuns.SingleAsync()).Status);
        Assert.Equal(0.03m, global::Flywheel.Modules.Analytics.Reports.ReportTargets.Parse((await db2.ReportSubscriptions.SingleAsync()).Targets)["conversion_rate"]);
    }

    [Fact]
    public async Task AReportRun_IsReadInThePage_WithItsDownloads()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var created = await FlywheelApp.ReadJsonAsync(await console.App.PostJsonAsync("/api/v1/reports/subscriptions", new { name = "Monthly", cadence = "monthly", locale = "zh-CN" }));
        var run = await FlywheelApp.ReadJsonAsync(await console.App.PostJsonAsync($"/api/v1/reports/subscriptions/{created.GetProperty("id").GetString()}/run", new { }));
        var runId = run.GetProperty("id").GetString()!;
        await console.SignInAsOwnerAsync();

        var page = console.Render<ReportRunPage>(runId);
        page.WaitForAssertion(() => page.Find("[data-testid=report-frame]"), Wait);

        // Written in the subscription's language.
        Assert.Contains("二、核心指标", page.Find("[data-testid=report-frame]").GetAttribute("srcdoc"), StringComparison.Ordinal);
        Assert.Equal($"/api/v1/reports/runs/{runId}/html?download=true", page.Find("[data-testid=download-html]").GetAttribute("href"));
    }
}
