using Flywheel.Modules.Segments.Clustering;

namespace Flywheel.Tests.Modules.Segments.Clustering;

public sealed class SplitMix64Tests
{
    [Fact]
    public void SeedZero_GivesTheReferenceSequence()
    {
        // The first outputs of Vigna's reference splitmix64.c started from state 0, as widely published.
        var random = new SplitMix64(0);

        Assert.Equal(0xE220A8397B1DCDAFUL, random.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.Next());
        Assert.Equal(0x06C45D188009454FUL, random.Next());
    }

    [Fact]
    public void NextInt_StaysInItsRange_AndReachesEveryValue()
    {
        var random = new SplitMix64(5);
        var seen = new int[7];
        for (var i = 0; i < 7000; i++)
        {
            seen[random.NextInt(7)]++;
        }
        Assert.All(seen, count => Assert.InRange(count, 800, 1200));
    }

    [Fact]
    public void NextDouble_IsTheTop53BitsAsAFraction()
    {
        // The first output's top 53 bits over 2^53.
        Assert.Equal((0xE220A8397B1DCDAFUL >> 11) / 9007199254740992.0, new SplitMix64(0).NextDouble());
    }
}
