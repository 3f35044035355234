using Flywheel.Modules.Promotions.Pricing;
using static Flywheel.Tests.Modules.Promotions.Pricing.PricingExamples;

namespace Flywheel.Tests.Modules.Promotions.Pricing;

public sealed class StackingTests
{
    [Fact]
    public void BestCombination_BeatsTheGreedyOne_AndSaysWhy()
    {
        // 10% off the item (−20) would leave 180, below 满200减50. Alone: item → 180, threshold → 150, both → the
        // threshold fails. Best: the threshold alone, 150; runner-ups 180 (item) and 200 (nothing).
        var cart = Cart(Line("a", 20000));
        var item = ItemPromo("item-10", new PercentOff(10), PromotionClass.Order) with { Priority = 10 };
        var threshold = OrderPromo("200-50", new ThresholdOff(20000, 5000), PromotionClass.Item);

        var quote = Price(cart, item, threshold);

        Assert.Equal(15000, quote.Payable);
        Assert.Equal(["200-50"], quote.Chosen.PromotionIds);
        Assert.Equal([18000L, 20000L], quote.RunnerUps.Select(r => r.Payable));
        Assert.Equal(RejectionReason.NotBestForCustomer, quote.Outcome("item-10").Reason);
        Assert.Equal(["200-50"], quote.Outcome("item-10").BlockedBy);
    }

    [Fact]
    public void ExclusivityGroup_KeepsTheBetterOne_AndNamesIt()
    {
        // Same group: 10 off or 15% of 100 (= 15). The 15% wins; the other is rejected naming it.
        var cart = Cart(Line("a", 10000));
        var ten = OrderPromo("ten-off", new AmountOff(1000), PromotionClass.Order) with { ExclusivityGroup = "store-wide" };
        var fifteen = OrderPromo("fifteen-pct", new PercentOff(15), PromotionClass.Order) with { ExclusivityGroup = "store-wide" };

        var quote = Price(cart, ten, fifteen);

        Assert.Equal(8500, quote.Payable);
        var rejected = quote.Outcome("ten-off");
        Assert.Equal(RejectionReason.ExclusiveGroup, rejected.Reason);
        Assert.Equal(["fifteen-pct"], rejected.BlockedBy);
    }

    [Fact]
    public void PromotionsThatDoNotCombine_AreNotStacked()
    {
        // The coupon does not combine with order promotions: 20 off (coupon) beats 10% of 150 (= 15).
        var cart = Cart(Line("a", 15000));
        var percent = OrderPromo("ten-pct", new PercentOff(10), PromotionClass.Order);
        var coupon = OrderPromo("coupon-20", new AmountOff(2000)) with { CouponCode = "TWENTY" };

        var quote = Price(cart with { Coupons = [coupon] }, percent);

        Assert.Equal(13000, quote.Payable);
        Assert.Equal(RejectionReason.NotCombinable, quote.Outcome("ten-pct").Reason);
        Assert.Equal(["coupon-20"], quote.Outcome("ten-pct").BlockedBy);
    }

    [Fact]
    public void ItemPromotions_OnDifferentLines_DoNotCompete()
    {
        // Neither stacks with other item promotions, and both share a group, but they touch different lines:
        // shoes 200 − 20% = 160, hats 50 − 10% = 45.
        var shoes = ItemPromo("shoes-20", new PercentOff(20)) with { Scope = Skus("shoes"), ExclusivityGroup = "price" };
        var hats = ItemPromo("hats-10", new PercentOff(10)) with { Scope = Skus("hats"), ExclusivityGroup = "price" };

        var quote = Price(Cart(Line("shoes", 20000), Line("hats", 5000)), shoes, hats);

        Assert.Equal(20500, quote.Payable);
        Assert.Equal(["hats-10", "shoes-20"], quote.Chosen.PromotionIds);
    }

    [Fact]
    public void ItemPromotions_StackInPriorityOrder_OnTheRunningPrice()
    {
        // Special price 80 first (priority 2), then 10% of 80 = 8: 72. The other order would give 100 − 10 = 90 → 80.
        var special = ItemPromo("special", new SpecialPrices([new SpecialPrice("a", 8000)]), PromotionClass.Item) with { Priority = 2 };
        var percent = ItemPromo("ten", new PercentOff(10), PromotionClass.Item) with { Priority = 1 };

        var quote = Price(Cart(Line("a", 10000)), percent, special);

        Assert.Equal(7200, quote.Payable);
        Assert.Equal(["special", "ten"], quote.LineOf("a").Adjustments.Select(a => a.PromotionId));
    }

    [Fact]
    public void EqualTotals_AreBrokenByGiftValue()
    {
        // Both take 10 off 100 and do not combine; only "with-gift" adds a gift, so it is chosen.
        var plain = OrderPromo("plain", new AmountOff(1000));
        var withGift = OrderPromo("with-gift", new TieredReward([new RewardTier(5000) { Off = 1000, Gifts = [new GiftItem("pen", 1, 200)] }]));

        var quote = Price(Cart(Line("a", 10000)), plain, withGift);

        Assert.Equal(["with-gift"], quote.Chosen.PromotionIds);
    }

