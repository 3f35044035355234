namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>The knobs of the models that have any.</summary>
public sealed record AttributionSettings
{
    /// <summary>Seven days, the half-life most analytics tools start from.</summary>
    public static readonly TimeSpan DefaultHalfLife = TimeSpan.FromDays(7);

    public AttributionSettings(TimeSpan? timeDecayHalfLife = null)
    {
        var halfLife = timeDecayHalfLife ?? DefaultHalfLife;
        if (halfLife <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeDecayHalfLife), halfLife, "The time decay half-life must be positive.");
        }
        TimeDecayHalfLife = halfLife;
    }

    /// <summary>A touch this long before the conversion weighs half as much as one at the moment of conversion.</summary>
    public TimeSpan TimeDecayHalfLife { get; }
}
