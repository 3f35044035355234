using Flywheel.Modules.Promotions.Pricing;
using static Flywheel.Tests.Modules.Promotions.Pricing.PricingExamples;

namespace Flywheel.Tests.Modules.Promotions.Pricing;

/// <summary>
/// The reference vectors of the pricing policy (docs/promotions.md). Every expected value is worked out by hand in
/// the comment beside it; amounts are fen.
/// </summary>
public sealed class VectorTests
{
    [Theory]
    // 10% of 106 = 10.6 → half-up 11; of 206 = 20.6 → 21; of 306 = 30.6 → 31; of 406 = 40.6 → 41.
    [InlineData(106, 11)]
    [InlineData(206, 21)]
    [InlineData(306, 31)]
    [InlineData(406, 41)]
    public void PercentOff_IsRoundedHalfUpOnEachLineTotal(long unitPrice, long expectedDiscount)
    {
        var cart = Cart(Line("a", 106), Line("b", 206), Line("c", 306), Line("d", 406));

        var quote = Price(cart, ItemPromo("ten", new PercentOff(10)));

        var line = quote.Lines.Single(l => l.UnitPrice == unitPrice);
        Assert.Equal(expectedDiscount, line.ItemDiscount);
    }

    [Fact]
    public void PercentOff_OnTenUnitsOfOneFen_IsComputedOnTheLineTotal()
    {
        // Line total 10 × 1 = 10; 10% = 1.0 → 1; the line costs 9 (¥0.09). Per unit it would round to 0 and cost 10.
        var quote = Price(Cart(Line("cheap", 1, quantity: 10)), ItemPromo("ten", new PercentOff(10)));

        Assert.Equal(9, quote.LineOf("cheap").Amount);
    }

    [Fact]
    public void FixedAmount_IsSharedProRata()
    {
        // ¥400 over ¥200 and ¥600: 400 × 200/800 = 100 and 400 × 600/800 = 300.
        var quote = Price(Cart(Line("a", 20000), Line("b", 60000)), ItemPromo("four-hundred", new AmountOff(40000)));

        Assert.Equal(10000, quote.LineOf("a").ItemDiscount);
        Assert.Equal(30000, quote.LineOf("b").ItemDiscount);
    }

    [Fact]
    public void FourFenOverThreeUnits_IsCarriedAsOneOneTwo()
    {
        // 4 / 3 = 1 each with 1 left over, which the last unit carries: 1, 1, 2 (sum 4).
        var quote = Price(Cart(Line("a", 100, quantity: 3)), ItemPromo("four", new AmountOff(4)));

        Assert.Equal([1, 1, 2], quote.LineOf("a").UnitDiscounts);
        Assert.Equal([99, 99, 98], quote.LineOf("a").UnitAmounts);
        Assert.Equal([1, 1, 2], UnitSplit.Evenly(4, 3));
    }

    private static Cart PantsShirtsBoots() =>
        Cart(Line("pants", 10000), Line("shirts", 5000), Line("boots", 20000)).WithShipping(2000);

    [Fact]
    public void ItemDiscount_ThenOrderPercent_OnThePostItemSubtotal()
    {
        // pants 100 − 20 = 80; subtotal 80 + 50 + 200 = 330; 10% of 330 = 33 → 297; + shipping 20 = 317.
        var quote = Price(PantsShirtsBoots(),
            ItemPromo("pants-20", new AmountOff(2000), PromotionClass.Order) with { Scope = Skus("pants") },
            OrderPromo("order-10", new PercentOff(10), PromotionClass.Item));

        Assert.Equal(29700, quote.GoodsTotal);
        Assert.Equal(31700, quote.Payable);
    }

    [Fact]
    public void TwoOrderPercentages_AreTakenInParallelFromTheSameBase()
    {
        // 350 − 10% of 350 (35) − 15% of 350 (52.50) = 262.50; + shipping 20 = 282.50.
        var quote = Price(PantsShirtsBoots(),
            OrderPromo("order-10", new PercentOff(10), PromotionClass.Order),
            OrderPromo("order-15", new PercentOff(15), PromotionClass.Order) with { MinimumSpend = 20000 });

        Assert.Equal(26250, quote.GoodsTotal);
        Assert.Equal(28250, quote.Payable);
    }

