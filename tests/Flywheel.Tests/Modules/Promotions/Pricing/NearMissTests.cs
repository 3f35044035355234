using Flywheel.Modules.Promotions.Pricing;
using static Flywheel.Tests.Modules.Promotions.Pricing.PricingExamples;

namespace Flywheel.Tests.Modules.Promotions.Pricing;

public sealed class NearMissTests
{
    [Fact]
    public void AmountShort_OfAThreshold_IsHintedInBothLanguages()
    {
        // 188 against 满200减20: 12 missing.
        var quote = Price(Cart(Line("a", 18800)), OrderPromo("200-20", new ThresholdOff(20000, 2000)));

        var hint = Assert.Single(quote.NearMisses);
        Assert.Equal(1200, hint.MissingAmount);
        Assert.Null(hint.MissingQuantity);
        Assert.Equal("再买¥12享满200减20", hint.TextZh);
        Assert.Equal("Spend ¥12 more to get ¥20 off when you spend ¥200", hint.TextEn);
    }

    [Fact]
    public void FractionalShortfall_IsShownToTheFen()
    {
        // 199.50 against 满200减20: 0.50 missing.
        var hint = Assert.Single(Price(Cart(Line("a", 19950)), OrderPromo("200-20", new ThresholdOff(20000, 2000))).NearMisses);

        Assert.Equal(50, hint.MissingAmount);
        Assert.Equal("再买¥0.50享满200减20", hint.TextZh);
    }

    [Fact]
    public void OrderThreshold_IsMeasuredAfterItemDiscounts()
    {
        // 200 at 10% off → 180. Alone: the item discount gives 180, 满200减10 gives 190; together the threshold is
        // no longer reached. The item discount is chosen, and 满200减10 misses 200 − 180 = 20.
        var quote = Price(Cart(Line("a", 20000)),
            ItemPromo("ten", new PercentOff(10), PromotionClass.Order),
            OrderPromo("200-10", new ThresholdOff(20000, 1000), PromotionClass.Item));

        Assert.Equal(18000, quote.Payable);
        var rejected = quote.Outcome("200-10");
        Assert.Equal(RejectionReason.ThresholdNotReached, rejected.Reason);
        Assert.Equal("Needs ¥20 more spend after the discounts applied before it.", rejected.Explanation);
        var hint = Assert.Single(quote.NearMisses);
        Assert.Equal("再买¥20享满200减10", hint.TextZh);
    }

    [Fact]
    public void QuantityShort_IsHintedInUnits()
    {
        // Two units against "3 items 20% off": one missing.
        var ladder = new QuantityLadder([new LadderStep(3, 20)]);

        var hint = Assert.Single(Price(Cart(Line("a", 1000, quantity: 2)), ItemPromo("ladder", ladder)).NearMisses);

        Assert.Equal(1, hint.MissingQuantity);
        Assert.Equal("再买1件享满3件打8折", hint.TextZh);
        Assert.Equal("Buy 1 more item to get 20% off when you buy 3", hint.TextEn);
    }

    [Fact]
    public void ReachedTier_HintsTheNextTier()
    {
        // 260 reaches 满200减20; the next tier 满300减40 is 40 away.
        var tiers = new TieredReward([new RewardTier(20000) { Off = 2000 }, new RewardTier(30000) { Off = 4000, FreeShipping = true }]);

        var quote = Price(Cart(Line("a", 26000)), OrderPromo("tiers", tiers));

        Assert.Equal(2000, quote.OrderDiscount);
        var hint = Assert.Single(quote.NearMisses);
        Assert.Equal(4000, hint.MissingAmount);
        Assert.Equal("再买¥40享满300减40、包邮", hint.TextZh);
        Assert.Equal("Spend ¥40 more to get ¥40 off, free shipping when you spend ¥300", hint.TextEn);
    }

    [Fact]
    public void FreeShippingThreshold_IsHinted()
    {
        // Goods 30 against free shipping over 35: 5 missing.
        var quote = Price(Cart(Line("a", 3000)).WithShipping(600), ShippingPromo("free-35", new FreeShipping()) with { MinimumSpend = 3500 });

        var hint = Assert.Single(quote.NearMisses);
        Assert.Equal("再买¥5享满35包邮", hint.TextZh);
        Assert.Equal(3600, quote.Payable);
    }

    [Fact]
    public void PromotionsForOtherCustomers_GiveNoHint()
    {
        var vipOnly = OrderPromo("vip", new ThresholdOff(20000, 2000)) with { Audience = new Audience { Segments = ["vip"] } };

        Assert.Empty(Price(Cart(Line("a", 19000)), vipOnly).NearMisses);
    }
}
