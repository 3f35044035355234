using System.Globalization;

namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>Which paths a channel-path Sankey shows and how large it is drawn.</summary>
public sealed record SankeyOptions
{
    public const int MaxTopPaths = 50;
    public const int MaxMaxSteps = 10;

    /// <summary>How many of the most frequent paths are drawn.</summary>
    public int TopPaths { get; init; } = 10;

    /// <summary>Whether paths that ended without a conversion are drawn too, flowing into a "no conversion" node.</summary>
    public bool IncludeNonConverting { get; init; }

    /// <summary>Longer paths keep their last touches, the ones nearest the outcome.</summary>
    public int MaxSteps { get; init; } = 5;

    public double Width { get; init; } = 960;
    public double Height { get; init; } = 420;
    public double NodeWidth { get; init; } = 14;
    public double NodeGap { get; init; } = 12;

    /// <summary>Room left of the first column and right of the last for their labels.</summary>
    public double LabelMargin { get; init; } = 110;
}

/// <summary>A distinct channel path drawn in the Sankey: its touches and how often it converted or did not.</summary>
public sealed record SankeyPath(IReadOnlyList<string> Channels, long Conversions, long NonConversions);

/// <summary>
/// A node: a channel at a step of the path (<see cref="Kind"/> "touch", <see cref="Step"/> from 1), or an outcome in
/// the last column ("conversion" or "null"). Geometry in SVG user units, y downwards.
/// </summary>
public sealed record SankeyNode(string Id, string Label, string Kind, int Step, long Weight, double X, double Y, double Width, double Height);

/// <summary>A flow between two nodes: how many paths took it, and the band that draws it (a stroked cubic curve).</summary>
public sealed record SankeyLink(string Source, string Target, long Weight, double Thickness, double SourceY, double TargetY, string Path);

public sealed record SankeyLayout(double Width, double Height, IReadOnlyList<SankeyPath> Paths, IReadOnlyList<SankeyNode> Nodes, IReadOnlyList<SankeyLink> Links);

/// <summary>
/// Lays out the most frequent channel paths as a Sankey diagram: column k holds the channels of touch k, the last column
/// the outcomes; a path of weight w (its conversions, plus its non-conversions when those are drawn) adds w to every link
/// along it. Nodes in a column are stacked largest first with a fixed gap, all columns on one scale (the fullest column
/// fills the height); a node is as tall as the larger of what flows in and out, and links leave and enter a node in
/// the order of the nodes at their other end, so bands do not cross at the node. Pure: paths in, geometry out.
/// </summary>
public static class ChannelPathSankey
{
    public const string Conversion = "conversion";
    public const string NoConversion = "null";

    public static SankeyLayout Layout(IEnumerable<ConversionPath> paths, SankeyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= new SankeyOptions();
        var top = TopPaths(paths, options);
        var steps = top.Count == 0 ? 0 : top.Max(p => p.Channels.Count);

        var links = new Dictionary<(string Source, string Target), long>();
        var nodes = new Dictionary<string, (string Label, string Kind, int Step)>(StringComparer.Ordinal);
        foreach (var path in top)
        {
            var weight = Weight(path, options);
            for (var i = 0; i < path.Channels.Count; i++)
            {
                var id = TouchId(i + 1, path.Channels[i]);
                nodes.TryAdd(id, (path.Channels[i], "touch", i + 1));
                if (i > 0)
                {
                    Add(links, TouchId(i, path.Channels[i - 1]), id, weight);
                }
            }
            var last = TouchId(path.Channels.Count, path.Channels[^1]);
            if (path.Conversions > 0)
            {
                nodes.TryAdd(Conversion, (Conversion, Conversion, steps + 1));
                Add(links, last, Conversion, path.Conversions);
            }
            if (options.IncludeNonConverting && path.NonConversions > 0)
            {
                nodes.TryAdd(NoConversion, (NoConversion, NoConversion, steps + 1));
                Add(links, last, NoConversion, path.NonConversions);
            }
        }
        return Place(options, top, steps, nodes, links);
    }

