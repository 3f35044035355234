using Flywheel.Modules.Analytics.Attribution;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>The channel-path Sankey: which paths it keeps, the weight of every link, and where it draws them.</summary>
public sealed class SankeyTests
{
    // Two rows of the same path merge into one path of 3 conversions and 1 null.
    private static readonly ConversionPath[] Example =
    [
        Paths.Of("baidu > wechat", conversions: 2),
        Paths.Of("baidu > wechat", conversions: 1, nulls: 1),
        Paths.Of("wechat", conversions: 1, nulls: 2),
        Paths.Of("douyin > baidu > wechat", conversions: 0, nulls: 3),
        Paths.Of("douyin", conversions: 1),
    ];

    [Fact]
    public void ConvertingPaths_AddTheirConversionsToEveryLinkAlongThem()
    {
        var sankey = ChannelPathSankey.Layout(Example);

        // Weights by conversions: baidu > wechat 3, douyin 1, wechat 1 (douyin before wechat by name);
        // douyin > baidu > wechat never converted and is left out.
        Assert.Equal([(["baidu", "wechat"], 3L, 1L), (["douyin"], 1L, 0L), (["wechat"], 1L, 2L)],
            sankey.Paths.Select(p => (p.Channels.ToArray(), p.Conversions, p.NonConversions)));
        Assert.Equal(
            new Dictionary<(string, string), long>
            {
                [("1:baidu", "2:wechat")] = 3,
                [("2:wechat", "conversion")] = 3,
                [("1:douyin", "conversion")] = 1,
                [("1:wechat", "conversion")] = 1,
            },
            sankey.Links.ToDictionary(l => (l.Source, l.Target), l => l.Weight));
        // The conversion node takes 3 + 1 + 1 = 5; there is no node for non-conversions.
        Assert.Equal(5, sankey.Nodes.Single(n => n.Id == "conversion").Weight);
        Assert.DoesNotContain(sankey.Nodes, n => n.Id == "null");
    }

    [Fact]
    public void NonConvertingPaths_FlowIntoTheirOwnNode_WhenAskedFor()
    {
        var sankey = ChannelPathSankey.Layout(Example, new SankeyOptions { IncludeNonConverting = true });

        // Weights: baidu > wechat 3 + 1 = 4; douyin > baidu > wechat 3 and wechat 1 + 2 = 3 (tie, by channels); douyin 1.
        Assert.Equal(["baidu>wechat", "douyin>baidu>wechat", "wechat", "douyin"], sankey.Paths.Select(p => string.Join(">", p.Channels)));
        var links = sankey.Links.ToDictionary(l => (l.Source, l.Target), l => l.Weight);
        Assert.Equal(4, links[("1:baidu", "2:wechat")]);
        Assert.Equal(3, links[("2:wechat", "conversion")]);
        Assert.Equal(1, links[("2:wechat", "null")]);
        Assert.Equal(3, links[("1:douyin", "2:baidu")]);
        Assert.Equal(3, links[("2:baidu", "3:wechat")]);
        Assert.Equal(3, links[("3:wechat", "null")]);
        Assert.Equal(2, links[("1:wechat", "null")]);
        // Outcomes: conversions 3 + 1 (wechat) + 1 (douyin) = 5; nulls 1 + 3 + 2 = 6. douyin at step 1 sends 3 + 1 = 4.
        Assert.Equal(5, sankey.Nodes.Single(n => n.Id == "conversion").Weight);
        Assert.Equal(6, sankey.Nodes.Single(n => n.Id == "null").Weight);
        Assert.Equal(4, sankey.Nodes.Single(n => n.Id == "1:douyin").Weight);
        // Outcomes sit in the column after the longest path's last touch.
        Assert.Equal(4, sankey.Nodes.Single(n => n.Id == "null").Step);
    }

    [Fact]
    public void TopPathsAndMaxSteps_LimitWhatIsDrawn()
    {
        var top = ChannelPathSankey.Layout(Example, new SankeyOptions { IncludeNonConverting = true, TopPaths = 2 });
        Assert.Equal(["baidu>wechat", "douyin>baidu>wechat"], top.Paths.Select(p => string.Join(">", p.Channels)));

        // Cut to its last two touches, douyin > baidu > wechat becomes baidu > wechat: 3 + 0 conversions, 1 + 3 nulls.
        var cut = ChannelPathSankey.Layout(Example, new SankeyOptions { IncludeNonConverting = true, MaxSteps = 2 });
        var merged = cut.Paths.Single(p => string.Join(">", p.Channels) == "baidu>wechat");
        Assert.Equal((3L, 4L), (merged.Conversions, merged.NonConversions));
    }

    [Fact]
    public void Geometry_StacksNodesOnOneScale_AndBandsWithoutOverlap()
    {
        var sankey = ChannelPathSankey.Layout(Example);
        var node = sankey.Nodes.ToDictionary(n => n.Id);

        // Columns: step 1 baidu 3, douyin 1, wechat 1 with two 12-unit gaps: (420 − 24) / 5 = 79.2 per path; step 2
        // wechat 3: 420 / 3 = 140; outcomes 5: 84. The smallest, 79.2, is the scale.
        Assert.Equal((0, 237.6), (node["1:baidu"].Y, node["1:baidu"].Height));
        Assert.Equal((249.6, 79.2), (node["1:douyin"].Y, node["1:douyin"].Height));
        Assert.Equal((340.8, 79.2), (node["1:wechat"].Y, node["1:wechat"].Height));
        Assert.Equal(396, node["conversion"].Height);
        // x: 110 margin, then (960 − 2 × 110 − 14) / 2 = 363 per step.
        Assert.Equal([110, 473, 836], new[] { node["1:baidu"].X, node["2:wechat"].X, node["conversion"].X });

        // Into the conversion node, bands stack in the order of their sources from the top: 2:wechat (y 0, 237.6 thick)
        // centred at 118.8, 1:douyin (79.2) at 237.6 + 39.6 = 277.2, 1:wechat at 316.8 + 39.6 = 356.4.
        var into = sankey.Links.Where(l => l.Target == "conversion").ToDictionary(l => l.Source);
        Assert.Equal((118.8, 237.6), (into["2:wechat"].TargetY, into["2:wechat"].Thickness));
        Assert.Equal(277.2, into["1:douyin"].TargetY);
        Assert.Equal(356.4, into["1:wechat"].TargetY);
        // The band from 1:baidu leaves its right edge (110 + 14 = 124) for 2:wechat at 473, both centred at 118.8; the
        // curve's control points sit half way, at (124 + 473) / 2 = 298.5.
        Assert.Equal("M124,118.8 C298.5,118.8 298.5,118.8 473,118.8", sankey.Links.Single(l => l.Source == "1:baidu").Path);
    }

    [Fact]
    public void NoPaths_GiveAnEmptyDiagram()
    {
        var sankey = ChannelPathSankey.Layout([Paths.Of("baidu", conversions: 0, nulls: 2)]);
        Assert.Empty(sankey.Nodes);
        Assert.Empty(sankey.Links);
    }
}
