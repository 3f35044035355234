using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Segments.Clustering;

namespace Flywheel.Tests.Modules.Segments.Clustering;

public sealed class CustomerFeaturesTests
{
    [Fact]
    public void EachFeature_ReadsItsTrait_MoneyInMajorUnits()
    {
        // 3 orders, ¥450.00 spent, ¥45.00 refunded, AOV ¥150.00, 12 days since the last, 20.5 days apart, 2 of 3 with a coupon, 4 categories.
        var buyer = new BuyerTraits("c1", 3, 45000, 4500, 15000, 12, 20.5, 2.0 / 3, 4);

        var row = CustomerFeatures.Matrix([buyer], CustomerFeatures.All, "CNY");

        Assert.Equal(
            ["paid_orders", "total_spend", "average_order_value", "days_since_last_order", "average_days_between_orders", "refund_share", "coupon_use_rate", "categories_bought"],
            CustomerFeatures.Keys);
        Assert.Equal([3, 450, 150, 12, 20.5, 0.1, 2.0 / 3, 4], row);
        Assert.Equal([true, true, true, true, true, false, false, true], CustomerFeatures.All.Select(f => f.Logged));
    }

    [Fact]
    public void OneOrderCustomer_HasNoAverageGap_AndFreeOrdersNoRefundShare()
    {
        var buyer = new BuyerTraits("c1", 1, 0, 0, 0, 3, null, 0, 0);

        var row = CustomerFeatures.Matrix([buyer], CustomerFeatures.All, "JPY");

        Assert.True(double.IsNaN(row[4]));
        Assert.Equal(0, row[5]);
    }

    [Fact]
    public void Request_OrdersFeaturesAsTheCatalogue_AndNamesWhatIsWrong()
    {
        var errors = new Flywheel.Platform.Api.FieldErrors();

        var features = new ClusterRequest(4, ["coupon_use_rate", "paid_orders"], null).Validate(errors, DateTimeOffset.UnixEpoch);
        Assert.False(errors.Any);
        Assert.Equal(["paid_orders", "coupon_use_rate"], features.Select(f => f.Key));

        new ClusterRequest(21, ["spend", "paid_orders", "paid_orders"], -1).Validate(errors, DateTimeOffset.UnixEpoch);
        var messages = errors.ToDictionary();
        Assert.Equal(["must be from 2 to 20, or null to have k suggested (it was 21)."], messages["k"]);
        Assert.Equal(["must be 0 or more."], messages["seed"]);
        Assert.Equal(2, messages["features"].Length);
        Assert.StartsWith("'spend' is not a feature; the features are paid_orders, total_spend,", messages["features"][0], StringComparison.Ordinal);
        Assert.Equal("lists 'paid_orders' more than once.", messages["features"][1]);
    }
}
