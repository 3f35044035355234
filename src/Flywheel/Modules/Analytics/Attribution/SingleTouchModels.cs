namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>The models that give a whole conversion to one touch of its path.</summary>
internal static class SingleTouchModels
{
    public static Rational[] FirstTouch(ConversionPath path) => PathByPath.AllTo(0, path.Touches.Count);

    public static Rational[] LastTouch(ConversionPath path) => PathByPath.AllTo(path.Touches.Count - 1, path.Touches.Count);

    /// <summary>
    /// The last touch that was not a direct visit: a direct visit usually only completes what another channel started.
    /// When every touch is direct, the last touch gets the credit, so that no conversion goes unattributed.
    /// </summary>
    public static Rational[] LastNonDirect(ConversionPath path)
    {
        var touches = path.Touches;
        for (var i = touches.Count - 1; i >= 0; i--)
        {
            if (!touches[i].IsDirect)
            {
                return PathByPath.AllTo(i, touches.Count);
            }
        }
        return LastTouch(path);
    }
}
