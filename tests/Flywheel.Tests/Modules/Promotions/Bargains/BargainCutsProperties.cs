using CsCheck;
using Flywheel.Modules.Promotions.Bargains;

namespace Flywheel.Tests.Modules.Promotions.Bargains;

/// <summary>
/// For any feasible setting and any random draws, the configured number of cuts adds up exactly to start − floor and
/// every cut is within its bounds.
/// </summary>
public sealed class BargainCutsProperties
{
    /// <summary>Helpers, min and max drawn first; the total is then any amount those helps can reach exactly.</summary>
    private static readonly Gen<(long Total, int Helpers, long Min, long Max, int Seed)> GenSetting =
        Gen.Select(Gen.Int[1, 60], Gen.Long[1, 5_000], Gen.Long[0, 20_000], Gen.Long[0, 1_000_000], Gen.Int)
            .Select((helpers, min, spread, pick, seed) =>
            {
                var max = min + spread;
                // Any total in [helpers·min, helpers·max] is reachable; pick one in it.
                var total = (helpers * min) + (pick % ((helpers * (max - min)) + 1));
                return (total, helpers, min, max, seed);
            });

    [Fact]
    public void TheCuts_AddUpExactlyToStartMinusFloor_EachWithinItsBounds()
    {
        GenSetting.Sample(s =>
        {
            Assert.True(BargainCuts.Feasible(s.Total, s.Helpers, s.Min, s.Max));
            var random = new Random(s.Seed);
            var remaining = s.Total;
            for (var left = s.Helpers; left >= 1; left--)
            {
                var cut = BargainCuts.Next(remaining, left, s.Min, s.Max, random);
                Assert.InRange(cut, s.Min, s.Max);
                remaining -= cut;
            }
            Assert.Equal(0, remaining);
        });
    }

    [Fact]
    public void ADrawAtEitherEndOfTheRange_StillLeavesTheRestReachable()
    {
        // Always the lowest, or always the highest allowed cut: the sharpest tests of the range's ends.
        GenSetting.Sample(s =>
        {
            foreach (var takeHigh in new[] { false, true })
            {
                var remaining = s.Total;
                for (var left = s.Helpers; left >= 1; left--)
                {
                    var (low, high) = BargainCuts.Range(remaining, left, s.Min, s.Max);
                    Assert.True(low <= high, $"empty range with {remaining} left over {left} helps");
                    var cut = takeHigh ? high : low;
                    Assert.InRange(cut, s.Min, s.Max);
                    remaining -= cut;
                }
                Assert.Equal(0, remaining);
            }
        });
    }

    [Fact]
    public void AWorkedExample()
    {
        // ¥100 → ¥1 in 3 helps of ¥1–¥50 (in fen: 9900 over 3, cuts 100–5000). First help: at least
        // max(100, 9900 − 2·5000 = −100) = 100, at most min(5000, 9900 − 2·100 = 9700) = 5000.
        Assert.Equal((100L, 5000L), BargainCuts.Range(9900, 3, 100, 5000));
        // After a first cut of 100 (9800 left, 2 helps): at least 9800 − 5000 = 4800, at most 5000.
        Assert.Equal((4800L, 5000L), BargainCuts.Range(9800, 2, 100, 5000));
        // The last help cuts exactly what is left.
        Assert.Equal(4800L, BargainCuts.Next(4800, 1, 100, 5000, new Random(1)));
        Assert.False(BargainCuts.Feasible(9900, 1, 100, 5000)); // One help of at most 5000 cannot cut 9900.
    }
}
