namespace Flywheel.Modules.Promotions.Bargains;

/// <summary>
/// How much one help cuts. With R left to cut and k helps to go, each cut within [min, max], the cut is drawn
/// uniformly from [max(min, R − (k−1)·max), min(max, R − (k−1)·min)]: whatever is drawn, what is left can still be cut
/// by the k−1 helps to come within their bounds, so the last help cuts exactly what is left and the price lands on
/// the floor. The range is never empty while (k)·min ≤ R ≤ k·max, which the campaign's validation guarantees at the
/// start and every cut keeps (docs/bargains.md has the argument).
/// </summary>
public static class BargainCuts
{
    public static long Next(long remaining, int helpsLeft, long min, long max, Random random)
    {
        if (helpsLeft <= 1)
        {
            return remaining;
        }
        var (low, high) = Range(remaining, helpsLeft, min, max);
        return random.NextInt64(low, high + 1);
    }

    /// <summary>The cuts the next help may make, both ends included.</summary>
    public static (long Low, long High) Range(long remaining, int helpsLeft, long min, long max) =>
        helpsLeft <= 1
            ? (remaining, remaining)
            : (Math.Max(min, remaining - ((helpsLeft - 1) * max)), Math.Min(max, remaining - ((helpsLeft - 1) * min)));

    /// <summary>Whether <paramref name="helpers"/> cuts within [min, max] can add up to exactly <paramref name="total"/>.</summary>
    public static bool Feasible(long total, int helpers, long min, long max) =>
        helpers >= 1 && min <= max && helpers * min <= total && total <= helpers * max;
}
