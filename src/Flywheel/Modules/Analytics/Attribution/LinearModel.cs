namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>Every touch of a path gets an equal share: in a > b > a, a gets 2/3 and b 1/3.</summary>
internal static class LinearModel
{
    public static Rational[] Shares(ConversionPath path)
    {
        var shares = new Rational[path.Touches.Count];
        Array.Fill(shares, Rational.Of(1, shares.Length));
        return shares;
    }
}
