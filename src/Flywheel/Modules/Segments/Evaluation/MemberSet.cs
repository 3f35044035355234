namespace Flywheel.Modules.Segments.Evaluation;

/// <summary>
/// Customers meeting a condition, held either as the customers themselves or as everyone except some: <c>not did
/// order_paid in last 30 days</c> is the complement of the buyers, and keeping it so spares reading every customer of
/// the workspace until an answer needs them.
/// </summary>
internal sealed class MemberSet
{
    private MemberSet(HashSet<string> ids, bool complement)
    {
        Ids = ids;
        IsComplement = complement;
    }

    /// <summary>The members, or (when <see cref="IsComplement"/>) the customers left out.</summary>
    public HashSet<string> Ids { get; }

    public bool IsComplement { get; }

    public static MemberSet Of(IEnumerable<string> ids) => new(new HashSet<string>(ids, StringComparer.Ordinal), false);

    public static MemberSet AllBut(IEnumerable<string> ids) => new(new HashSet<string>(ids, StringComparer.Ordinal), true);

    public MemberSet Not() => new(Ids, !IsComplement);

    public static MemberSet And(IReadOnlyList<MemberSet> sets)
    {
        var positives = sets.Where(s => !s.IsComplement).OrderBy(s => s.Ids.Count).ToList();
        var excluded = sets.Where(s => s.IsComplement).ToList();
        if (positives.Count == 0)
        {
            return new MemberSet(Union(excluded), true);
        }
        // Start from the smallest set; each step only shrinks it.
        var result = new HashSet<string>(positives[0].Ids, StringComparer.Ordinal);
        foreach (var s in positives.Skip(1))
        {
            result.IntersectWith(s.Ids);
        }
        foreach (var s in excluded)
        {
            result.ExceptWith(s.Ids);
        }
        return new MemberSet(result, false);
    }

    public static MemberSet Or(IReadOnlyList<MemberSet> sets)
    {
        var positives = sets.Where(s => !s.IsComplement).ToList();
        var excluded = sets.Where(s => s.IsComplement).OrderBy(s => s.Ids.Count).ToList();
        if (excluded.Count == 0)
        {
            return new MemberSet(Union(positives), false);
        }
        // Everyone but those every complement leaves out and no positive set takes in.
        var result = new HashSet<string>(excluded[0].Ids, StringComparer.Ordinal);
        foreach (var s in excluded.Skip(1))
        {
            result.IntersectWith(s.Ids);
        }
        foreach (var s in positives)
        {
            result.ExceptWith(s.Ids);
        }
        return new MemberSet(result, true);
    }

    /// <summary>The members among <paramref name="everyone"/>.</summary>
    public IEnumerable<string> Within(IEnumerable<string> everyone) =>
        IsComplement ? everyone.Where(id => !Ids.Contains(id)) : everyone.Where(Ids.Contains);

    private static HashSet<string> Union(IEnumerable<MemberSet> sets)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sets)
        {
            result.UnionWith(s.Ids);
        }
        return result;
    }
}
