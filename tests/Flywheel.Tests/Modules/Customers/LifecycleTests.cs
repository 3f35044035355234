using Flywheel.Modules.Customers.Traits;

namespace Flywheel.Tests.Modules.Customers;

/// <summary>The stage boundaries of SPEC §3.3 (30 and 90 days), each checked on both sides by a millisecond.</summary>
public sealed class LifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 17, 4, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static LifecycleStatus Of(params DateTimeOffset[] paid) => Lifecycle.Of(paid, Now, LifecycleOptions.Default);

    [Fact]
    public void NoPaidOrder_IsAProspect_WithNothingScheduled()
    {
        Assert.Equal(new LifecycleStatus(LifecycleStage.Prospect, null, null), Of());
        // An order paid after the moment asked about does not count yet.
        Assert.Equal(LifecycleStage.Prospect, Of(Now + Ms).Stage);
    }

    [Fact]
    public void OneOrder_IsNewUntilThe30thDayHasPassed_ThenDormant()
    {
        var paid = Now - 30 * Day + Ms;
        Assert.Equal(new LifecycleStatus(LifecycleStage.New, paid, paid + 30 * Day), Of(paid));
        var exactly = Now - 30 * Day;
        Assert.Equal(new LifecycleStatus(LifecycleStage.Dormant, Now, exactly + 90 * Day), Of(exactly));
    }

    [Fact]
    public void DormantUntilThe90thDayHasPassed_ThenLost_ForGood()
    {
        var paid = Now - 90 * Day + Ms;
        Assert.Equal(new LifecycleStatus(LifecycleStage.Dormant, paid + 30 * Day, paid + 90 * Day), Of(paid));
        var exactly = Now - 90 * Day;
        Assert.Equal(new LifecycleStatus(LifecycleStage.Lost, Now, null), Of(exactly));
    }

    [Fact]
    public void TwoOrdersCloseTogether_AreActive_AndAGapOf30Days_MakesTheReturnAWinBack()
    {
        var last = Now - 2 * Day;
        Assert.Equal(new LifecycleStatus(LifecycleStage.Active, last, last + 30 * Day), Of(last - 30 * Day + Ms, last));
        Assert.Equal(new LifecycleStatus(LifecycleStage.WonBack, last, last + 30 * Day), Of(last - 30 * Day, last));
        // Back after being lost, with an active spell long before: still a win back.
        Assert.Equal(LifecycleStage.WonBack, Of(last - 400 * Day, last - 399 * Day, last).Stage);
    }

    [Fact]
    public void OtherThresholds_MoveTheBoundaries()
    {
        var options = new LifecycleOptions(ActiveDays: 7, LostDays: 60);
        Assert.Equal(LifecycleStage.Dormant, Lifecycle.Of([Now - 7 * Day], Now, options).Stage);
        Assert.Equal(LifecycleStage.Lost, Lifecycle.Of([Now - 60 * Day], Now, options).Stage);
        Assert.Equal(LifecycleStage.New, Lifecycle.Of([Now - 7 * Day + Ms], Now, options).Stage);
    }
}
