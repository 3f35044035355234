namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// Touches closer to the conversion weigh more: a touch Δt before it weighs 2^(−Δt / half-life), and the path's credit
/// is shared in proportion to the weights. The model needs the time of every touch of a converting path and of the
/// conversion; input without them (such as the ChannelAttribution layout) is refused with an error naming the path.
/// </summary>
internal static class TimeDecayModel
{
    public static Func<ConversionPath, Rational[]> Shares(TimeSpan halfLife) => path =>
    {
        var ages = Ages(path);
        // Weights relative to the youngest touch, so the largest is exactly 1 and old touches underflow to 0 rather
        // than every weight of a path from long ago underflowing together.
        var youngest = ages.Min();
        var weights = ages.Select(age => Rational.Of(Math.Pow(2, -(age - youngest).TotalSeconds / halfLife.TotalSeconds))).ToArray();
        var sum = weights.Aggregate(Rational.Zero, (a, b) => a + b);
        return [.. weights.Select(w => w / sum)];
    };

    private static TimeSpan[] Ages(ConversionPath path)
    {
        if (path.ConvertedAt is not { } convertedAt)
        {
            throw new AttributionInputException(
                $"The time decay model needs the conversion time of every converting path; the path {Describe(path)} has none.");
        }
        return [.. path.Touches.Select(t => t.At is { } at
            ? convertedAt - at
            : throw new AttributionInputException(
                $"The time decay model needs the time of every touch; the path {Describe(path)} has a touch through '{t.Channel}' without one."))];
    }

    private static string Describe(ConversionPath path) => string.Join(" > ", path.Touches.Select(t => t.Channel));
}
