using System.Globalization;
using System.Text.RegularExpressions;
using Flywheel.Modules.Analytics.Attribution;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>The running example of docs/attribution.md, so that the reference never shows figures the engine does not give.</summary>
public sealed partial class DocumentationTests
{
    private static readonly string Reference = File.ReadAllText(Path.Combine(ChildProcess.RepositoryRoot(), "docs", "attribution.md"));

    private static readonly Dictionary<string, AttributionModel> Columns = new()
    {
        ["first touch"] = AttributionModel.FirstTouch,
        ["last touch"] = AttributionModel.LastTouch,
        ["last non-direct"] = AttributionModel.LastNonDirect,
        ["linear"] = AttributionModel.Linear,
        ["position based"] = AttributionModel.PositionBased,
        ["Markov"] = AttributionModel.Markov,
        ["Shapley"] = AttributionModel.Shapley,
    };

    [Fact]
    public void RunningExample_TableMatchesTheEngine()
    {
        var paths = ChannelAttributionText.Parse(TextBlock().Match(Reference).Groups["body"].Value);
        var table = Reference[Reference.IndexOf("| channel |", StringComparison.Ordinal)..];
        var lines = table.Split('\n').TakeWhile(l => l.StartsWith('|')).ToList();
        var header = Cells(lines[0]);
        var rows = lines.Skip(2).Select(Cells).ToList();

        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            for (var column = 1; column < header.Count; column++)
            {
                var credit = AttributionEngine.Run(Columns[header[column]], paths)[row[0]];
                var parts = row[column].Split(" / ");
                Assert.Equal(double.Parse(parts[0], CultureInfo.InvariantCulture), credit.Conversions, 12);
                Assert.Equal(decimal.Parse(parts[1], CultureInfo.InvariantCulture), credit.Value);
            }
        }
    }

    private static List<string> Cells(string line) => [.. line.Trim('|').Split('|').Select(c => c.Trim())];

    [GeneratedRegex("```text\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex TextBlock();
}
