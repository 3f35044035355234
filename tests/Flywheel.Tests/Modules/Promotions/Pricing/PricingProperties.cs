using System.Text.Json;
using CsCheck;
using Flywheel.Modules.Promotions.Pricing;

namespace Flywheel.Tests.Modules.Promotions.Pricing;

/// <summary>
/// Properties that must hold for every cart and every set of promotions, checked on random ones. The best
/// combination is checked against a brute-force enumeration of every valid combination written here.
/// </summary>
public sealed class PricingProperties
{
    private const int Iterations = 400;

    internal static readonly Gen<CartLine> GenLine = Gen.Select(
        Gen.Long[0, 20000], Gen.Int[1, 4], Gen.Int[0, 1], Gen.Int[0, 1], Gen.Int[0, 2], Gen.Int[0, 5],
        (price, quantity, category, store, sku, presale) => new CartLine("", $"sku{sku}", quantity, price)
        {
            Category = category == 0 ? "a" : "b",
            Store = store == 0 ? "s1" : "s2",
            Presale = presale == 0 && price >= 10
                ? new PresaleTerms(price / 10, price / 5) { ThresholdBasis = quantity % 2 == 0 ? PresaleThresholdBasis.Balance : PresaleThresholdBasis.FullPrice }
                : null,
        });

