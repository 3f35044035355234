namespace Flywheel.Modules.Customers.Rfm;

/// <summary>A buying customer's recency, frequency and monetary value, as scoring needs them.</summary>
/// <param name="CustomerId">The shop's id of the customer.</param>
/// <param name="LastOrderAt">Payment time of the last paid order.</param>
/// <param name="Orders">Paid orders.</param>
/// <param name="SpendMinor">Total of the paid orders, minor units of the workspace currency.</param>
public sealed record RfmInput(string CustomerId, DateTimeOffset LastOrderAt, int Orders, long SpendMinor);

/// <summary>Scores 1–5 (5 best) and the group they put the customer in.</summary>
public sealed record RfmResult(string CustomerId, int R, int F, int M, string Group);

/// <summary>
/// RFM scores by quintiles within the workspace, and the named groups. Pure: the same customers give the same scores.
/// <para><b>Quintile rule.</b> A customer's score on a measure is 1 + ⌊5 × b / n⌋, where n is the number of buying
/// customers and b how many of them are strictly worse on that measure (recency: a later last order is better;
/// frequency and money: more is better). Equal values get equal scores, the best customer 5 once n ≥ 5, and each score
/// covers a fifth of the ranks. Example, frequencies 1, 1, 1, 2, 5 (n = 5): the three 1s have b = 0 → 1; the 2 has
/// b = 3 → 1 + ⌊15/5⌋ = 4; the 5 has b = 4 → 5.</para>
/// <para><b>Groups</b> read R against F (M refines nothing in the usual map and is reported beside it):</para>
/// <code>
///        F=1              F=2                 F=3                 F=4         F=5
/// R=5   recent           potential_loyalists potential_loyalists champions   champions
/// R=4   promising        potential_loyalists potential_loyalists loyal       loyal
/// R=3   about_to_sleep   about_to_sleep      need_attention      loyal       loyal
/// R=2   hibernating      hibernating         at_risk             at_risk     cant_lose
/// R=1   lost             hibernating         at_risk             at_risk     cant_lose
/// </code>
/// </summary>
public static class RfmScoring
{
    public static IReadOnlyList<RfmResult> Score(IReadOnlyList<RfmInput> customers)
    {
        var n = customers.Count;
        // "Strictly worse than v" counts by binary search over the sorted values.
        var recency = customers.Select(c => c.LastOrderAt.UtcTicks).Order().ToArray();
        var frequency = customers.Select(c => c.Orders).Order().ToArray();
        var money = customers.Select(c => c.SpendMinor).Order().ToArray();
        return customers
            .Select(c =>
            {
                var r = Quintile(LowerBound(recency, c.LastOrderAt.UtcTicks), n);
                var f = Quintile(LowerBound(frequency, c.Orders), n);
                var m = Quintile(LowerBound(money, c.SpendMinor), n);
                return new RfmResult(c.CustomerId, r, f, m, Group(r, f));
            })
            .OrderBy(x => x.CustomerId, StringComparer.Ordinal)
            .ToList();
    }

    private static readonly string[,] Grid =
    {
        { "lost", "hibernating", "at_risk", "at_risk", "cant_lose" },
        { "hibernating", "hibernating", "at_risk", "at_risk", "cant_lose" },
        { "about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal" },
        { "promising", "potential_loyalists", "potential_loyalists", "loyal", "loyal" },
        { "recent", "potential_loyalists", "potential_loyalists", "champions", "champions" },
    };

    /// <summary>The named group of an R and an F score, each 1–5.</summary>
    public static string Group(int r, int f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(r, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(r, 5);
        ArgumentOutOfRangeException.ThrowIfLessThan(f, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(f, 5);
        return Grid[r - 1, f - 1];
    }

    /// <summary>Every group name, best first (the order reports and the console list them in).</summary>
    public static IReadOnlyList<string> Groups { get; } =
    [
        "champions", "loyal", "potential_loyalists", "recent", "promising", "need_attention", "about_to_sleep",
        "at_risk", "cant_lose", "hibernating", "lost",
    ];

    private static int Quintile(int worse, int n) => 1 + (int)(5L * worse / n);

    /// <summary>How many of the ascending <paramref name="sorted"/> values are less than <paramref name="value"/>.</summary>
    private static int LowerBound<T>(T[] sorted, T value) where T : IComparable<T>
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid].CompareTo(value) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
