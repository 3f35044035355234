using Flywheel.Modules.Analytics.Attribution;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>Paths built from one customer's touches and orders.</summary>
public sealed class PathBuilderTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(30);

    private static CustomerTouch Touch(string channel, int day, bool direct = false) => new(channel, From.AddDays(day), direct);

    [Fact]
    public void AnOrder_GetsTheTouchesOfTheLookbackBeforeIt_OldestFirst()
    {
        // The order is on day 10; with the default 30 days, the touch of day −25 (35 days before) is out, day −15 in.
        CustomerTouch[] touches = [Touch("search", 5), Touch("social", -25), Touch("email", -15), Touch("ads", 12)];

        var built = PathBuilder.Build(touches, [new CustomerOrder(From.AddDays(10), 99.00m)], From, To);

        var path = Assert.Single(built.Paths);
        Assert.Equal(["email", "search"], path.Touches.Select(t => t.Channel));
        Assert.Equal((1L, 99.00m, 0L, From.AddDays(10)), (path.Conversions, path.Value, path.Nulls, path.ConvertedAt));
        Assert.Empty(built.OrdersWithoutTouches);
    }

    [Fact]
    public void TouchesBeforeAPreviousOrder_CountAgain_UnlessResetAfterConversion()
    {
        CustomerTouch[] touches = [Touch("search", 1), Touch("email", 3), Touch("ads", 5)];
        CustomerOrder[] orders = [new(From.AddDays(4), 10.00m), new(From.AddDays(6), 20.00m)];

        var kept = PathBuilder.Build(touches, orders, From, To);
        var reset = PathBuilder.Build(touches, orders, From, To, new PathWindow(resetAfterConversion: true));

        Assert.Equal(["search", "email", "ads"], kept.Paths[1].Touches.Select(t => t.Channel));
        Assert.Equal(["ads"], reset.Paths[1].Touches.Select(t => t.Channel));
        Assert.Equal(["search", "email"], reset.Paths[0].Touches.Select(t => t.Channel));
    }

    [Fact]
    public void AShorterLookback_LeavesOlderTouchesOut_AndAnOrderWithoutTouchesIsReturnedApart()
    {
        CustomerTouch[] touches = [Touch("search", 1), Touch("email", 8)];
        CustomerOrder[] orders = [new(From.AddDays(9), 10.00m), new(From.AddDays(20), 5.00m)];

        var built = PathBuilder.Build(touches, orders, From, To, new PathWindow(TimeSpan.FromDays(7)));

        Assert.Equal(["email"], Assert.Single(built.Paths).Touches.Select(t => t.Channel));
        Assert.Equal(5.00m, Assert.Single(built.OrdersWithoutTouches).Value);
    }

    [Fact]
    public void ACustomerWithTouchesButNoOrder_GetsOneNullPathOfThePeriodsTouches()
    {
        CustomerTouch[] touches = [Touch("search", -3), Touch("email", 2), Touch("direct", 4, direct: true)];

        var path = Assert.Single(PathBuilder.Build(touches, [], From, To).Paths);

        Assert.Equal(["email", "direct"], path.Touches.Select(t => t.Channel));
        Assert.True(path.Touches[1].IsDirect);
        Assert.Equal((0L, 0m, 1L), (path.Conversions, path.Value, path.Nulls));
    }

    [Fact]
    public void OrdersOutsideThePeriod_MakeNoPath_AndATouchAtTheOrdersInstantIsOnIt()
    {
        CustomerTouch[] touches = [Touch("search", 2), Touch("email", 31)];
        CustomerOrder[] orders = [new(From.AddDays(2), 10.00m), new(From.AddDays(31), 10.00m)];

        var built = PathBuilder.Build(touches, orders, From, To);

        Assert.Equal(["search"], Assert.Single(built.Paths).Touches.Select(t => t.Channel));
    }

    [Fact]
    public void BuiltPaths_FeedTheTimeDecayModel()
    {
        CustomerTouch[] touches = [Touch("search", 1), Touch("email", 8)];

        var built = PathBuilder.Build(touches, [new CustomerOrder(From.AddDays(8), 30.00m)], From, To);
        var result = AttributionEngine.Run(AttributionModel.TimeDecay, built.Paths);

        // Half-life 7 days: search is 7 days old (weight 1/2), email 0 (weight 1): 1/3 and 2/3 of 30.00.
        Assert.Equal(10.00m, result["search"].Value);
        Assert.Equal(20.00m, result["email"].Value);
    }
}