    internal static readonly Gen<Promotion> GenPromotion = Gen.Select(
        Gen.Int[0, 12], Gen.Long[1, 30000], Gen.Int[1, 50], Gen.Int[0, 7], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 5],
        MakePromotion);

    /// <summary>A generated cart: its lines numbered, standard shipping at <paramref name="shipping"/> and express at 5 more.</summary>
    internal static Cart CartOf(CartLine[] lines, long shipping) => new()
    {
        Currency = Currency.Cny,
        Lines = lines.Select((l, i) => l with { Id = $"l{i}" }).ToArray(),
        Customer = new CustomerFacts("c-1"),
        Now = PricingExamples.Now,
        ShippingOptions = [new ShippingOption("standard", shipping), new ShippingOption("express", shipping + 500) { Priority = true }],
    };

    private static readonly Gen<(Cart Cart, Promotion[] Promotions, int Seed)> GenCase = Gen.Select(
        GenLine.Array[1, 5], GenPromotion.Array[0, 6], Gen.Long[0, 1500], Gen.Int[0, 1_000_000],
        (lines, promotions, shipping, seed) =>
        {
            var cart = CartOf(lines, shipping);
            return (cart, promotions.Select((p, i) => p with { Id = $"p{i}", Name = $"p{i}" }).ToArray(), seed);
        });

    private static Promotion MakePromotion(int kind, long amount, int percent, int combines, int group, int priority, int scope, int budget)
    {
        var (@class, reward) = kind switch
        {
            0 => (PromotionClass.Item, (Reward)new PercentOff(percent)),
            1 => (PromotionClass.Item, new AmountOff(amount / 4 + 1) { PerUnit = percent % 3 == 0 }),
            2 => (PromotionClass.Order, new PercentOff(percent) { Cap = percent % 2 == 0 ? amount / 5 + 1 : null }),
            3 => (PromotionClass.Order, new AmountOff(amount / 3 + 1)),
            4 => (PromotionClass.Order, new ThresholdOff(amount, amount * percent / 100 + 1) { Repeating = percent % 2 == 0 }),
            5 => (PromotionClass.Order, new TieredReward([
                new RewardTier(amount) { Off = amount / 10, Gifts = [new GiftItem("gift", 1, 300)] },
                new RewardTier(amount * 2) { Off = amount / 5 + 1, FreeShipping = true, PriorityShipping = percent % 2 == 0 },
            ])),
            6 => (PromotionClass.Item, new BuyGet(percent % 2 + 1, 1) { Percent = percent * 2 }),
            7 => (PromotionClass.Item, new QuantityLadder([new LadderStep(2, percent / 2 + 1), new LadderStep(4, percent)])),
            8 => (PromotionClass.Shipping, new FreeShipping { Cap = percent % 2 == 0 ? null : amount / 50 + 1 }),
            9 => (PromotionClass.Item, new BundlePrice([new BundleItem("sku0", 1), new BundleItem("sku1", 1)], amount / 2)),
            10 => (PromotionClass.Order, new ThresholdOff(amount, amount / 4 + 1)),
            11 => (PromotionClass.Item, new SpecialPrices([new SpecialPrice("sku0", amount / 3)])),
            _ => (PromotionClass.Order, new Gifts([new GiftItem("gift", 1, percent * 10)])),
        };
        return new Promotion
        {
            Id = "",
            Name = "",
            Class = @class,
            Reward = reward,
            CrossStore = kind == 10,
            MinimumSpend = kind == 8 || kind == 12 ? amount / 2 : null,
            CombinesWith = PricingExamples.All.Where((_, bit) => (combines & (1 << bit)) != 0).ToArray(),
            ExclusivityGroup = group == 0 ? "g" : null,
            Priority = priority,
            Scope = scope switch
            {
                0 => PromotionScope.Everything,
                1 => new PromotionScope { Categories = ["a"] },
                _ => new PromotionScope { Stores = ["s1"] },
            },
            BudgetRemaining = budget == 0 ? amount / 3 + 1 : null,
        };
    }

    [Fact]
    public void Allocation_SumsExactly_AndRespectsCaps()
    {
        Gen.Select(Gen.Long[0, 1_000_000], Gen.Select(Gen.Long[0, 100_000], Gen.Long[0, 100_000]).Array[1, 8])
            .Sample((amount, parts) =>
            {
                var weights = parts.Select(p => p.Item1).ToArray();
                var caps = parts.Select(p => p.Item2).ToArray();

                var shares = Allocation.ProRata(amount, weights, caps);

                Assert.Equal(Math.Min(amount, caps.Sum()), shares.Sum());
                for (var i = 0; i < shares.Length; i++)
                {
                    Assert.InRange(shares[i], 0, caps[i]);
                }
            }, iter: 2000, threads: 1);
    }

    [Fact]
    public void Allocation_WithoutCaps_IsWithinOneOfTheExactShare()
    {
        Gen.Select(Gen.Long[0, 1_000_000], Gen.Long[1, 100_000].Array[1, 8])
            .Sample((amount, weights) =>
            {
                var shares = Allocation.ProRata(amount, weights);
                var total = weights.Sum();

                Assert.Equal(amount, shares.Sum());
                for (var i = 0; i < shares.Length; i++)
                {
                    var exact = (decimal)amount * weights[i] / total;
                    Assert.True(Math.Abs(shares[i] - exact) < 1, $"share {shares[i]} vs exact {exact}");
                }
            }, iter: 2000, threads: 1);
    }

    [Fact]
    public void PercentOf_IsTheExactPercentage_RoundedHalfUp()
    {
        // Whole percentages are worked out in integers; the exact value in decimal, rounded half away from zero, is
        // the reference (amounts are positive, so that is half-up).
        Gen.Select(Gen.Long[1, 1_000_000_000_000_000], Gen.Int[1, 100], Gen.Int[0, 3]).Sample((amount, whole, tenths) =>
        {
            var percent = tenths == 0 ? whole : Math.Min(100m, whole + tenths / 10m);

            var expected = (long)Math.Round(amount * percent / 100m, MidpointRounding.AwayFromZero);

            Assert.Equal(expected, Rounding.PercentOf(amount, percent));
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void UnitSplit_SumsExactly_AndDiffersByAtMostOne()
    {
        Gen.Select(Gen.Long[0, 1_000_000], Gen.Int[1, 50]).Sample((amount, quantity) =>
        {
            var units = UnitSplit.Evenly(amount, quantity);

            Assert.Equal(amount, units.Sum());
            Assert.True(units.Max() - units.Min() <= 1);
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void Quotes_AddUp_AndNothingIsNegative()
    {
        GenCase.Sample(c =>
        {
            var quote = CartPricer.Price(c.Cart, c.Promotions);

            Assert.True(quote.Payable >= 0);
            Assert.True(quote.Shipping.Payable >= 0);
            foreach (var line in quote.Lines)
            {
                Assert.True(line.ItemDiscount >= 0 && line.OrderDiscount >= 0);
                Assert.True(line.Payable >= 0, $"line {line.LineId} payable {line.Payable}");
                Assert.Equal(line.ItemDiscount + line.OrderDiscount, line.Adjustments.Sum(a => a.Amount));
                Assert.Equal(line.Amount, line.UnitAmounts.Sum());
                Assert.All(line.UnitAmounts, u => Assert.True(u >= 0));
            }
            foreach (var applied in quote.Promotions.Where(p => p.Applied))
            {
                var onLines = quote.Lines.SelectMany(l => l.Adjustments).Where(a => a.PromotionId == applied.PromotionId).Sum(a => a.Amount);
                Assert.Equal(applied.Amount, onLines + applied.ShippingAmount);
            }
            Assert.Equal(quote.Shipping.Discount, quote.Promotions.Sum(p => p.ShippingAmount));
            Assert.Equal(c.Promotions.Length, quote.Promotions.Count);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void SameInput_SameOutput_WhateverTheOrderOfPromotions()
    {
        GenCase.Sample(c =>
        {
            var first = JsonSerializer.Serialize(CartPricer.Price(c.Cart, c.Promotions));
            var again = JsonSerializer.Serialize(CartPricer.Price(c.Cart, c.Promotions));
            var shuffled = c.Promotions.ToArray();
            new Random(c.Seed).Shuffle(shuffled);
            var reordered = JsonSerializer.Serialize(CartPricer.Price(c.Cart, shuffled));

            Assert.Equal(first, again);
            Assert.Equal(first, reordered);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void ChosenCombination_IsAtLeastAsGoodAsEveryValidCombination()
    {
        GenCase.Sample(c =>
        {
            var quote = CartPricer.Price(c.Cart, c.Promotions);
            var best = BruteForceBestPayable(c.Cart, c.Promotions);

            Assert.True(quote.SearchComplete);
            Assert.Equal(best, quote.Payable);
        }, iter: Iterations, threads: 1);
    }

    /// <summary>
    /// Every subset of the promotions in which each pair may combine (each lists the other's class, no shared
    /// exclusivity group; two item promotions always may when no line is in both scopes), priced as a whole; the
    /// lowest payable of the valid ones.
    /// </summary>
    private static long BruteForceBestPayable(Cart cart, Promotion[] promotions)
    {
        var context = new PricingContext(cart);
        var candidates = promotions.Select(p => new Candidate(p, context.ScopeOf(p))).ToArray();
        var best = long.MaxValue;
        for (var mask = 0; mask < 1 << candidates.Length; mask++)
        {
            var subset = candidates.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
            var combinable = subset.All(a => subset.All(b => a == b || PairCombines(a, b)));
            if (!combinable)
            {
                continue;
            }
            var evaluation = CombinationEvaluator.Evaluate(context, subset);
            if (evaluation.Valid)
            {
                best = Math.Min(best, evaluation.Payable);
            }
        }
        return best;
    }

    private static bool PairCombines(Candidate x, Candidate y)
    {
        var (a, b) = (x.Promotion, y.Promotion);
        var disjointItems = a.Class == PromotionClass.Item && b.Class == PromotionClass.Item && !x.InScope.Where((inA, i) => inA && y.InScope[i]).Any();
        return disjointItems
            || (a.CombinesWith.Contains(b.Class) && b.CombinesWith.Contains(a.Class) && (a.ExclusivityGroup is null || a.ExclusivityGroup != b.ExclusivityGroup));
    }
}
