namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>
/// Sharing an amount among parts (lines, stores) in proportion to weights, in whole minor units, so that the shares
/// add up exactly.
/// </summary>
public static class Allocation
{
    /// <summary>
    /// Largest remainder: every part gets the floor of its exact share, and the minor units left over go one each to
    /// the parts with the largest fractional remainders; equal remainders go to the earlier part (cart order).
    /// A part never gets more than its cap: what a capped part cannot take is shared again among the others by the
    /// same rule, until nothing is left or every part is full. The result sums to min(amount, Σ caps).
    /// When every uncapped part has weight zero, the remaining capacities serve as weights.
    /// </summary>
    public static long[] ProRata(long amount, IReadOnlyList<long> weights, IReadOnlyList<long> caps)
    {
        var count = weights.Count;
        var shares = new long[count];
        var full = new bool[count];
        var left = Math.Max(0, amount);
        for (var i = 0; i < count; i++)
        {
            full[i] = caps[i] <= 0;
        }
        // Each round either places everything or fills at least one more part, so there are at most count rounds.
        while (left > 0)
        {
            var open = OpenWeights(weights, caps, full);
            if (open is null)
            {
                break;
            }
            var round = LargestRemainder(left, open);
            var overflowed = false;
            for (var i = 0; i < count; i++)
            {
                if (!full[i] && round[i] >= caps[i])
                {
                    full[i] = true;
                    overflowed |= round[i] > caps[i];
                }
            }
            if (!overflowed)
            {
                for (var i = 0; i < count; i++)
                {
                    shares[i] += round[i];
                }
                return shares;
            }
            // Fix the parts that reached their cap and share the rest again among the open ones, from scratch.
            left = Math.Max(0, amount);
            for (var i = 0; i < count; i++)
            {
                shares[i] = full[i] ? Math.Max(0, caps[i]) : 0;
                left -= shares[i];
            }
        }
        return shares;
    }

    /// <summary>Largest remainder without caps.</summary>
    public static long[] ProRata(long amount, IReadOnlyList<long> weights) =>
        ProRata(amount, weights, weights.Select(_ => long.MaxValue).ToArray());

    private static long[]? OpenWeights(IReadOnlyList<long> weights, IReadOnlyList<long> caps, bool[] full)
    {
        var open = new long[weights.Count];
        var any = false;
        for (var i = 0; i < open.Length; i++)
        {
            if (!full[i] && weights[i] > 0)
            {
                open[i] = weights[i];
                any = true;
            }
        }
        if (any)
        {
            return open;
        }
        for (var i = 0; i < open.Length; i++)
        {
            if (!full[i])
            {
                open[i] = caps[i];
                any = true;
            }
        }
        return any ? open : null;
    }

    private static long[] LargestRemainder(long amount, long[] weights)
    {
        Int128 total = 0;
        foreach (var w in weights)
        {
            total += w;
        }
        // 128-bit division is slow; when the total fits in 64 bits, so does every remainder, and whenever a product
        // fits as well the same quotient and remainder come from a 64-bit division.
        var narrow = total <= long.MaxValue;
        var shares = new long[weights.Length];
        var remainders = narrow ? new long[weights.Length] : null;
        var wideRemainders = narrow ? null : new Int128[weights.Length];
        var given = 0L;
        for (var i = 0; i < weights.Length; i++)
        {
            var exact = (Int128)amount * weights[i];
            if (narrow && exact <= long.MaxValue)
            {
                (shares[i], remainders![i]) = Math.DivRem((long)exact, (long)total);
            }
            else if (narrow)
            {
                shares[i] = (long)(exact / total);
                remainders![i] = (long)(exact % total);
            }
            else
            {
                shares[i] = (long)(exact / total);
                wideRemainders![i] = exact % total;
            }
            given += shares[i];
        }
        // Fewer minor units are left over than there are parts with weight, so picking the largest remainder
        // (earliest on ties) once per unit left is cheap.
        while (given < amount)
        {
            var pick = -1;
            for (var i = 0; i < weights.Length; i++)
            {
                if (weights[i] > 0 && (pick < 0 || (narrow ? remainders![i] > remainders[pick] : wideRemainders![i] > wideRemainders[pick])))
                {
                    pick = i;
                }
            }
            shares[pick]++;
            if (narrow)
            {
                remainders![pick] = -1;
            }
            else
            {
                wideRemainders![pick] = -1;
            }
            given++;
        }
        return shares;
    }
}
