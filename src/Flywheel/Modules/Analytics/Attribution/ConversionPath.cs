namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// An ordered list of touches and what came of it: how many times this path ended in a conversion (with their total
/// value) and how many times it ended without one (nulls). One row of the ChannelAttribution layout is one path; a path
/// built from a customer's orders has one conversion or one null.
/// </summary>
public sealed class ConversionPath
{
    public ConversionPath(IReadOnlyList<Touch> touches, long conversions, decimal value, long nulls, DateTimeOffset? convertedAt = null)
    {
        ArgumentNullException.ThrowIfNull(touches);
        if (touches.Count == 0)
        {
            throw new ArgumentException("A conversion path needs at least one touch.", nameof(touches));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(conversions);
        ArgumentOutOfRangeException.ThrowIfNegative(nulls);
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (conversions == 0 && value != 0)
        {
            throw new ArgumentException("A path without conversions cannot carry conversion value.", nameof(value));
        }
        if (convertedAt is { } end && touches.Any(t => t.At > end))
        {
            throw new ArgumentException("A touch cannot come after the conversion it led to.", nameof(touches));
        }
        Touches = [.. touches];
        Conversions = conversions;
        Value = value;
        Nulls = nulls;
        ConvertedAt = convertedAt;
    }

    public IReadOnlyList<Touch> Touches { get; }

    public long Conversions { get; }

    /// <summary>The total value of the path's conversions, in the workspace currency, exact.</summary>
    public decimal Value { get; }

    public long Nulls { get; }

    /// <summary>When the conversion happened; the time decay model measures each touch's age from here.</summary>
    public DateTimeOffset? ConvertedAt { get; }
}
