namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// Exact running credit per channel while a model walks the paths; <see cref="Close"/> turns it into the model's
/// result. Every channel of the input is listed, so that a channel a model gives nothing to still shows as zero.
/// </summary>
internal sealed class CreditLedger
{
    private readonly IReadOnlyList<ConversionPath> paths;
    private readonly SortedDictionary<string, Rational> conversions = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Rational> value = new(StringComparer.Ordinal);

    public CreditLedger(IReadOnlyList<ConversionPath> paths)
    {
        this.paths = paths;
        foreach (var touch in paths.SelectMany(p => p.Touches))
        {
            conversions[touch.Channel] = Rational.Zero;
            value[touch.Channel] = Rational.Zero;
        }
    }

    /// <summary>Adds exact amounts of conversions and value to <paramref name="channel"/>'s credit.</summary>
    public void Credit(string channel, Rational conversionCredit, Rational valueCredit)
    {
        conversions[channel] += conversionCredit;
        value[channel] += valueCredit;
    }

    public ModelAttribution Close(AttributionModel model)
    {
        var totalConversions = paths.Sum(p => p.Conversions);
        var totalValue = paths.Sum(p => p.Value);
        var roundedValue = ValueSplit.Round(value, totalValue, ValueSplit.DecimalsFor(paths));
        var channels = conversions
            .Select(c => new ChannelCredit(c.Key, c.Value.ToDouble(), roundedValue[c.Key]))
            .ToList();
        return new ModelAttribution(model, channels, totalConversions, totalValue);
    }
}