    /// <summary>Distinct paths (cut to their last steps) ranked by weight, then by their channels, the first few kept.</summary>
    public static IReadOnlyList<SankeyPath> TopPaths(IEnumerable<ConversionPath> paths, SankeyOptions options)
    {
        var byChannels = new Dictionary<string, (string[] Channels, long Conversions, long Nulls)>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var channels = path.Touches.Skip(Math.Max(0, path.Touches.Count - options.MaxSteps)).Select(t => t.Channel).ToArray();
            // A channel name cannot hold a line feed (it is a UTM value of one line), so it separates them safely.
            var key = string.Join('\n', channels);
            var (_, conversions, nulls) = byChannels.GetValueOrDefault(key, (channels, 0, 0));
            byChannels[key] = (channels, conversions + path.Conversions, nulls + path.Nulls);
        }
        return [.. byChannels
            .Select(p => new SankeyPath(p.Value.Channels, p.Value.Conversions, p.Value.Nulls))
            .Where(p => Weight(p, options) > 0)
            .OrderByDescending(p => Weight(p, options))
            .ThenBy(p => string.Join('\n', p.Channels), StringComparer.Ordinal)
            .Take(options.TopPaths)];
    }

    private static long Weight(SankeyPath path, SankeyOptions options) =>
        path.Conversions + (options.IncludeNonConverting ? path.NonConversions : 0);

    private static string TouchId(int step, string channel) => $"{step}:{channel}";

    private static void Add(Dictionary<(string, string), long> links, string source, string target, long weight) =>
        links[(source, target)] = links.GetValueOrDefault((source, target)) + weight;

    private static SankeyLayout Place(
        SankeyOptions o, IReadOnlyList<SankeyPath> top, int steps, Dictionary<string, (string Label, string Kind, int Step)> nodes,
        Dictionary<(string Source, string Target), long> links)
    {
        if (nodes.Count == 0)
        {
            return new SankeyLayout(o.Width, o.Height, top, [], []);
        }
        long WeightOf(string id) => Math.Max(
            links.Where(l => l.Key.Target == id).Sum(l => l.Value),
            links.Where(l => l.Key.Source == id).Sum(l => l.Value));
        var columns = nodes.GroupBy(n => n.Value.Step).OrderBy(g => g.Key)
            .Select(g => g.Select(n => (Id: n.Key, n.Value.Label, n.Value.Kind, n.Value.Step, Weight: WeightOf(n.Key)))
                .OrderByDescending(n => n.Weight).ThenBy(n => n.Label, StringComparer.Ordinal).ToList())
            .ToList();
        // One scale for every column: the column with the most weight (and gaps) fills the height exactly.
        var scale = columns.Min(c => (o.Height - (o.NodeGap * (c.Count - 1))) / c.Sum(n => n.Weight));
        var columnStep = steps == 0 ? 0 : (o.Width - (2 * o.LabelMargin) - o.NodeWidth) / steps;
        var placed = new Dictionary<string, SankeyNode>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            var y = 0.0;
            foreach (var n in column)
            {
                var x = o.LabelMargin + ((n.Step - 1) * columnStep);
                var height = n.Weight * scale;
                placed[n.Id] = new SankeyNode(n.Id, n.Label, n.Kind, n.Step, n.Weight, Round(x), Round(y), o.NodeWidth, Round(height));
                y += height + o.NodeGap;
            }
        }

        // Bands leave a node in the order of their targets from top to bottom, and enter in the order of their sources.
        var outOffset = placed.Keys.ToDictionary(k => k, _ => 0.0, StringComparer.Ordinal);
        var inOffset = placed.Keys.ToDictionary(k => k, _ => 0.0, StringComparer.Ordinal);
        var sourceY = new Dictionary<(string, string), double>();
        foreach (var link in links.Keys.OrderBy(l => placed[l.Source].Y).ThenBy(l => placed[l.Target].Y))
        {
            var thickness = links[link] * scale;
            sourceY[link] = placed[link.Source].Y + outOffset[link.Source] + (thickness / 2);
            outOffset[link.Source] += thickness;
        }
        var result = new List<SankeyLink>();
        foreach (var link in links.Keys.OrderBy(l => placed[l.Target].Y).ThenBy(l => placed[l.Source].Y))
        {
            var thickness = links[link] * scale;
            var source = placed[link.Source];
            var target = placed[link.Target];
            var y0 = sourceY[link];
            var y1 = target.Y + inOffset[link.Target] + (thickness / 2);
            inOffset[link.Target] += thickness;
            var x0 = source.X + source.Width;
            var x1 = target.X;
            var mid = (x0 + x1) / 2;
            var d = string.Create(CultureInfo.InvariantCulture,
                $"M{Round(x0)},{Round(y0)} C{Round(mid)},{Round(y0)} {Round(mid)},{Round(y1)} {Round(x1)},{Round(y1)}");
            result.Add(new SankeyLink(link.Source, link.Target, links[link], Round(thickness), Round(y0), Round(y1), d));
        }
        var ordered = placed.Values.OrderBy(n => n.Step).ThenBy(n => n.Y).ToList();
        return new SankeyLayout(o.Width, o.Height, top, ordered,
            [.. result.OrderBy(l => placed[l.Source].Step).ThenBy(l => l.SourceY)]);
    }

    private static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