    [Fact]
    public void OrderPercentAndOrderFixed_AreTakenInParallel()
    {
        // 350 − 35 − 20 = 295.
        var quote = Price(PantsShirtsBoots(),
            OrderPromo("order-10", new PercentOff(10), PromotionClass.Order),
            OrderPromo("order-20-off", new AmountOff(2000), PromotionClass.Order));

        Assert.Equal(29500, quote.GoodsTotal);
    }

    [Theory]
    // 45 × 0.8 = 36 ≥ 35: shipping free, pay 36.
    [InlineData(4500, 3600, 0)]
    // 40 × 0.8 = 32 < 35: shipping stays 5, pay 37.
    [InlineData(4000, 3200, 500)]
    public void FreeShippingThreshold_IsMeasuredAfterItemDiscounts(long price, long expectedItem, long expectedShipping)
    {
        var quote = Price(Cart(Line("item", price)).WithShipping(500),
            ItemPromo("twenty", new PercentOff(20), PromotionClass.Shipping),
            ShippingPromo("free-over-35", new FreeShipping(), PromotionClass.Item) with { MinimumSpend = 3500 });

        Assert.Equal(expectedItem, quote.LineOf("item").Amount);
        Assert.Equal(expectedShipping, quote.Shipping.Payable);
        Assert.Equal(expectedItem + expectedShipping, quote.Payable);
    }

    [Fact]
    public void BuyTwoGetOneFree_OnThreeTens_TakesTen()
    {
        // 3 units form one group of 2 + 1; the one free unit is ¥10.
        var quote = Price(Cart(Line("tee", 1000, quantity: 3)), ItemPromo("b2g1", new BuyGet(2, 1)));

        Assert.Equal(1000, quote.ItemDiscount);
    }

    [Fact]
    public void ThresholdDiscount_OverThreeEqualLines_IsAllocatedByLargestRemainder()
    {
        // 1000 × 1/3 = 333.33 each: floors 333 + 333 + 333 = 999, the one fen left goes to the first of the equal
        // remainders (cart order): 334, 333, 333.
        var quote = Price(Cart(Line("a", 1000), Line("b", 1000), Line("c", 1000)), OrderPromo("30-10", new ThresholdOff(3000, 1000)));

        Assert.Equal([334L, 333L, 333L], quote.Lines.Select(l => l.OrderDiscount));
    }

    [Theory]
    // 19950 < 20000: not reached, 50 fen missing.
    [InlineData(19950, false)]
    [InlineData(20000, true)]
    public void Thresholds_AreComparedExactly(long spend, bool reached)
    {
        var quote = Price(Cart(Line("a", spend)), OrderPromo("200-20", new ThresholdOff(20000, 2000)));

        var outcome = quote.Outcome("200-20");
        Assert.Equal(reached, outcome.Applied);
        Assert.Equal(reached ? null : RejectionReason.ThresholdNotReached, outcome.Reason);
        Assert.Equal(reached ? spend - 2000 : spend, quote.Payable);
    }

    [Fact]
    public void CrossStoreShare_IsCappedAtWhatTheStoreCanStillAbsorb()
    {
        // Store coupon 400 − 380 first: the line has 400 − 380 = 20 left; the cross-store 400 − 50 can take only 20.
        // Pay 400 − 380 − 20 = 0.
        var cart = Cart(Line("bag", 40000) with { Store = "shop-a" });
        var storeCoupon = OrderPromo("shop-a-380", new ThresholdOff(40000, 38000), PromotionClass.Order) with
        {
            Scope = new PromotionScope { Stores = ["shop-a"] },
            CouponCode = "SHOPA380",
        };
        var crossStore = OrderPromo("cross-50", new ThresholdOff(40000, 5000), PromotionClass.Order) with { CrossStore = true };

        var quote = Price(cart with { Coupons = [storeCoupon] }, crossStore);

        Assert.Equal(0, quote.Payable);
        Assert.Equal(38000, quote.Outcome("shop-a-380").Amount);
        Assert.Equal(2000, quote.Outcome("cross-50").Amount);
    }
}
