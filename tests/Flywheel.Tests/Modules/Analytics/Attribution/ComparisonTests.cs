using Flywheel.Modules.Analytics.Attribution;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>Models side by side, with ROI and ROAS as SPEC §5 defines them.</summary>
public sealed class ComparisonTests
{
    private static readonly ConversionPath[] Example = [Paths.Of("search > email", 2, 300.00m), Paths.Of("email", 1, 100.00m)];

    [Fact]
    public void EachChannel_ShowsEveryModelsCredit()
    {
        var comparison = AttributionComparison.Of(Example, [AttributionModel.FirstTouch, AttributionModel.LastTouch, AttributionModel.Linear]);

        // First touch: search 2 (300.00), email 1 (100.00); last touch: email 3 (400.00);
        // linear: search 2/2 = 1 (150.00), email 1 + 1 = 2 (150.00 + 100.00).
        Assert.Equal((2.0, 300.00m), Credit(comparison["search"][AttributionModel.FirstTouch]));
        Assert.Equal((0.0, 0.00m), Credit(comparison["search"][AttributionModel.LastTouch]));
        Assert.Equal((3.0, 400.00m), Credit(comparison["email"][AttributionModel.LastTouch]));
        Assert.Equal((1.0, 150.00m), Credit(comparison["search"][AttributionModel.Linear]));
        Assert.Equal((2.0, 250.00m), Credit(comparison["email"][AttributionModel.Linear]));
    }

    [Fact]
    public void RoiAndRoas_FollowSpec_WithTheGrossMargin()
    {
        var spend = new ChannelSpend(new Dictionary<string, decimal> { ["search"] = 60.00m, ["email"] = 0m, ["tv"] = 50.00m }, grossMargin: 0.3m);

        var comparison = AttributionComparison.Of(Example, [AttributionModel.FirstTouch], spend: spend);

        // search, first touch: revenue 300.00, gross profit 0.3 × 300 = 90; ROI = (90 − 60) / 60 = 0.5; ROAS = 300 / 60 = 5.
        var search = comparison["search"][AttributionModel.FirstTouch];
        Assert.Equal((0.5m, 5m), (search.Roi, search.Roas));
        // email cost nothing: no ratio. tv cost 50.00 and has no touches: ROI (0 − 50) / 50 = −1, ROAS 0.
        Assert.Equal((null, null), (comparison["email"][AttributionModel.FirstTouch].Roi, comparison["email"][AttributionModel.FirstTouch].Roas));
        var tv = comparison["tv"][AttributionModel.FirstTouch];
        Assert.Equal((0.0, 0m, -1m, 0m), (tv.Conversions, tv.Value, tv.Roi, tv.Roas));
    }

    [Fact]
    public void Ratios_AreRoundedToFourDecimals()
    {
        var spend = new ChannelSpend(new Dictionary<string, decimal> { ["email"] = 300.00m }, grossMargin: 1m);

        var email = AttributionComparison.Of(Example, [AttributionModel.FirstTouch], spend: spend)["email"][AttributionModel.FirstTouch];

        // 100 / 300 = 0.33333… → 0.3333; (100 − 300) / 300 = −0.66666… → −0.6667.
        Assert.Equal((-0.6667m, 0.3333m), (email.Roi, email.Roas));
    }

    private static (double, decimal) Credit(ModelCredit credit) => (Math.Round(credit.Conversions, 12), credit.Value);
}
