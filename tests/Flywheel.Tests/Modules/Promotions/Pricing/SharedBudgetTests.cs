using Flywheel.Modules.Promotions.Pricing;
using static Flywheel.Tests.Modules.Promotions.Pricing.PricingExamples;

namespace Flywheel.Tests.Modules.Promotions.Pricing;

/// <summary>Promotions drawing on one campaign budget: together they never take more than is left of it.</summary>
public sealed class SharedBudgetTests
{
    private static Promotion Off(string id, long amount, SharedBudget? budget) =>
        OrderPromo(id, new AmountOff(amount), PromotionClass.Order) with { SharedBudget = budget };

    [Fact]
    public void TwoPromotionsThatFitAloneButNotTogether_TheCustomerGetsTheLargerOne_AndTheOtherSaysWhy()
    {
        // ¥30 and ¥50 off, ¥60 left of the campaign: 30 + 50 = 80 > 60, so one of them. ¥50 leaves 150, ¥30 leaves 170.
        var double11 = new SharedBudget("cb-1", "Double 11", 6000);
        var quote = Price(Cart(Line("a", 20000)), Off("a-30", 3000, double11), Off("b-50", 5000, double11));

        Assert.Equal(15000, quote.Payable);
        Assert.Equal(["b-50"], quote.Chosen.PromotionIds);
        var left = quote.Outcome("a-30");
        Assert.Equal(RejectionReason.CampaignBudgetInsufficient, left.Reason);
        Assert.Equal("The ¥60 left of campaign budget 'Double 11' does not cover its discount with the others drawing on it.", left.Explanation);
    }

    [Fact]
    public void ABudgetThatCoversBoth_GivesBoth()
    {
        // 30 + 50 = 80 ≤ 80 left: 200 − 80 = 120.
        var budget = new SharedBudget("cb-1", "Double 11", 8000);
        var quote = Price(Cart(Line("a", 20000)), Off("a-30", 3000, budget), Off("b-50", 5000, budget));

        Assert.Equal(12000, quote.Payable);
        Assert.Equal(["a-30", "b-50"], quote.Chosen.PromotionIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DifferentCampaigns_AreCountedApart()
    {
        // 30 of 30 left in one, 50 of 50 in the other: both apply, 200 − 80 = 120.
        var quote = Price(Cart(Line("a", 20000)),
            Off("a-30", 3000, new SharedBudget("cb-1", "Double 11", 3000)), Off("b-50", 5000, new SharedBudget("cb-2", "Member day", 5000)));

        Assert.Equal(12000, quote.Payable);
    }

    [Fact]
    public void ASpentCampaignBudget_RejectsItsPromotionsBeforeTheyArePriced()
    {
        var spent = new SharedBudget("cb-1", "Double 11", 0);
        var quote = Price(Cart(Line("a", 20000)), Off("a-30", 3000, spent));

        Assert.Equal(20000, quote.Payable);
        Assert.Equal(RejectionReason.CampaignBudgetInsufficient, quote.Outcome("a-30").Reason);
        Assert.Equal("The budget of campaign 'Double 11' is spent.", quote.Outcome("a-30").Explanation);
    }

    [Fact]
    public void ThePromotionsOwnBudget_AndTheCampaigns_BothBind()
    {
        // Its own budget has 100 left, the campaign 40: ¥50 off does not fit the campaign, ¥30 off does.
        var campaign = new SharedBudget("cb-1", "Double 11", 4000);
        var quote = Price(Cart(Line("a", 20000)),
            Off("a-30", 3000, campaign) with { BudgetRemaining = 10000 }, Off("b-50", 5000, campaign) with { BudgetRemaining = 10000 });

        Assert.Equal(17000, quote.Payable);
        Assert.Equal(["a-30"], quote.Chosen.PromotionIds);
        Assert.Equal(RejectionReason.CampaignBudgetInsufficient, quote.Outcome("b-50").Reason);
    }
}
