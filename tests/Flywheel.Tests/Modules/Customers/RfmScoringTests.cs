using Flywheel.Modules.Customers.Rfm;

namespace Flywheel.Tests.Modules.Customers;

public sealed class RfmScoringTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Quintiles_GiveEqualValuesEqualScores_AndTheBestFive()
    {
        // Frequencies 1, 1, 1, 2, 5 (n = 5): the 1s have 0 customers below → 1; the 2 has 3 below → 1 + ⌊15/5⌋ = 4;
        // the 5 has 4 below → 5. Recency: later is better, all on different days → 1..5 by date. Money: 10..50 → 1..5.
        var scores = RfmScoring.Score(
        [
            new("a", Day0.AddDays(1), 1, 10),
            new("b", Day0.AddDays(2), 1, 20),
            new("c", Day0.AddDays(3), 1, 30),
            new("d", Day0.AddDays(4), 2, 40),
            new("e", Day0.AddDays(5), 5, 50),
        ]);

        Assert.Equal(["a:1/1/1", "b:2/1/2", "c:3/1/3", "d:4/4/4", "e:5/5/5"], scores.Select(s => $"{s.CustomerId}:{s.R}/{s.F}/{s.M}"));
        Assert.Equal(["lost", "hibernating", "about_to_sleep", "loyal", "champions"], scores.Select(s => s.Group));
    }

    [Fact]
    public void TenCustomers_FillEachQuintileWithTwo()
    {
        // n = 10: customer i has i customers below on every measure → 1 + ⌊5i/10⌋ = 1, 1, 2, 2, 3, 3, 4, 4, 5, 5.
        var scores = RfmScoring.Score([.. Enumerable.Range(0, 10).Select(i => new RfmInput($"c{i}", Day0.AddDays(i), i + 1, (i + 1) * 100))]);
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], scores.Select(s => s.R));
        Assert.Equal(scores.Select(s => s.R), scores.Select(s => s.F));
        Assert.Equal(scores.Select(s => s.R), scores.Select(s => s.M));
    }

    [Fact]
    public void Groups_FollowTheRByFMap()
    {
        Assert.Equal("champions", RfmScoring.Group(5, 5));
        Assert.Equal("recent", RfmScoring.Group(5, 1));
        Assert.Equal("promising", RfmScoring.Group(4, 1));
        Assert.Equal("potential_loyalists", RfmScoring.Group(4, 3));
        Assert.Equal("need_attention", RfmScoring.Group(3, 3));
        Assert.Equal("about_to_sleep", RfmScoring.Group(3, 2));
        Assert.Equal("at_risk", RfmScoring.Group(2, 4));
        Assert.Equal("cant_lose", RfmScoring.Group(1, 5));
        Assert.Equal("hibernating", RfmScoring.Group(1, 2));
        Assert.Equal("lost", RfmScoring.Group(1, 1));
        // Every cell names one of the groups, and every group has a cell.
        var cells = Enumerable.Range(1, 5).SelectMany(r => Enumerable.Range(1, 5).Select(f => RfmScoring.Group(r, f))).ToHashSet();
        Assert.Equal(RfmScoring.Groups.Order(), cells.Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => RfmScoring.Group(0, 3));
        Assert.Empty(RfmScoring.Score([]));
    }
}
