using System.Globalization;
using System.Text;
using CsCheck;
using Flywheel.Modules.Promotions.Pricing;

namespace Flywheel.Tests.Modules.Promotions.Pricing;

/// <summary>
/// The search prices its combinations with one <see cref="CombinationEvaluator"/> that starts each from what the
/// previous one shares with it and reuses a promotion's step when the lines it reads are unchanged. Here random
/// carts and promotion sets are walked through the way the search walks them (adding promotions one at a time,
/// dropping them, jumping elsewhere), and every combination priced by that one evaluator must equal the same
/// combination priced from scratch by a fresh one: validity and the reason, every amount per line, every
/// promotion's part, shipping, gifts and the payable.
/// </summary>
public sealed class IncrementalPricingProperties
{
    private static readonly Gen<(Cart Cart, Promotion[] Promotions, int Seed)> GenCase = Gen.Select(
        PricingProperties.GenLine.Array[1, 7], PricingProperties.GenPromotion.Array[1, 12], Gen.Long[0, 1500], Gen.Int[0, 1_000_000],
        (lines, promotions, shipping, seed) =>
        {
            var cart = PricingProperties.CartOf(lines, shipping);
            // Every third promotion draws on one campaign budget, so that the shared budget is checked as well.
            var shared = new SharedBudget("campaign", "Campaign", seed % 5000 + 1);
            return (cart, promotions.Select((p, i) => p with { Id = $"p{i}", Name = $"p{i}", SharedBudget = i % 3 == 0 ? shared : null }).ToArray(), seed);
        });

    [Fact]
    public void CombinationsPricedOneAfterAnother_EqualThePricingFromScratch()
    {
        GenCase.Sample(c =>
        {
            var context = new PricingContext(c.Cart);
            var candidates = c.Promotions.Select(p => new Candidate(p, context.ScopeOf(p))).ToArray();
            var rank = 0;
            foreach (var candidate in CombinationEvaluator.ApplicationOrder(candidates))
            {
                candidate.Rank = rank++;
            }
            var random = new Random(c.Seed);
            var evaluator = new CombinationEvaluator(context);

            foreach (var (combination, checkBudgets) in Walk(candidates, random))
            {
                var incremental = evaluator.Evaluate(combination, checkBudgets);
                var fromScratch = CombinationEvaluator.Evaluate(context, combination, checkBudgets);

                Assert.Equal(Describe(fromScratch), Describe(incremental));
            }
        }, iter: 400, threads: 1);
    }

    [Fact]
    public void StackingWorkedOutOncePerCandidate_AgreesWithThePairwiseRule()
    {
        GenCase.Sample(c =>
        {
            // The cart as generated (lines compared as bits) and repeated past 64 lines (compared line by line).
            var longCart = c.Cart with { Lines = Enumerable.Range(0, 70 / c.Cart.Lines.Count + 1).SelectMany(k => c.Cart.Lines.Select(l => l with { Id = $"{l.Id}-{k}" })).ToArray() };
            foreach (var cart in new[] { c.Cart, longCart })
            {
                var context = new PricingContext(cart);
                var candidates = c.Promotions.Select(p => new Candidate(p, context.ScopeOf(p))).ToArray();
                var facts = new StackingFacts(candidates, cart.Lines.Count);
                for (var a = 0; a < candidates.Length; a++)
                {
                    for (var b = 0; b < candidates.Length; b++)
                    {
                        Assert.Equal(Stacking.Compatible(candidates[a], candidates[b]), facts.Compatible(a, b));
                    }
                }
            }
        }, iter: 400, threads: 1);
    }

    /// <summary>
    /// The search's own walk (each candidate included before it is excluded, depth first) over the candidates in a
    /// random order, interleaved with random jumps to other subsets, each priced with or without budgets.
    /// </summary>
    private static IEnumerable<(Candidate[] Combination, bool CheckBudgets)> Walk(Candidate[] candidates, Random random)
    {
        var order = candidates.ToArray();
        random.Shuffle(order);
        var chosen = new List<Candidate>();
        var steps = 0;
        foreach (var combination in DepthFirst(order, 0, chosen))
        {
            yield return (combination, random.Next(2) == 0);
            if (random.Next(4) == 0)
            {
                yield return (order.Where(_ => random.Next(2) == 0).ToArray(), random.Next(2) == 0);
            }
            if (++steps == 200)
            {
                yield break;
            }
        }
    }

    private static IEnumerable<Candidate[]> DepthFirst(Candidate[] order, int next, List<Candidate> chosen)
    {
        if (next == order.Length)
        {
            yield break;
        }
        chosen.Add(order[next]);
        yield return chosen.ToArray();
        foreach (var deeper in DepthFirst(order, next + 1, chosen))
        {
            yield return deeper;
        }
        chosen.RemoveAt(chosen.Count - 1);
        yield return chosen.ToArray();
        foreach (var deeper in DepthFirst(order, next + 1, chosen))
        {
            yield return deeper;
        }
    }

    private static string Describe(Evaluation e)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"valid {e.Valid} failed {e.Failed?.Id} {e.FailReason} {e.FailShortfall}; ");
        if (!e.Valid)
        {
            return text.ToString();
        }
        text.Append(CultureInfo.InvariantCulture, $"payable {e.Payable} gifts {e.GiftValue} shipping {e.ShippingFee}-{e.ShippingDiscount} upgrade {e.PriorityUpgrade}; ");
        text.Append(CultureInfo.InvariantCulture, $"item [{string.Join(",", e.ItemDiscount)}] order [{string.Join(",", e.OrderDiscount)}] ");
        text.Append(CultureInfo.InvariantCulture, $"basis [{string.Join(",", e.OrderBasis)}] goods [{string.Join(",", e.Goods)}]; ");
        foreach (var a in e.Applied)
        {
            text.Append(CultureInfo.InvariantCulture, $"{a.Candidate.Id}: [{string.Join(",", a.Lines)}] ship {a.Shipping} upgrade {a.PriorityUpgrade} ");
            text.Append(CultureInfo.InvariantCulture, $"gifts {string.Join(",", a.Gifts.Select(g => $"{g.Quantity}x{g.Sku}"))}; ");
        }
        return text.ToString();
    }
}
