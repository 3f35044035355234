namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// The first-order transition counts of a set of paths: every path walks start → its touches → conversion or null, once
/// per conversion and once per null. States 0 … n−1 are the channels in name order and state n is the start.
/// </summary>
internal sealed class TransitionCounts
{
    private TransitionCounts(string[] channels)
    {
        Channels = channels;
        var states = channels.Length + 1;
        Between = new long[states, states];
        ToConversion = new long[states];
        ToNull = new long[states];
    }

    public string[] Channels { get; }

    public int Start => Channels.Length;

    /// <summary>Between[i, j]: how often state i was followed by state j (a channel repeated in a row counts i → i).</summary>
    public long[,] Between { get; }

    public long[] ToConversion { get; }

    public long[] ToNull { get; }

    /// <summary>How often the chain left state i for any state, itself included.</summary>
    public long Leaving(int state)
    {
        var total = ToConversion[state] + ToNull[state];
        for (var j = 0; j <= Channels.Length; j++)
        {
            total += Between[state, j];
        }
        return total;
    }

    /// <summary>Paths walked neither to a conversion nor to a null carry no transitions and are left out.</summary>
    public static TransitionCounts Of(IReadOnlyList<ConversionPath> paths)
    {
        var walked = paths.Where(p => p.Conversions + p.Nulls > 0).ToList();
        var channels = walked.SelectMany(p => p.Touches).Select(t => t.Channel).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = channels.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var counts = new TransitionCounts(channels);
        foreach (var path in walked)
        {
            var times = checked(path.Conversions + path.Nulls);
            var from = counts.Start;
            foreach (var touch in path.Touches)
            {
                var to = index[touch.Channel];
                counts.Between[from, to] = checked(counts.Between[from, to] + times);
                from = to;
            }
            counts.ToConversion[from] = checked(counts.ToConversion[from] + path.Conversions);
            counts.ToNull[from] = checked(counts.ToNull[from] + path.Nulls);
        }
        return counts;
    }
}
