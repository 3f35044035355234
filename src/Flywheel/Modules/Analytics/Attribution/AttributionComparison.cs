namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// One channel's conversions, value and returns under one model. Roi is (value × gross margin − spend) / spend and Roas
/// is value / spend, both rounded to 4 decimals and null without spend.
/// </summary>
public sealed record ModelCredit(AttributionModel Model, double Conversions, decimal Value, decimal? Roi, decimal? Roas);

/// <summary>One channel side by side under every model compared.</summary>
public sealed record ChannelComparison(string Channel, decimal? Spend, IReadOnlyList<ModelCredit> ByModel)
{
    public ModelCredit this[AttributionModel model] =>
        ByModel.FirstOrDefault(m => m.Model == model) ?? throw new KeyNotFoundException($"The model {model} was not compared.");
}

/// <summary>
/// Several models over the same paths, channel by channel, with ROI and ROAS per channel and model when spend is given
/// (SPEC §5). A channel with spend but no touches is listed too: it cost money and brought nothing in.
/// </summary>
public sealed record AttributionComparison(IReadOnlyList<ModelAttribution> Models, IReadOnlyList<ChannelComparison> Channels)
{
    public static AttributionComparison Of(
        IReadOnlyList<ConversionPath> paths,
        IReadOnlyList<AttributionModel> models,
        AttributionSettings? settings = null,
        ChannelSpend? spend = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        var results = models.Distinct().Select(m => AttributionEngine.Run(m, paths, settings)).ToList();
        var channels = results.SelectMany(r => r.Channels).Select(c => c.Channel)
            .Concat(spend?.ByChannel.Keys ?? [])
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Select(channel => Compare(channel, results, spend))
            .ToList();
        return new AttributionComparison(results, channels);
    }

    public ChannelComparison this[string channel] =>
        Channels.FirstOrDefault(c => c.Channel == channel) ?? throw new KeyNotFoundException($"No channel '{channel}' in the comparison.");

    private static ChannelComparison Compare(string channel, List<ModelAttribution> results, ChannelSpend? spend)
    {
        decimal? cost = spend is not null && spend.ByChannel.TryGetValue(channel, out var s) ? s : null;
        var byModel = results.Select(result =>
        {
            var credit = result.Channels.FirstOrDefault(c => c.Channel == channel);
            var value = credit?.Value ?? 0m;
            return new ModelCredit(result.Model, credit?.Conversions ?? 0, value, Roi(value, cost, spend?.GrossMargin), Roas(value, cost));
        }).ToList();
        return new ChannelComparison(channel, cost, byModel);
    }

    /// <summary>Null when nothing was spent: a return on nothing is not a number.</summary>
    private static decimal? Roi(decimal value, decimal? cost, decimal? grossMargin) =>
        cost is > 0 && grossMargin is { } margin ? Ratio((value * margin) - cost.Value, cost.Value) : null;

    private static decimal? Roas(decimal value, decimal? cost) => cost is > 0 ? Ratio(value, cost.Value) : null;

    private static decimal Ratio(decimal numerator, decimal denominator) =>
        decimal.Round(numerator / denominator, 4, MidpointRounding.AwayFromZero);
}
