namespace Flywheel.Modules.Segments.Clustering;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a tiny generator
/// whose whole definition is below. Used instead of <see cref="Random"/> because clustering promises the same clusters
/// for the same seed on every machine and every .NET version, and the algorithm behind a seeded <see cref="Random"/> is
/// not part of .NET's contract.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong Next()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1): the top 53 bits as a fraction, exact in a double.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="bound"/>), without the bias of taking a remainder (Lemire's rejection).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var range = (ulong)bound;
        var threshold = (0UL - range) % range;
        while (true)
        {
            var product = Math.BigMul(Next(), range, out var low);
            if (low >= threshold)
            {
                return (int)product;
            }
        }
    }
}
