using Flywheel.Modules.Promotions.Pricing;
using static Flywheel.Tests.Modules.Promotions.Pricing.PricingExamples;

namespace Flywheel.Tests.Modules.Promotions.Pricing;

/// <summary>Each kind of promotion on its own; expected values worked by hand beside each assertion (fen).</summary>
public sealed class PromotionKindTests
{
    [Theory]
    // 每满100减10, cap 30: 350 holds three full hundreds → 30.
    [InlineData(35000, 3000)]
    // 450 holds four → 40, capped at 30.
    [InlineData(45000, 3000)]
    // 199 holds one → 10.
    [InlineData(19900, 1000)]
    public void RepeatingThreshold_AppliesOncePerFullThreshold_UpToItsCap(long spend, long expected)
    {
        var quote = Price(Cart(Line("a", spend)), OrderPromo("every-100", new ThresholdOff(10000, 1000) { Repeating = true, Cap = 3000 }));

        Assert.Equal(expected, quote.OrderDiscount);
    }

    [Fact]
    public void Tiers_TheHighestReachedApplies_WithItsGiftsAndShipping()
    {
        // 520 reaches the 500 tier (not the 200 tier alone): 50 off, free shipping (10), priority upgrade, a gift.
        var cart = Cart(Line("a", 52000)) with
        {
            ShippingOptions = [new ShippingOption("standard", 1000), new ShippingOption("express", 2500) { Priority = true }],
        };
        var tiers = new TieredReward([
            new RewardTier(20000) { Off = 1000, Gifts = [new GiftItem("sample", 1, 500)] },
            new RewardTier(50000) { Off = 5000, FreeShipping = true, PriorityShipping = true, Gifts = [new GiftItem("tote", 1, 3000)] },
        ]);

        var quote = Price(cart, OrderPromo("tiers", tiers));

        Assert.Equal(5000, quote.OrderDiscount);
        Assert.Equal(0, quote.Shipping.Payable);
        Assert.True(quote.Shipping.PriorityUpgrade);
        Assert.Equal("express", quote.Shipping.OptionCode);
        Assert.Equal("tote", Assert.Single(quote.Gifts).Item.Sku);
        // 520 − 50 = 470 for the goods, shipping free.
        Assert.Equal(47000, quote.Payable);
        Assert.Equal(6000, quote.Outcome("tiers").Amount);
    }

    [Fact]
    public void QuantityLadder_TheHighestStepReachedSetsThePercentage()
    {
        // 3 units reach "3 items 20% off": 20% of 10 on each line = 2, three lines = 6.
        var ladder = new QuantityLadder([new LadderStep(2, 10), new LadderStep(3, 20)]);

        var quote = Price(Cart(Line("a", 1000), Line("b", 1000), Line("c", 1000)), ItemPromo("ladder", ladder));

        Assert.Equal([200L, 200L, 200L], quote.Lines.Select(l => l.ItemDiscount));
    }

    [Fact]
    public void NthItemAtHalfPrice_DiscountsTheCheapestUnits()
    {
        // Second item 50% off over 2 × 30 and 1 × 10: 3 units make one pair, so one unit is discounted, the
        // cheapest (10): 5 off, on line "cheap".
        var quote = Price(Cart(Line("dear", 3000, quantity: 2), Line("cheap", 1000)), ItemPromo("second-half", new BuyGet(1, 1) { Percent = 50 }));

        Assert.Equal(500, quote.LineOf("cheap").ItemDiscount);
        Assert.Equal(0, quote.LineOf("dear").ItemDiscount);
    }

    [Fact]
    public void Bundle_CompleteSetsCostTheBundlePrice()
    {
        // A (30) + B (20) for 40, cart holds 2 A and 1 B: one set. Saving 50 − 40 = 10, shared 30:20 → 6 and 4.
        var bundle = new BundlePrice([new BundleItem("A", 1), new BundleItem("B", 1)], 4000);

        var quote = Price(Cart(Line("A", 3000, quantity: 2), Line("B", 2000)), ItemPromo("bundle", bundle));

        Assert.Equal(600, quote.LineOf("A").ItemDiscount);
        Assert.Equal(400, quote.LineOf("B").ItemDiscount);
    }

