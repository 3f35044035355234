namespace Flywheel.Modules.Promotions.Pricing;

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
