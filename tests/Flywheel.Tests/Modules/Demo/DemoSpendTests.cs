using Flywheel.Modules.Demo.Generation;

namespace Flywheel.Tests.Modules.Demo;

/// <summary>The demo shop's spend rows agree with its traffic and with its channels' cost per customer.</summary>
public sealed class DemoSpendTests(DemoShopFixture shop) : IClassFixture<DemoShopFixture>
{
    [Fact]
    public void Spend_FollowsTheLandingsOfPaidChannels_AndAddsUpToTheirCost()
    {
        var spend = new DemoSpend();
        foreach (var c in shop.Customers)
        {
            spend.Count(c);
        }
        var rows = spend.Rows();

        // Counted a second way: every event whose UTM source and medium belong to a channel with a cost is a click.
        var paid = People.Channels.Where(c => c.CostPerCustomer > 0).ToList();
        var clicks = shop.Events
            .Where(e => e.Context.UtmSource is { } s && paid.Any(c => c.UtmMedium == e.Context.UtmMedium && c.UtmSources.Contains(s)))
            .GroupBy(e => (DemoShopFixture.LocalDate(e.Timestamp), e.Context.UtmSource!))
            .ToDictionary(g => g.Key, g => (long)g.Count());
        var rowClicks = rows.GroupBy(r => (r.Date, r.Channel)).ToDictionary(g => g.Key, g => g.Sum(r => r.Clicks));
        Assert.Equal(clicks.OrderBy(c => c.Key), rowClicks.OrderBy(c => c.Key));

        // Organic visits, direct visits and push messages cost nothing.
        Assert.DoesNotContain(rows, r => r.Channel == "flywheel");
        Assert.All(rows, r => Assert.True(r.Impressions > r.Clicks && r.SpendMinor > 0, $"{r.Date} {r.Channel}"));

        // All rows together: each channel's customers × its cost per customer, in fen, give or take half a fen per row.
        var expected = shop.Customers.Sum(c => (long)(c.Channel.CostPerCustomer * 100));
        Assert.InRange(rows.Sum(r => r.SpendMinor), expected - rows.Count, expected + rows.Count);
    }
}
