using System.Text.RegularExpressions;
using Flywheel.Modules.Segments.Language;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Segments.Language;

/// <summary>The examples of docs/segments.md are sound conditions, so that the reference never shows one that fails.</summary>
public sealed partial class DocumentationTests
{
    private static readonly string Reference = File.ReadAllText(Path.Combine(ChildProcess.RepositoryRoot(), "docs", "segments.md"));

    [Fact]
    public void TextExamples_ParseAndPassTheChecker()
    {
        var section = Reference[Reference.IndexOf("## Examples", StringComparison.Ordinal)..Reference.IndexOf("## Grammar", StringComparison.Ordinal)];
        var examples = CodeBlock().Matches(section).SelectMany(m => m.Groups["body"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();

        Assert.True(examples.Count >= 15, $"found only {examples.Count} examples");
        Assert.All(examples, text => SegmentChecker.ReadText(text, SegmentCatalogue.Default));
    }

    [Fact]
    public void JsonExamples_ReadAsTheirTextForms()
    {
        var blocks = JsonBlock().Matches(Reference).Select(m => m.Groups["body"].Value).ToList();

        Assert.Equal(2, blocks.Count);
        Assert.Equal(SegmentText.Parse("did order_paid at least 2 times in last 90 days where category = 'baby'"), SegmentChecker.ReadJson(blocks[0], SegmentCatalogue.Default));
        Assert.Equal(SegmentText.Parse("total_spend > 1000 and city in ('上海', '杭州') and last_order_at before 2026-06-01"), SegmentChecker.ReadJson(blocks[1], SegmentCatalogue.Default));
    }

    [GeneratedRegex("```\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex("```json\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
