using CsCheck;
using Flywheel.Modules.Analytics.Attribution;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>What holds for every model on every input, checked on random sets of paths.</summary>
public sealed class PropertyTests
{
    private static readonly string[] Channels = ["a", "b", "c", "d", "e", "direct"];
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly AttributionModel[] Models = Enum.GetValues<AttributionModel>();

    /// <summary>A path of 1–6 touches minutes to days apart, with 0–5 conversions worth cents or tenths of a cent.</summary>
    private static readonly Gen<ConversionPath> OnePath = Gen.Select(
        Gen.Select(Gen.Int[0, Channels.Length - 1], Gen.Int[1, 20_000]).Array[1, 6],
        Gen.Int[0, 5],
        Gen.Int[0, 5],
        Gen.Int[0, 1_000_000],
        Gen.Bool,
        (touches, conversions, nulls, amount, thousandths) =>
        {
            var at = Start;
            var timed = touches.Select(t => new Touch(Channels[t.Item1], at = at.AddMinutes(t.Item2), Channels[t.Item1] == "direct")).ToList();
            var value = conversions == 0 ? 0m : amount / (thousandths ? 1000m : 100m);
            return new ConversionPath(timed, conversions, value, nulls, at.AddHours(1));
        });

    private static readonly Gen<ConversionPath[]> SomePaths = OnePath.Array[1, 12];

    [Fact]
    public void EveryModel_SharesOutExactlyTheTotals()
    {
        SomePaths.Sample(paths =>
        {
            var totalConversions = paths.Sum(p => p.Conversions);
            var totalValue = paths.Sum(p => p.Value);
            foreach (var model in Models)
            {
                var result = AttributionEngine.Run(model, paths);
                Assert.Equal(totalConversions, result.Channels.Sum(c => c.Conversions), 1e-9);
                Assert.Equal(totalValue, result.Channels.Sum(c => c.Value));
                Assert.All(result.Channels, c => Assert.True(c.Conversions >= 0 && c.Value >= 0, $"{model} gave {c} a negative credit"));
            }
        }, iter: 300);
    }

    [Fact]
    public void PermutingThePaths_ChangesNoModelsResult()
    {
        Gen.Select(SomePaths, Gen.Int).Sample((paths, seed) =>
        {
            var shuffled = paths.ToArray();
            new Random(seed).Shuffle(shuffled);
            foreach (var model in Models)
            {
                Assert.Equal(AttributionEngine.Run(model, paths).Channels, AttributionEngine.Run(model, shuffled).Channels);
            }
        }, iter: 200);
    }

    [Fact]
    public void ChannelsOnNoPath_GetNothing_UnderAnyModel()
    {
        SomePaths.Sample(paths =>
        {
            var spend = new ChannelSpend(new Dictionary<string, decimal> { ["billboard"] = 100m }, grossMargin: 1m);
            var comparison = AttributionComparison.Of(paths, Models, spend: spend);
            Assert.All(comparison["billboard"].ByModel, m => Assert.Equal((0.0, 0m), (m.Conversions, m.Value)));
            Assert.All(comparison.Models, m => Assert.DoesNotContain(m.Channels, c => c.Channel == "billboard"));
        }, iter: 100);
    }

    [Fact]
    public void Shapley_GivesInterchangeableChannelsTheSameCredit()
    {
        // Each path together with its mirror image (a and b swapped) makes a game in which a and b are symmetric.
        SomePaths.Sample(paths =>
        {
            var mirrored = paths.Concat(paths.Select(Swap)).ToArray();
            var result = AttributionEngine.Run(AttributionModel.Shapley, mirrored);
            if (mirrored.Any(p => p.Conversions > 0 && p.Touches.Any(t => t.Channel is "a" or "b")))
            {
                Assert.Equal(result["a"].Conversions, result["b"].Conversions, 1e-9);
                // Equal exact shares can differ by one rounding unit: the left-over unit goes to a, the first by name.
                Assert.InRange(result["a"].Value - result["b"].Value, 0m, 0.01m);
            }
        }, iter: 200);
    }

    /// <summary>
    /// With v(S) = conversions of paths inside S, v is a sum of unanimity games, one per channel set T weighted by its
    /// conversions r(T), and the Shapley value of a unanimity game gives 1/|T| to each member: φ_c = Σ_{T ∋ c} r(T)/|T|
    /// (Zhao et al., "Shapley value methods for attribution modeling in online advertising", 2018). A second
    /// computation, without any coalition.
    /// </summary>
    [Fact]
    public void Shapley_AgreesWithTheClosedFormOverChannelSets()
    {
        SomePaths.Sample(paths =>
        {
            var expected = new Dictionary<string, double>();
            foreach (var path in paths)
            {
                var set = path.Touches.Select(t => t.Channel).Distinct().ToList();
                foreach (var channel in set)
                {
                    expected[channel] = expected.GetValueOrDefault(channel) + ((double)path.Conversions / set.Count);
                }
            }
            var result = AttributionEngine.Run(AttributionModel.Shapley, paths);
            Assert.All(result.Channels, c => Assert.Equal(expected[c.Channel], c.Conversions, 1e-9));
        }, iter: 300);
    }

    private static ConversionPath Swap(ConversionPath path) => new(
        [.. path.Touches.Select(t => new Touch(t.Channel switch { "a" => "b", "b" => "a", _ => t.Channel }, t.At, t.IsDirect))],
        path.Conversions, path.Value, path.Nulls, path.ConvertedAt);
}
