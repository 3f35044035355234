namespace Flywheel.Modules.Promotions.Pricing;

/// <summary>Which promotions may be applied to the same cart.</summary>
public static class Stacking
{
    /// <summary>Two promotions combine when each lists the other's class and they do not share an exclusivity group.</summary>
    public static bool CanCombine(Promotion a, Promotion b) =>
        !SameGroup(a, b) && a.CombinesWith.Contains(b.Class) && b.CombinesWith.Contains(a.Class);

    public static bool SameGroup(Promotion a, Promotion b) =>
        a.ExclusivityGroup is not null && string.Equals(a.ExclusivityGroup, b.ExclusivityGroup, StringComparison.Ordinal);
}
