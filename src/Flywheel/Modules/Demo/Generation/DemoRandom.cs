namespace Flywheel.Modules.Demo.Generation;

/// <summary>
/// xoshiro256** seeded through SplitMix64 (Blackman and Vigna, https://prng.di.unimi.it/): fast, and the same sequence on
/// every platform and .NET version, which <see cref="Random"/> with a seed does not promise. A generator per customer,
/// derived from (seed, customer number), lets any customer be generated alone and in any order.
/// </summary>
public sealed class DemoRandom
{
    private ulong s0, s1, s2, s3;

    public DemoRandom(long seed, long stream = 0)
    {
        var x = (ulong)seed ^ (0x9E3779B97F4A7C15UL * (ulong)(stream + 1));
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n).</summary>
    public int Next(int n) => (int)((NextUInt64() >> 33) * (ulong)n >> 31);

    /// <summary>Uniform in [min, max].</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    public double Between(double min, double max) => min + NextDouble() * (max - min);

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>An index drawn with probability proportional to <paramref name="weights"/>.</summary>
    public int Weighted(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            total += weights[i];
        }
        var r = NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            r -= weights[i];
            if (r < 0)
            {
                return i;
            }
        }
        return weights.Count - 1;
    }

    /// <summary>An index drawn from a cumulative distribution (ascending, last element the total).</summary>
    public int FromCumulative(double[] cumulative)
    {
        var r = NextDouble() * cumulative[^1];
        var i = Array.BinarySearch(cumulative, r);
        i = i < 0 ? ~i : i + 1;
        return Math.Min(i, cumulative.Length - 1);
    }

    /// <summary>Standard normal (Box–Muller).</summary>
    public double Normal()
    {
        var u = 1.0 - NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * NextDouble());
    }

    /// <summary>Poisson with mean <paramref name="mean"/> (Knuth's method; the means used here are small).</summary>
    public int Poisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = NextDouble();
        while (p > limit)
        {
            k++;
            p *= NextDouble();
        }
        return k;
    }

    /// <summary>A hex token of 16 characters, for anonymous ids.</summary>
    public string Token() => NextUInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
}
