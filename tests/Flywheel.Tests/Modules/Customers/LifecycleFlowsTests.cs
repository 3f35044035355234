using Flywheel.Modules.Customers.Traits;

namespace Flywheel.Tests.Modules.Customers;

public sealed class LifecycleFlowsTests
{
    private static DateTimeOffset D(int month, int day) => new(2026, month, day, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void StagesAtEachMoment_AndTheFlowsBetween_IncludingCustomersWhoJoined()
    {
        var moments = new[] { D(9, 1), D(10, 1), D(11, 17) };
        var customers = new[]
        {
            // A paid on 20 Aug: new on 1 Sep (12 days), dormant on 1 Oct (42 days) and on 17 Nov (89 days, lost at 90).
            new LifecycleHistory(D(8, 1), [D(8, 20)]),
            // B is known from 15 Sep: absent on 1 Sep; new on 1 Oct (paid 20 Sep); won back on 17 Nov (paid 10 Nov, 51 days later).
            new LifecycleHistory(D(9, 15), [D(9, 20), D(11, 10)]),
            // C never paid: a prospect throughout.
            new LifecycleHistory(D(7, 1), []),
        };

        var (points, flows) = LifecycleFlows.Of(customers, moments, LifecycleOptions.Default);

        Assert.Equal([("new", 1), ("prospect", 1)], NonZero(points[0]));
        Assert.Equal([("dormant", 1), ("new", 1), ("prospect", 1)], NonZero(points[1]));
        Assert.Equal([("dormant", 1), ("prospect", 1), ("won_back", 1)], NonZero(points[2]));
        Assert.Equal(
        [
            new StageFlow(1, null, "new", 1),
            new StageFlow(1, "prospect", "prospect", 1),
            new StageFlow(1, "new", "dormant", 1),
            new StageFlow(2, "prospect", "prospect", 1),
            new StageFlow(2, "new", "won_back", 1),
            new StageFlow(2, "dormant", "dormant", 1),
        ], flows);
    }

    private static List<(string, int)> NonZero(StageCounts p) =>
        [.. p.Counts.Where(c => c.Value > 0).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value))];
}
