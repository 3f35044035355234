using Flywheel.Modules.Promotions.Pricing;
using static Flywheel.Tests.Modules.Promotions.Pricing.PricingExamples;

namespace Flywheel.Tests.Modules.Promotions.Pricing;

public sealed class ValidationTests
{
    private static string[] FieldsOf(Promotion promotion) => PromotionValidation.Validate(promotion).Select(e => e.Field).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(100.01)]
    public void Percent_OutsideZeroToHundred_IsRefused(double percent)
    {
        Assert.Equal(["reward.percent"], FieldsOf(ItemPromo("p", new PercentOff((decimal)percent))));
    }

    [Fact]
    public void Percent_OfExactlyHundred_IsAllowed()
    {
        Assert.Empty(FieldsOf(ItemPromo("p", new PercentOff(100))));
    }

    [Fact]
    public void NegativeAmounts_AreRefused()
    {
        Assert.Equal(["reward.amount"], FieldsOf(OrderPromo("p", new AmountOff(-100))));
        Assert.Equal(["minimumSpend"], FieldsOf(OrderPromo("p", new AmountOff(100)) with { MinimumSpend = -1 }));
        Assert.Equal(["reward.threshold", "reward.off"], FieldsOf(OrderPromo("p", new ThresholdOff(-1, -1))));
    }

    [Fact]
    public void Tiers_NotAscending_AreRefused_NamingTheTier()
    {
        var tiers = new TieredReward([new RewardTier(50000) { Off = 5000 }, new RewardTier(20000) { Off = 6000 }]);

        var errors = PromotionValidation.Validate(OrderPromo("p", tiers));

        var error = Assert.Single(errors);
        Assert.Equal("reward.tiers[1].threshold", error.Field);
        Assert.Contains("ascending", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tiers_TakingLessOffHigherUp_AreRefused()
    {
        var tiers = new TieredReward([new RewardTier(20000) { Off = 3000 }, new RewardTier(50000) { Off = 2000 }]);

        Assert.Equal(["reward.tiers[1].off"], FieldsOf(OrderPromo("p", tiers)));
    }

    [Fact]
    public void Definitions_ThatCannotWork_NameTheField()
    {
        Assert.Equal(["reward.get"], FieldsOf(ItemPromo("p", new BuyGet(2, 0))));
        Assert.Equal(["class"], FieldsOf(ItemPromo("p", new FreeShipping())));
        Assert.Equal(["crossStore"], FieldsOf(ItemPromo("p", new PercentOff(10)) with { CrossStore = true }));
        Assert.Equal(["endsAt"], FieldsOf(ItemPromo("p", new PercentOff(10)) with { StartsAt = Now, EndsAt = Now }));
        Assert.Equal(["reward.off"], FieldsOf(OrderPromo("p", new ThresholdOff(100, 200))));
        Assert.Equal(["reward.cap"], FieldsOf(OrderPromo("p", new ThresholdOff(100, 20) { Cap = 50 })));
        Assert.Equal(["reward.steps[1].minimumQuantity"], FieldsOf(ItemPromo("p", new QuantityLadder([new LadderStep(3, 10), new LadderStep(2, 20)]))));
        Assert.Equal(["reward.items[1].sku"], FieldsOf(ItemPromo("p", new BundlePrice([new BundleItem("a", 1), new BundleItem("a", 1)], 100))));
        Assert.Equal(["id", "name"], FieldsOf(ItemPromo("", new PercentOff(10)) with { Name = " " }));
    }

    [Fact]
    public void InvalidDefinition_IsRejectedByPricing_NotGuessed()
    {
        var quote = Price(Cart(Line("a", 1000)), ItemPromo("bad", new PercentOff(120)));

        var outcome = quote.Outcome("bad");
        Assert.Equal(RejectionReason.InvalidDefinition, outcome.Reason);
        Assert.Contains("reward.percent", outcome.Explanation, StringComparison.Ordinal);
        Assert.Equal(1000, quote.Payable);
    }

    [Theory]
    // Deposit value above the presale price.
    [InlineData(5000, 60000, 50000, "lines[0].presale.depositValuePerUnit")]
    // Deposit value below the deposit.
    [InlineData(5000, 4000, 50000, "lines[0].presale.depositValuePerUnit")]
    // No deposit.
    [InlineData(0, 4000, 50000, "lines[0].presale.depositPerUnit")]
    public void PresaleRules_DepositAtMostItsValue_AtMostThePrice(long deposit, long value, long price, string field)
    {
        var cart = Cart(Line("a", price) with { Presale = new PresaleTerms(deposit, value) });

        Assert.Equal([field], CartValidation.Validate(cart).Select(e => e.Field));
        Assert.Throws<ArgumentException>(() => CartPricer.Price(cart, []));
    }

    [Fact]
    public void Cart_WithBadLines_IsRefused_NamingEachLine()
    {
        var cart = Cart(Line("a", -1), Line("a", 100, quantity: 0)) with { SelectedShipping = "drone" };

        Assert.Equal(["lines[0].unitPrice", "lines[1].id", "lines[1].quantity", "selectedShipping"], CartValidation.Validate(cart).Select(e => e.Field));
    }

    [Fact]
    public void DuplicatePromotionIds_AreRefused()
    {
        var cart = Cart(Line("a", 1000)) with { Coupons = [OrderPromo("same", new AmountOff(100))] };

        Assert.Throws<ArgumentException>(() => Price(cart, OrderPromo("same", new AmountOff(200))));
    }
}
