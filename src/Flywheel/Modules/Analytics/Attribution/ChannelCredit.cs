namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// What one model gives one channel: a share of the conversions (fractional for every model but first and last touch)
/// and a share of the conversion value, rounded so that the channels' values add up exactly to the total.
/// </summary>
public sealed record ChannelCredit(string Channel, double Conversions, decimal Value);

/// <summary>
/// One model's attribution: a credit for every channel of the input (zero for channels it gives nothing), ordered by
/// channel name, with the totals it shares out.
/// </summary>
public sealed record ModelAttribution(AttributionModel Model, IReadOnlyList<ChannelCredit> Channels, long TotalConversions, decimal TotalValue)
{
    public ChannelCredit this[string channel] =>
        Channels.FirstOrDefault(c => c.Channel == channel) ?? throw new KeyNotFoundException($"No channel '{channel}' in the attribution.");
}
