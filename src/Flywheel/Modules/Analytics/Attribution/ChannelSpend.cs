namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// What was spent on each channel over the period, and the gross margin that turns attributed revenue into attributed
/// gross profit for ROI (SPEC §5: ROI = (attributed gross profit − cost) / cost). Without a margin ROI is unknown and
/// only ROAS is computed.
/// </summary>
public sealed record ChannelSpend
{
    public ChannelSpend(IReadOnlyDictionary<string, decimal> byChannel, decimal? grossMargin)
    {
        ArgumentNullException.ThrowIfNull(byChannel);
        if (grossMargin is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(grossMargin), grossMargin, "The gross margin is a share of revenue, above 0 and at most 1.");
        }
        if (byChannel.FirstOrDefault(s => s.Value < 0) is { Key: not null } negative)
        {
            throw new ArgumentOutOfRangeException(nameof(byChannel), negative.Value, $"The spend on '{negative.Key}' is negative.");
        }
        ByChannel = new Dictionary<string, decimal>(byChannel, StringComparer.Ordinal);
        GrossMargin = grossMargin;
    }

    public IReadOnlyDictionary<string, decimal> ByChannel { get; }

    /// <summary>Gross profit / revenue, e.g. 0.35; 1 makes ROI a return on revenue; null when unknown.</summary>
    public decimal? GrossMargin { get; }
}
