namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// The U-shaped model, 40/20/40: the first and the last touch get 40 % each and the touches between them share the
/// remaining 20 % equally. With nothing in between the 20 % has no one to go to, so a two-touch path is split 50/50;
/// a one-touch path gives its touch everything.
/// </summary>
internal static class PositionBasedModel
{
    private static readonly Rational EndShare = Rational.Of(2, 5);
    private static readonly Rational MiddleShare = Rational.Of(1, 5);

    public static Rational[] Shares(ConversionPath path)
    {
        var count = path.Touches.Count;
        switch (count)
        {
            case 1:
                return [Rational.One];
            case 2:
                return [Rational.Of(1, 2), Rational.Of(1, 2)];
        }
        var shares = new Rational[count];
        var middle = MiddleShare / Rational.Of(count - 2);
        Array.Fill(shares, middle);
        shares[0] = EndShare;
        shares[^1] = EndShare;
        return shares;
    }
}
