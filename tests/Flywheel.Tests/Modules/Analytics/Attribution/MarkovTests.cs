using Flywheel.Modules.Analytics.Attribution;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>The Markov removal effect, against fractions solved by hand and against a simulation of the chain.</summary>
public sealed class MarkovTests
{
    /// <summary>
    /// a > b converts once (10.00), b alone ends in a null once, a alone converts once (5.00). Transitions:
    /// start → a 2/3, start → b 1/3; a → b 1/2, a → conv 1/2; b → conv 1/2, b → null 1/2. Then
    /// x_b = 1/2, x_a = 1/2·x_b + 1/2 = 3/4, P = 2/3·x_a + 1/3·x_b = 1/2 + 1/6 = 2/3.
    /// Without a: P = 1/3·x_b = 1/6, RE_a = 1 − (1/6)/(2/3) = 3/4.
    /// Without b: x_a = 1/2, P = 2/3·1/2 = 1/3, RE_b = 1 − (1/3)/(2/3) = 1/2.
    /// Shares: a (3/4)/(5/4) = 3/5, b 2/5 of 2 conversions (1.2 and 0.8) and of 15.00 (9.00 and 6.00).
    /// </summary>
    private static readonly ConversionPath[] HandExample =
        [Paths.Of("a > b", 1, 10.00m), Paths.Of("b", 0, 0m, 1), Paths.Of("a", 1, 5.00m)];

    [Fact]
    public void RemovalEffects_MatchTheFractionsSolvedByHand()
    {
        var effects = MarkovModel.RemovalEffects(HandExample);

        Assert.Equal(Rational.Of(3, 4), effects["a"]);
        Assert.Equal(Rational.Of(1, 2), effects["b"]);
    }

    [Fact]
    public void ConversionProbability_MatchesTheFractionSolvedByHand()
    {
        Assert.Equal(Rational.Of(2, 3), AbsorbingChain.ConversionProbability(TransitionCounts.Of(HandExample)));
    }

    [Fact]
    public void Credits_ShareTheTotalsInProportionToTheRemovalEffects()
    {
        var result = Paths.Run(AttributionModel.Markov, HandExample);

        Assert.Equal(1.2, result["a"].Conversions, 12);
        Assert.Equal(0.8, result["b"].Conversions, 12);
        Assert.Equal(9.00m, result["a"].Value);
        Assert.Equal(6.00m, result["b"].Value);
    }

    [Fact]
    public void RepeatingAChannel_DoesNotChangeTheRemovalEffects()
    {
        // A self-loop only delays leaving a state; where the chain goes next, and so every absorption probability, is
        // unchanged.
        ConversionPath[] repeated = [Paths.Of("a > a > b", 1, 10.00m), Paths.Of("b > b", 0, 0m, 1), Paths.Of("a", 1, 5.00m)];

        Assert.Equal(MarkovModel.RemovalEffects(HandExample), MarkovModel.RemovalEffects(repeated));
    }

    [Fact]
    public void NothingConverted_GivesNobodyAnything()
    {
        var result = Paths.Run(AttributionModel.Markov, Paths.Of("a > b", 0, 0m, 3));

        Assert.All(result.Channels, c => Assert.Equal(0, c.Conversions));
    }

    /// <summary>
    /// A chain with cycles (a → b → a) solved exactly, and estimated by walking it 200,000 times from the start with
    /// the transition probabilities counted separately here, for the full chain and with each channel removed.
    /// </summary>
    [Fact]
    public void RemovalEffects_AgreeWithAMonteCarloSimulationOfTheChain()
    {
        ConversionPath[] paths =
        [
            Paths.Of("a > b > a > c", 3, 0m, 2), Paths.Of("b > c > b", 2, 0m, 5), Paths.Of("c > a", 1, 0m, 4),
            Paths.Of("a", 4, 0m, 6), Paths.Of("b > a > b > c > a", 1, 0m, 1), Paths.Of("c", 0, 0m, 3),
        ];
        var exact = MarkovModel.RemovalEffects(paths);
        var chain = SimulatedChain.From(paths);
        var random = new Random(20261123);
        const int Walks = 200_000;

        var full = chain.ConversionRate(random, Walks, removed: null);
        foreach (var channel in new[] { "a", "b", "c" })
        {
            var estimate = 1 - (chain.ConversionRate(random, Walks, channel) / full);
            // Each rate has a standard error of about sqrt(0.25 / 200,000) ≈ 0.0011; 0.01 is several of them.
            Assert.Equal(exact[channel].ToDouble(), estimate, 0.01);
        }
    }

    /// <summary>The chain rebuilt from the paths by a plain count, independent of the engine's TransitionCounts.</summary>
    private sealed class SimulatedChain
    {
        private readonly Dictionary<string, List<(string To, long Count)>> next = [];

        public static SimulatedChain From(IEnumerable<ConversionPath> paths)
        {
            var chain = new SimulatedChain();
            foreach (var path in paths)
            {
                var states = path.Touches.Select(t => t.Channel).Prepend("(start)").ToList();
                var walks = path.Conversions + path.Nulls;
                for (var i = 0; i + 1 < states.Count; i++)
                {
                    chain.Add(states[i], states[i + 1], walks);
                }
                chain.Add(states[^1], "(conversion)", path.Conversions);
                chain.Add(states[^1], "(null)", path.Nulls);
            }
            return chain;
        }

        public double ConversionRate(Random random, int walks, string? removed)
        {
            var converted = 0;
            for (var walk = 0; walk < walks; walk++)
            {
                var state = "(start)";
                while (state is not "(conversion)" and not "(null)")
                {
                    state = Step(random, state);
                    if (state == removed)
                    {
                        state = "(null)";
                    }
                }
                converted += state == "(conversion)" ? 1 : 0;
            }
            return (double)converted / walks;
        }

        private void Add(string from, string to, long count)
        {
            if (count == 0)
            {
                return;
            }
            if (!next.TryGetValue(from, out var list))
            {
                next[from] = list = [];
            }
            list.Add((to, count));
        }

        private string Step(Random random, string from)
        {
            var options = next[from];
            var pick = random.NextInt64(options.Sum(o => o.Count));
            foreach (var (to, count) in options)
            {
                if (pick < count)
                {
                    return to;
                }
                pick -= count;
            }
            throw new InvalidOperationException("unreachable");
        }
    }
}
