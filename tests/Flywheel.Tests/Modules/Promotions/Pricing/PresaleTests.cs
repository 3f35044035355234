using Flywheel.Modules.Promotions.Pricing;
using static Flywheel.Tests.Modules.Promotions.Pricing.PricingExamples;

namespace Flywheel.Tests.Modules.Promotions.Pricing;

/// <summary>定金膨胀: presale price 500, deposit 50 paid that counts as 100 (fen below).</summary>
public sealed class PresaleTests
{
    private static Cart Presale(PresaleThresholdBasis basis = PresaleThresholdBasis.Balance) =>
        Cart(Line("phone", 50000) with { Presale = new PresaleTerms(5000, 10000) { ThresholdBasis = basis } });

    [Fact]
    public void Deposit_CountsAsItsValue()
    {
        // 500 − 100 (the deposit's value) = 400 balance; the 50 paid is not charged again.
        var quote = Price(Presale());

        var line = quote.LineOf("phone");
        Assert.Equal(5000, line.PresaleInflation);
        Assert.Equal(5000, line.DepositPaid);
        Assert.Equal(40000, quote.Payable);
    }

    [Fact]
    public void Threshold_OnTheBalance()
    {
        // Balance 400 reaches 满300减30: 400 − 30 = 370.
        Assert.Equal(37000, Price(Presale(), OrderPromo("300-30", new ThresholdOff(30000, 3000))).Payable);
    }

    [Theory]
    // Full-price basis: 500 − 50 inflation = 450 counts and reaches 满450减45 → 400 − 45 = 355.
    [InlineData(PresaleThresholdBasis.FullPrice, 35500)]
    // Balance basis: 400 counts, short of 450 → 400.
    [InlineData(PresaleThresholdBasis.Balance, 40000)]
    public void ThresholdBasis_IsAsConfigured(PresaleThresholdBasis basis, long expected)
    {
        Assert.Equal(expected, Price(Presale(basis), OrderPromo("450-45", new ThresholdOff(45000, 4500))).Payable);
    }

    [Fact]
    public void Discounts_NeverEatIntoTheDepositPaid()
    {
        // 450 off asked, but only the 400 balance can be absorbed; the line still carries the 50 deposit.
        var quote = Price(Presale(), OrderPromo("huge", new AmountOff(45000)));

        Assert.Equal(0, quote.Payable);
        Assert.Equal(5000, quote.LineOf("phone").Amount);
        Assert.Equal(40000, quote.Outcome("huge").Amount);
    }
}
