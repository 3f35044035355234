using System.Diagnostics;
using System.Globalization;
using Flywheel.Modules.Analytics.Attribution;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>
/// The example paths published with the ChannelAttribution package (GPL-3, so read from the shared data folder at run
/// time, never copied here): 10,000 rows, 12 channels. No attribution figures are published with it, so first touch,
/// last touch and linear are recomputed below by a plain loop over the text, written apart from the engine.
/// </summary>
public sealed class RealDatasetTests
{
    /// <summary>shared/ sits beside the repository's clone (on CI too); the absolute path is where it is kept here.</summary>
    private static readonly string[] Candidates =
    [
        Path.GetFullPath(Path.Combine(ChildProcess.RepositoryRoot(), "..", "shared", "data", "channel-attribution", "Data.csv")),
        "/work/shared/data/channel-attribution/Data.csv",
    ];

    [Fact]
    public void FirstLastAndLinear_MatchAPlainLoop_AndMarkovAndShapleyShareOutTheTotal()
    {
        var dataFile = Candidates.FirstOrDefault(File.Exists);
        if (dataFile is null)
        {
            // Not a machine requirement .ci/run could install: the data's licence keeps it out of the repository, so where
            // it is absent the test says so and is skipped, on CI too.
            Assert.Skip($"The ChannelAttribution example data is not at {string.Join(" or ", Candidates)} (see shared/data/README.md).");
        }
        var text = File.ReadAllText(dataFile);
        var expected = PlainLoop(text);

        var clock = Stopwatch.StartNew();
        var paths = ChannelAttributionText.Parse(text);
        var parsed = clock.Elapsed;
        var timings = new List<string> { $"parse {parsed.TotalMilliseconds:F0} ms" };
        var results = new Dictionary<AttributionModel, ModelAttribution>();
        foreach (var model in new[] { AttributionModel.FirstTouch, AttributionModel.LastTouch, AttributionModel.Linear, AttributionModel.PositionBased, AttributionModel.LastNonDirect, AttributionModel.Markov, AttributionModel.Shapley })
        {
            clock.Restart();
            results[model] = AttributionEngine.Run(model, paths);
            timings.Add($"{model} {clock.Elapsed.TotalMilliseconds:F0} ms");
        }
        TestContext.Current.TestOutputHelper?.WriteLine("Data.csv, 10,000 paths: " + string.Join(", ", timings));

        Assert.Equal(10_000, paths.Count);
        Assert.Equal(19_785, expected.TotalConversions);
        foreach (var (channel, first) in expected.First)
        {
            // Whole conversions and sums of three-decimal values: exact under both.
            Assert.Equal(first, (results[AttributionModel.FirstTouch][channel].Conversions, results[AttributionModel.FirstTouch][channel].Value));
            var last = expected.Last[channel];
            Assert.Equal(last, (results[AttributionModel.LastTouch][channel].Conversions, results[AttributionModel.LastTouch][channel].Value));
            var linear = expected.Linear[channel];
            Assert.Equal(linear.Conversions, results[AttributionModel.Linear][channel].Conversions, 1e-9);
            // The engine rounds to the data's thousandths; the loop keeps decimal's 28 digits.
            Assert.InRange(Math.Abs(linear.Value - results[AttributionModel.Linear][channel].Value), 0m, 0.001m);
        }
        foreach (var result in results.Values)
        {
            Assert.Equal(expected.TotalConversions, result.Channels.Sum(c => c.Conversions), 1e-6);
            Assert.Equal(expected.TotalValue, result.Channels.Sum(c => c.Value));
        }
        Assert.All(results[AttributionModel.Markov].Channels, c => Assert.True(c.Conversions > 0, $"{c.Channel} has no removal effect"));
    }

    private sealed record Expected(
        long TotalConversions,
        decimal TotalValue,
        Dictionary<string, (double, decimal)> First,
        Dictionary<string, (double, decimal)> Last,
        Dictionary<string, (double Conversions, decimal Value)> Linear);

    private static Expected PlainLoop(string text)
    {
        var first = new Dictionary<string, (double, decimal)>();
        var last = new Dictionary<string, (double, decimal)>();
        var linear = new Dictionary<string, (double, decimal)>();
        long totalConversions = 0;
        var totalValue = 0m;
        foreach (var line in text.Split('\n').Skip(1).Where(l => l.Length > 0))
        {
            var fields = line.Split(';');
            var channels = fields[0].Split(" > ");
            var conversions = long.Parse(fields[1], CultureInfo.InvariantCulture);
            var value = decimal.Parse(fields[2], CultureInfo.InvariantCulture);
            totalConversions += conversions;
            totalValue += value;
            foreach (var channel in channels)
            {
                Add(first, channel, 0, 0);
                Add(last, channel, 0, 0);
                Add(linear, channel, (double)conversions / channels.Length, value / channels.Length);
            }
            Add(first, channels[0], conversions, value);
            Add(last, channels[^1], conversions, value);
        }
        return new Expected(totalConversions, totalValue, first, last, linear);
    }

    private static void Add(Dictionary<string, (double Conversions, decimal Value)> sums, string channel, double conversions, decimal value)
    {
        var (c, v) = sums.GetValueOrDefault(channel);
        sums[channel] = (c + conversions, v + value);
    }
}
