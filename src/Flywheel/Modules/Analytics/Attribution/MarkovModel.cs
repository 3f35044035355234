namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// Data-driven attribution by the removal effect of a first-order Markov chain over the paths (conversions and nulls
/// alike). The removal effect of channel c is RE_c = 1 − P(conversion with c removed) / P(conversion), where removing
/// c sends every visit to c to null; the total conversions are shared in proportion to the removal effects,
/// RE_c / Σ RE, and so is the total value. Everything is exact fractions until the final rounding.
/// </summary>
internal static class MarkovModel
{
    public static ModelAttribution Run(IReadOnlyList<ConversionPath> paths)
    {
        var ledger = new CreditLedger(paths);
        var effects = RemovalEffects(paths);
        var sum = effects.Values.Aggregate(Rational.Zero, (a, b) => a + b);
        if (!sum.IsZero)
        {
            var totalConversions = Rational.Of(paths.Sum(p => p.Conversions));
            var totalValue = Rational.Of(paths.Sum(p => p.Value));
            foreach (var (channel, effect) in effects)
            {
                var share = effect / sum;
                ledger.Credit(channel, totalConversions * share, totalValue * share);
            }
        }
        return ledger.Close(AttributionModel.Markov);
    }

    /// <summary>RE_c for every channel on a path that was walked; all zero when nothing converted.</summary>
    public static Dictionary<string, Rational> RemovalEffects(IReadOnlyList<ConversionPath> paths)
    {
        var counts = TransitionCounts.Of(paths);
        var full = AbsorbingChain.ConversionProbability(counts);
        var effects = new Dictionary<string, Rational>(StringComparer.Ordinal);
        for (var c = 0; c < counts.Channels.Length; c++)
        {
            effects[counts.Channels[c]] = full.IsZero
                ? Rational.Zero
                : Rational.One - (AbsorbingChain.ConversionProbability(counts, removed: c) / full);
        }
        return effects;
    }
}
