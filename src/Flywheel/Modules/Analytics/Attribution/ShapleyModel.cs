using System.Numerics;

namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// Data-driven attribution by the Shapley value of a cooperative game among the channels. The worth of a coalition S is
/// what the paths whose channels all lie in S brought in: v(S) = Σ conversions (or value) of paths with set(path) ⊆ S.
/// This characteristic function needs nothing but the paths (no model of what a path would have done without a channel)
/// and gives v(all channels) = the total, so the Shapley values share out exactly the total conversions and value.
/// <para>
/// φ_c = Σ over S ⊆ N∖{c} of |S|!·(n−|S|−1)!/n! · (v(S∪{c}) − v(S)), enumerated exactly over all 2^n coalitions of the
/// n channels on converting paths (channels only on paths without conversions are null players and get nothing). The
/// enumeration is refused above <see cref="MaxChannels"/> channels rather than approximated.
/// </para>
/// </summary>
internal static class ShapleyModel
{
    /// <summary>2^15 coalitions: a fraction of a second. Each channel more doubles the work.</summary>
    public const int MaxChannels = 15;

    public static ModelAttribution Run(IReadOnlyList<ConversionPath> paths)
    {
        var ledger = new CreditLedger(paths);
        var converting = paths.Where(p => p.Conversions > 0).ToList();
        var players = converting.SelectMany(p => p.Touches).Select(t => t.Channel).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (players.Length > MaxChannels)
        {
            throw new AttributionInputException(
                $"The Shapley model enumerates every coalition of channels and takes at most {MaxChannels} channels on converting paths; the input has {players.Length}.");
        }
        if (players.Length == 0)
        {
            return ledger.Close(AttributionModel.Shapley);
        }
        var conversionWorth = Worth(converting, players, p => p.Conversions);
        var valueWorth = Worth(converting, players, p => p.Value);
        for (var c = 0; c < players.Length; c++)
        {
            ledger.Credit(players[c], ShapleyValue(conversionWorth, players.Length, c), ShapleyValue(valueWorth, players.Length, c));
        }
        return ledger.Close(AttributionModel.Shapley);
    }

    /// <summary>v(S) for every coalition S (a bit mask over the players): each path's amount counted at its own set,
    /// then added up over subsets, one player at a time.</summary>
    private static decimal[] Worth(List<ConversionPath> paths, string[] players, Func<ConversionPath, decimal> amount)
    {
        var bit = players.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => 1 << x.i, StringComparer.Ordinal);
        var worth = new decimal[1 << players.Length];
        foreach (var path in paths)
        {
            var set = path.Touches.Aggregate(0, (mask, t) => mask | bit[t.Channel]);
            worth[set] += amount(path);
        }
        for (var i = 0; i < players.Length; i++)
        {
            for (var mask = 0; mask < worth.Length; mask++)
            {
                if ((mask & (1 << i)) != 0)
                {
                    worth[mask] += worth[mask ^ (1 << i)];
                }
            }
        }
        return worth;
    }

    /// <summary>
    /// φ_c, exact: the marginal contributions are whole sums of the input's decimals, added up per coalition size k and
    /// weighted by k!(n−k−1)!/n! as fractions only once per size.
    /// </summary>
    private static Rational ShapleyValue(decimal[] worth, int players, int player)
    {
        var marginalBySize = new decimal[players];
        var own = 1 << player;
        for (var mask = 0; mask < worth.Length; mask++)
        {
            if ((mask & own) == 0)
            {
                marginalBySize[BitOperations.PopCount((uint)mask)] += worth[mask | own] - worth[mask];
            }
        }
        var value = Rational.Zero;
        for (var size = 0; size < players; size++)
        {
            var weight = Rational.Of(Factorial(size) * Factorial(players - size - 1), Factorial(players));
            value += Rational.Of(marginalBySize[size]) * weight;
        }
        return value;
    }

    private static BigInteger Factorial(int n)
    {
        var product = BigInteger.One;
        for (var i = 2; i <= n; i++)
        {
            product *= i;
        }
        return product;
    }
}