    [Fact]
    public void EqualTotalsAndGifts_AreBrokenByFewerPromotions_ThenById()
    {
        // "a-ten" and "b-ten" each take 10 and do not combine: same total, same count, "a-ten" sorts first.
        var quote = Price(Cart(Line("x", 10000)), OrderPromo("b-ten", new AmountOff(1000)), OrderPromo("a-ten", new AmountOff(1000)));

        Assert.Equal(["a-ten"], quote.Chosen.PromotionIds);
        Assert.Equal(RejectionReason.NotCombinable, quote.Outcome("b-ten").Reason);
    }

    [Fact]
    public void BudgetTooSmallForTheDiscount_IsRejected()
    {
        // 10% of 200 = 20, but only 15 of budget is left.
        var promo = OrderPromo("ten", new PercentOff(10)) with { BudgetRemaining = 1500 };

        var quote = Price(Cart(Line("a", 20000)), promo);

        Assert.Equal(RejectionReason.BudgetInsufficient, quote.Outcome("ten").Reason);
        Assert.Equal(20000, quote.Payable);
    }

    [Theory]
    [InlineData("channel")]
    [InlineData("segment")]
    [InlineData("lifecycle")]
    [InlineData("limit")]
    [InlineData("budget-spent")]
    [InlineData("scope")]
    public void Promotions_ThatDoNotConcernTheCart_SayWhy(string what)
    {
        var promo = OrderPromo("p", new AmountOff(100));
        (promo, var expected) = what switch
        {
            "channel" => (promo with { Audience = new Audience { Channels = ["app"] } }, RejectionReason.ChannelNotMatched),
            "segment" => (promo with { Audience = new Audience { Segments = ["vip"] } }, RejectionReason.SegmentNotMatched),
            "lifecycle" => (promo with { Audience = new Audience { Lifecycles = ["dormant"] } }, RejectionReason.LifecycleNotMatched),
            "limit" => (promo with { LimitReached = true }, RejectionReason.LimitReached),
            "budget-spent" => (promo with { BudgetRemaining = 0 }, RejectionReason.BudgetInsufficient),
            _ => (promo with { Scope = Skus("not-in-cart") }, RejectionReason.NoEligibleItems),
        };
        var cart = Cart(Line("a", 1000)) with
        {
            Channel = "web",
            Customer = new CustomerFacts("c-1") { Segments = ["new"], Lifecycle = "active" },
        };

        var outcome = Price(cart, promo).Outcome("p");

        Assert.False(outcome.Applied);
        Assert.Equal(expected, outcome.Reason);
        Assert.NotEmpty(outcome.Explanation);
    }

    [Fact]
    public void MatchingAudience_Applies()
    {
        var promo = OrderPromo("p", new AmountOff(100)) with
        {
            Audience = new Audience { Channels = ["app"], Segments = ["vip", "new"], Lifecycles = ["active"] },
        };
        var cart = Cart(Line("a", 1000)) with
        {
            Channel = "app",
            Customer = new CustomerFacts("c-1") { Segments = ["new"], Lifecycle = "active" },
        };

        Assert.True(Price(cart, promo).Outcome("p").Applied);
    }

    [Fact]
    public void CrossStoreDiscount_IsSharedAmongStores_AndACappedStoresRemainderGoesToTheOthers()
    {
        // Store A 100 with its own 满100减95 (A keeps 5 of room); cross-store 满400减50 over A 100 + B 300.
        // Pro rata 50 × 100/400 = 12.50 → A 12 or 13, but A can absorb only 5: A 5, and B takes 50 − 5 = 45.
        // Pay A 0, B 300 − 45 = 255.
        var cart = Cart(Line("a", 10000) with { Store = "A" }, Line("b", 30000) with { Store = "B" });
        var storeA = OrderPromo("a-95", new ThresholdOff(10000, 9500), PromotionClass.Order) with { Scope = new PromotionScope { Stores = ["A"] } };
        var cross = OrderPromo("cross", new ThresholdOff(40000, 5000), PromotionClass.Order) with { CrossStore = true };

        var quote = Price(cart, cross, storeA);

        Assert.Equal(500, quote.LineOf("a").Adjustments.Single(a => a.PromotionId == "cross").Amount);
        Assert.Equal(4500, quote.LineOf("b").OrderDiscount);
        Assert.Equal(25500, quote.Payable);
    }

    [Fact]
    public void ManyStackingPromotions_StopAtTheSearchBound_KeepTheGreedyResult_AndStayDeterministic()
    {
        // 14 item promotions of 1% to 14% off the same ¥1,000 line, all stacking. Applied one after another the line
        // keeps 1000 × 0.99 × 0.98 × … × 0.86 ≈ ¥331 at the end, so every one of them still takes something and the
        // first (greedy) combination, all 14, is the best. Stacked percentages make the search's bound loose (each is
        // counted at its standalone amount), so it stops at its bound: the first descent (at most 14 priced sets)
        // plus 128.
        var promotions = Enumerable.Range(1, 14)
            .Select(p => ItemPromo($"pct-{p:D2}", new PercentOff(p), PromotionClass.Item))
            .ToArray();
        var cart = Cart(Line("a", 100000));

        var quote = CartPricer.Price(cart, promotions);
        var reversed = CartPricer.Price(cart, promotions.Reverse());

        Assert.False(quote.SearchComplete);
        Assert.InRange(quote.CombinationsEvaluated, 1, 128 + 14);
        Assert.Equal(14, quote.Chosen.PromotionIds.Count);
        Assert.Equal(quote.Payable, reversed.Payable);
        Assert.Equal(quote.Chosen.PromotionIds, reversed.Chosen.PromotionIds);
        Assert.True(quote.Payable > 0);
    }
}
