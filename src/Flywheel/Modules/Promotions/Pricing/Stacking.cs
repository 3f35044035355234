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

/// <summary>
/// <see cref="Stacking.Compatible"/> for every pair of a set of candidates, with what it compares worked out once per
/// candidate: the classes it combines with as bits, its exclusivity group as a number, its lines as bits (carts of up
/// to 64 lines; longer ones compare line by line).
/// </summary>
internal sealed class StackingFacts
{
    private readonly Candidate[] _candidates;
    private readonly int[] _combinesWith;
    private readonly int[] _group;
    private readonly ulong[]? _lines;

    public StackingFacts(Candidate[] candidates, int lineCount)
    {
        _candidates = candidates;
        _combinesWith = new int[candidates.Length];
        _group = new int[candidates.Length];
        _lines = lineCount <= 64 ? new ulong[candidates.Length] : null;
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < candidates.Length; k++)
        {
            var promotion = candidates[k].Promotion;
            foreach (var @class in promotion.CombinesWith)
            {
                _combinesWith[k] |= Bit(@class);
            }
            _group[k] = -1;
            if (promotion.ExclusivityGroup is { } name)
            {
                if (!groups.TryGetValue(name, out var number))
                {
                    number = groups.Count;
                    groups[name] = number;
                }
                _group[k] = number;
            }
            if (_lines is not null)
            {
                var scope = candidates[k].InScope;
                for (var i = 0; i < scope.Length; i++)
                {
                    if (scope[i])
                    {
                        _lines[k] |= 1UL << i;
                    }
                }
            }
        }
    }

    public bool Compatible(int a, int b)
    {
        var (x, y) = (_candidates[a].Promotion, _candidates[b].Promotion);
        if (x.Class == PromotionClass.Item && y.Class == PromotionClass.Item && !ShareALine(a, b))
        {
            return true;
        }
        var sameGroup = _group[a] >= 0 && _group[a] == _group[b];
        return !sameGroup && (_combinesWith[a] & Bit(y.Class)) != 0 && (_combinesWith[b] & Bit(x.Class)) != 0;
    }

    private bool ShareALine(int a, int b)
    {
        if (_lines is not null)
        {
            return (_lines[a] & _lines[b]) != 0;
        }
        var (x, y) = (_candidates[a].InScope, _candidates[b].InScope);
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] && y[i])
            {
                return true;
            }
        }
        return false;
    }

    private static int Bit(PromotionClass @class) => 1 << (int)@class;
}