    [Fact]
    public void MemberPrice_AppliesToItsTierOnly()
    {
        // Gold price 25 instead of 30, two units: 2 × 5 = 10 off.
        var memberPrice = ItemPromo("gold-price", new SpecialPrices([new SpecialPrice("A", 2500)])) with
        {
            Audience = new Audience { Tiers = ["gold"] },
        };
        var cart = Cart(Line("A", 3000, quantity: 2));

        var gold = Price(cart with { Customer = new CustomerFacts("c-1") { Tier = "gold" } }, memberPrice);
        var silver = Price(cart with { Customer = new CustomerFacts("c-1") { Tier = "silver" } }, memberPrice);

        Assert.Equal(1000, gold.ItemDiscount);
        Assert.Equal(RejectionReason.TierNotMatched, silver.Outcome("gold-price").Reason);
        Assert.Equal(6000, silver.Payable);
    }

    [Fact]
    public void NewCustomerOffer_AppliesToTheFirstOrderOnly()
    {
        var welcome = OrderPromo("welcome", new AmountOff(1000)) with { Audience = new Audience { FirstOrderOnly = true } };
        var cart = Cart(Line("a", 5000));

        var first = Price(cart with { Customer = new CustomerFacts("c-1") { IsFirstOrder = true } }, welcome);
        var later = Price(cart, welcome);

        Assert.Equal(4000, first.Payable);
        Assert.Equal(RejectionReason.NotFirstOrder, later.Outcome("welcome").Reason);
    }

    [Fact]
    public void LimitedTimeDiscount_AppliesInsideItsWindowOnly()
    {
        // The window is [Now − 1h, Now + 1h): half-open, so at its end it no longer applies.
        var flash = ItemPromo("flash", new PercentOff(30)) with { StartsAt = Now.AddHours(-1), EndsAt = Now.AddHours(1) };
        var cart = Cart(Line("a", 10000));

        Assert.Equal(7000, Price(cart, flash).Payable);
        Assert.Equal(RejectionReason.Expired, Price(cart with { Now = Now.AddHours(1) }, flash).Outcome("flash").Reason);
        Assert.Equal(RejectionReason.NotStarted, Price(cart with { Now = Now.AddHours(-2) }, flash).Outcome("flash").Reason);
    }

    [Fact]
    public void PercentCoupon_IsCappedAtItsMaximum()
    {
        // 20% of 200 = 40, capped at 30: pay 170.
        var coupon = OrderPromo("c20", new PercentOff(20) { Cap = 3000 }) with { CouponCode = "TWENTY" };

        var quote = Price(Cart(Line("a", 20000)) with { Coupons = [coupon] });

        Assert.Equal(17000, quote.Payable);
        Assert.Equal("TWENTY", quote.Outcome("c20").CouponCode);
    }

    [Fact]
    public void ShippingCoupon_TakesAtMostItsCap()
    {
        // Shipping 12, coupon up to 8: pay 4 for shipping.
        var coupon = ShippingPromo("ship-8", new FreeShipping { Cap = 800 }) with { CouponCode = "SHIP8" };

        var quote = Price(Cart(Line("a", 5000)).WithShipping(1200) with { Coupons = [coupon] });

        Assert.Equal(400, quote.Shipping.Payable);
        Assert.Equal(5400, quote.Payable);
    }

    [Fact]
    public void GiftCoupon_AddsItsGift()
    {
        var coupon = OrderPromo("gift", new Gifts([new GiftItem("mug", 1, 1500)])) with { CouponCode = "MUG", MinimumSpend = 10000 };

        var quote = Price(Cart(Line("a", 10000)) with { Coupons = [coupon] });

        Assert.Equal(new AwardedGift("gift", new GiftItem("mug", 1, 1500)), Assert.Single(quote.Gifts));
        Assert.Equal(10000, quote.Payable);
    }

    [Fact]
    public void CategoryAndBrandScope_SelectTheLinesTheDiscountTouches()
    {
        // 10% off shoes of brand "Fleet": only line "runner" (200) qualifies → 20 off.
        var cart = Cart(
            Line("runner", 20000) with { Category = "shoes", Brand = "Fleet" },
            Line("boot", 30000) with { Category = "shoes", Brand = "Other" },
            Line("cap", 5000) with { Category = "hats", Brand = "Fleet" });
        var promo = ItemPromo("fleet-shoes", new PercentOff(10)) with { Scope = new PromotionScope { Categories = ["shoes"], Brands = ["Fleet"] } };

        var quote = Price(cart, promo);

        Assert.Equal(["runner"], quote.Outcome("fleet-shoes").LineIds);
        Assert.Equal(2000, quote.ItemDiscount);
    }
}
