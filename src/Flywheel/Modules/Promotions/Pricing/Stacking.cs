namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>Which promotions may be applied to the same cart.</summary>
public static class Stacking
{
    /// <summary>Two promotions combine when each lists the other's class and they do not share an exclusivity group.</summary>
    public static bool CanCombine(Promotion a, Promotion b) =>
        !SameGroup(a, b) && a.CombinesWith.Contains(b.Class) && b.CombinesWith.Contains(a.Class);

    public static bool SameGroup(Promotion a, Promotion b) =>
        a.ExclusivityGroup is not null && string.Equals(a.ExclusivityGroup, b.ExclusivityGroup, StringComparison.Ordinal);

    /// <summary>
    /// Whether two promotions may be applied to this cart together. Item promotions price lines, so two of them
    /// compete only where they touch the same line: "20% off shoes" and "10% off hats" both apply to a cart with shoes
    /// and hats even if neither stacks with other item promotions (the best valid set is chosen per line).
    /// Order and shipping promotions act on the whole cart, so their rules hold cart-wide.
    /// </summary>
    internal static bool Compatible(Candidate a, Candidate b)
    {
        if (a.Promotion.Class == PromotionClass.Item && b.Promotion.Class == PromotionClass.Item && !ShareALine(a.InScope, b.InScope))
        {
            return true;
        }
        return CanCombine(a.Promotion, b.Promotion);
    }

    private static bool ShareALine(bool[] a, bool[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] && b[i])
            {
                return true;
            }
        }
        return false;
    }
}
