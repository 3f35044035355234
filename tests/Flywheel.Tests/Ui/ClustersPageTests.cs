using Bunit;
using Flywheel.Platform.State;
using Flywheel.Ui.Pages.Customers;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Tests.Ui;

public sealed class ClustersPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task SuggestedClusters_AreShown_AndACluster_IsSavedAsATag_WithItsCondition()
    {
        ConsoleTest.UseEnglish();
        await using var console = await ConsoleTest.StartAsync();
        var now = console.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // Two regulars (four ¥500 orders with a coupon, ten days apart) and four one-off buyers of about ¥20, 60 days ago.
        foreach (var (customer, i) in new[] { ("r1", 0), ("r2", 1) })
        {
            for (var j = 1; j <= 4; j++)
            {
                await OrderAsync(console, $"{customer}-{j}", customer, now.AddDays(-(10 * j) - i), 500m + i, "SAVE10");
            }
        }
        foreach (var (customer, i) in new[] { ("o1", 0), ("o2", 1), ("o3", 2), ("o4", 3) })
        {
            await OrderAsync(console, $"{customer}-1", customer, now.AddDays(-60 - i), 20m + i, null);
        }
        using (var timeout = new CancellationTokenSource(Wait))
        {
            // The orders make the customers' profiles too (the profile projection), which saving a tag needs.
            foreach (var projection in console.App.Services.GetServices<EventProjection>())
            {
                await projection.WaitForAppliedAsync(timeout.Token);
            }
        }
        await console.SignInAsOwnerAsync();

        var page = console.Render<ClustersPage>();
        await ConsoleTest.ClickAsync(page, "[data-testid=clusters-run]");

        // k is suggested: two far-apart kinds score best with 2; the one-off buyers are the larger cluster.
        page.WaitForAssertion(() => page.Find("[data-testid=cluster-2]"), Wait);
        Assert.Contains("6 buying customers in 2 clusters", page.Find("[data-testid=clusters-summary]").TextContent, StringComparison.Ordinal);
        Assert.Contains("✓", page.Find("[data-testid=suggestion-2]").TextContent, StringComparison.Ordinal);
        string Cell(int cluster, int column) => page.Find($"[data-testid=cluster-{cluster}]").QuerySelectorAll("td")[column].TextContent.Trim();
        Assert.Equal(("4", "66.7%"), (Cell(1, 2), Cell(1, 3)));
        Assert.Equal(("2", "33.3%", "4.0", "¥2,002.00"), (Cell(2, 2), Cell(2, 3), Cell(2, 4), Cell(2, 5)));
        // Labelled by two of the features the regulars stand out on, in words.
        Assert.Contains(" · ", Cell(2, 1), StringComparison.Ordinal);
        Assert.DoesNotContain("Clusters.", page.Markup, StringComparison.Ordinal);

        await ConsoleTest.ClickAsync(page, "[data-testid=cluster-2-tag]");
        await ConsoleTest.ChangeAsync(page, "cluster-tag-name", "regulars");
        await ConsoleTest.ClickAsync(page, "[data-testid=cluster-tag-save]");

        page.WaitForAssertion(() => Assert.Equal("has tag 'regulars'", page.Find("[data-testid=cluster-tag-condition]").TextContent), Wait);
        await using var db = console.State.Open();
        var tagId = await db.Tags.Where(t => t.Name == "regulars").Select(t => t.Id).SingleAsync();
        Assert.Equal(["r1", "r2"], (await db.CustomerTags.Where(t => t.TagId == tagId).Select(t => t.CustomerExternalId).ToListAsync()).Order());
    }

    private static async Task OrderAsync(ConsoleTest console, string orderId, string customer, DateTimeOffset paidAt, decimal total, string? coupon)
    {
        using var response = await console.App.PostJsonAsync("/api/v1/orders", new
        {
            order_id = orderId, customer_id = customer, status = "paid", coupon, total,
            lines = new[] { new { sku = "S", category = "food", quantity = 1, price = total } },
            placed_at = paidAt.AddMinutes(-1).ToString("O"), paid_at = paidAt.ToString("O"),
        });
        response.EnsureSuccessStatusCode();
    }
}
