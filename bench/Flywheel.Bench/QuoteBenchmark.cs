using System.Diagnostics;
using Flywheel.Modules.Promotions.Pricing;

namespace Flywheel.Bench;

/// <summary>
/// Prices one 20-line cart (4 stores) against 500 live promotions, in process, one quote at a time, and reports the
/// latency percentiles (SPEC target: p99 under 1 ms). The promotions are a fixed pseudo-random mix over a catalogue of
/// 1,000 SKUs, 40 categories, 20 brands and 10 stores, most of which do not touch this cart, as in a real shop:
/// item promotions (percentages, per-unit amounts, member prices, BOGO, ladders, bundles), per-store 满减 that
/// exclude each other within a store, platform-wide order promotions and coupons, tiers, gifts and free shipping.
/// </summary>
internal static class QuoteBenchmark
{
    public static int Run(string[] args)
    {
        var measured = args is ["--quotes", var n] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        var warmup = Math.Max(100, measured / 10);
        var random = new Random(20261111);
        var cart = SampleCart(random);
        var promotions = SamplePromotions(random);

        var quote = CartPricer.Price(cart, promotions);
        var candidates = quote.Promotions.Count(p => p.Applied || p.Reason is RejectionReason.NotCombinable or RejectionReason.ExclusiveGroup
            or RejectionReason.NotBestForCustomer or RejectionReason.SearchBoundReached);
        Console.WriteLine($"cart: {cart.Lines.Count} lines, {cart.Lines.Select(l => l.Store).Distinct().Count()} stores, " +
            $"list {cart.Currency.Display(quote.ListTotal)}, payable {cart.Currency.Display(quote.Payable)}");
        Console.WriteLine($"promotions: {promotions.Count} + {cart.Coupons.Count} coupons; {candidates} competed for the cart, " +
            $"{quote.Promotions.Count(p => p.Applied)} applied; {quote.CombinationsEvaluated} combinations priced, search complete: {quote.SearchComplete}");

        for (var i = 0; i < warmup; i++)
        {
            CartPricer.Price(cart, promotions);
        }
        var samples = new double[measured];
        for (var i = 0; i < measured; i++)
        {
            var start = Stopwatch.GetTimestamp();
            CartPricer.Price(cart, promotions);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(samples);
        double At(double q) => samples[(int)Math.Min(samples.Length - 1, Math.Ceiling(q * samples.Length) - 1)];
        Console.WriteLine($"{measured} quotes: p50 {At(0.50):F0} µs, p90 {At(0.90):F0} µs, p99 {At(0.99):F0} µs, max {samples[^1]:F0} µs, " +
            $"mean {samples.Average():F0} µs; p99 / 1 ms target = {At(0.99) / 1000:F2}");
        return 0;
    }

    internal static Cart SampleCart(Random random)
    {
        var lines = Enumerable.Range(0, 20).Select(i => new CartLine($"line-{i}", $"sku-{i * 37 % 1000}", random.Next(1, 4), random.Next(990, 29_900))
        {
            Category = $"cat-{i * 7 % 40}",
            Brand = $"brand-{i * 3 % 20}",
            Store = $"store-{i % 4}",
        }).ToArray();
        return new Cart
        {
            Currency = Currency.Cny,
            Lines = lines,
            Customer = new CustomerFacts("c-1") { Segments = ["active", "shoes-lover"], Tier = "gold", Lifecycle = "repeat" },
            Channel = "app",
            Now = new DateTimeOffset(2026, 11, 11, 4, 0, 0, TimeSpan.Zero),
            ShippingOptions = [new ShippingOption("standard", 1200), new ShippingOption("express", 2500) { Priority = true }],
            Coupons =
            [
                Promotion("coupon-platform-30", PromotionClass.Order, new ThresholdOff(30_000, 3_000), [PromotionClass.Item, PromotionClass.Order, PromotionClass.Shipping]) with { CouponCode = "P30" },
                Promotion("coupon-ship", PromotionClass.Shipping, new FreeShipping { Cap = 1000 }, [PromotionClass.Item, PromotionClass.Order]) with { CouponCode = "SHIP10" },
            ],
        };
    }

    internal static List<Promotion> SamplePromotions(Random random)
    {
        PromotionClass[] withOrderAndShipping = [PromotionClass.Order, PromotionClass.Shipping];
        PromotionClass[] withEverything = [PromotionClass.Item, PromotionClass.Order, PromotionClass.Shipping];
        var promotions = new List<Promotion>();
        for (var i = 0; i < 380; i++)
        {
            Reward reward = (i % 6) switch
            {
                0 => new PercentOff(random.Next(5, 31)),
                1 => new AmountOff(random.Next(100, 1000)) { PerUnit = true },
                2 => new SpecialPrices([new SpecialPrice($"sku-{random.Next(1000)}", random.Next(500, 20_000))]),
                3 => new BuyGet(random.Next(1, 3), 1) { Percent = 50 },
                4 => new QuantityLadder([new LadderStep(2, 5), new LadderStep(3, 10)]),
                _ => new BundlePrice([new BundleItem($"sku-{random.Next(1000)}", 1), new BundleItem($"sku-{random.Next(1000)}", 1)], random.Next(1000, 20_000)),
            };
            var scope = (i % 3) switch
            {
                0 => new PromotionScope { Categories = [$"cat-{random.Next(40)}"] },
                1 => new PromotionScope { Brands = [$"brand-{random.Next(20)}"] },
                _ => new PromotionScope { Skus = Enumerable.Range(0, 5).Select(_ => $"sku-{random.Next(1000)}").ToArray() },
            };
            promotions.Add(Promotion($"item-{i:D3}", PromotionClass.Item, reward, i % 10 == 0 ? withEverything : withOrderAndShipping) with
            {
                Scope = reward is SpecialPrices or BundlePrice ? PromotionScope.Everything : scope,
                Priority = random.Next(3),
                Audience = (i % 17) switch
                {
                    0 => new Audience { Tiers = ["platinum"] },
                    1 => new Audience { Channels = ["mini-program"] },
                    2 => new Audience { FirstOrderOnly = true },
                    _ => Audience.Everyone,
                },
                EndsAt = i % 23 == 0 ? new DateTimeOffset(2026, 11, 10, 16, 0, 0, TimeSpan.Zero) : null,
            });
        }
        for (var i = 0; i < 80; i++)
        {
            var store = $"store-{i % 10}";
            var threshold = random.Next(10, 60) * 1000L;
            promotions.Add(Promotion($"store-{i:D3}", PromotionClass.Order, new ThresholdOff(threshold, threshold / random.Next(5, 20)), withEverything) with
            {
                Scope = new PromotionScope { Stores = [store] },
                ExclusivityGroup = store,
            });
        }
        for (var i = 0; i < 10; i++)
        {
            var threshold = random.Next(20, 80) * 1000L;
            promotions.Add(Promotion($"platform-{i:D3}", PromotionClass.Order, new ThresholdOff(threshold, threshold / 10) { Repeating = i % 2 == 0, Cap = i % 2 == 0 ? threshold : null }, withEverything) with
            {
                CrossStore = true,
                ExclusivityGroup = "platform",
                BudgetRemaining = i == 3 ? 500 : null,
            });
        }
        for (var i = 0; i < 20; i++)
        {
            promotions.Add(Promotion($"ship-{i:D3}", PromotionClass.Shipping, new FreeShipping(), withEverything) with
            {
                MinimumSpend = random.Next(50, 300) * 100L,
                Scope = new PromotionScope { Stores = [$"store-{i % 10}"] },
                ExclusivityGroup = "shipping",
            });
        }
        for (var i = 0; i < 10; i++)
        {
            Reward reward = i % 2 == 0
                ? new TieredReward([new RewardTier(20_000) { Gifts = [new GiftItem($"gift-{i}", 1, 1500)] }, new RewardTier(60_000) { Off = 3000, PriorityShipping = true }])
                : new Gifts([new GiftItem($"gift-{i}", 1, 800)]);
            promotions.Add(Promotion($"gift-{i:D3}", PromotionClass.Order, reward, withEverything) with
            {
                MinimumSpend = reward is Gifts ? random.Next(100, 400) * 100L : null,
                Audience = i % 3 == 0 ? new Audience { Segments = ["vip"] } : Audience.Everyone,
                ExclusivityGroup = "gifts",
            });
        }
        return promotions;
    }

    private static Promotion Promotion(string id, PromotionClass @class, Reward reward, PromotionClass[] combinesWith) =>
        new() { Id = id, Name = id, Class = @class, Reward = reward, CombinesWith = combinesWith };
}
