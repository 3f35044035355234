namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// Runs a model that shares each converting path out among its own touches (every model but Markov and Shapley). The
/// shares of one path are given per touch, in path order, and add up to one; a channel that appears twice on a path
/// gets both touches' shares. Paths without conversions have nothing to share.
/// </summary>
internal static class PathByPath
{
    public static ModelAttribution Run(AttributionModel model, IReadOnlyList<ConversionPath> paths, Func<ConversionPath, Rational[]> touchShares)
    {
        var ledger = new CreditLedger(paths);
        foreach (var path in paths.Where(p => p.Conversions > 0))
        {
            var shares = touchShares(path);
            // Added up per channel first: long paths repeat a few channels, and each credit costs two exact products.
            var byChannel = new Dictionary<string, Rational>(StringComparer.Ordinal);
            for (var i = 0; i < shares.Length; i++)
            {
                var channel = path.Touches[i].Channel;
                byChannel[channel] = byChannel.GetValueOrDefault(channel, Rational.Zero) + shares[i];
            }
            var conversions = Rational.Of(path.Conversions);
            var value = Rational.Of(path.Value);
            foreach (var (channel, share) in byChannel.Where(s => !s.Value.IsZero))
            {
                ledger.Credit(channel, conversions * share, value * share);
            }
        }
        return ledger.Close(model);
    }

    /// <summary>All of the credit to the touch at <paramref name="index"/>.</summary>
    public static Rational[] AllTo(int index, int length)
    {
        var shares = new Rational[length];
        Array.Fill(shares, Rational.Zero);
        shares[index] = Rational.One;
        return shares;
    }
}
