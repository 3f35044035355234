using Flywheel.Platform;

namespace Flywheel.Tests.Platform;

public sealed class LocalDaysTests
{
    private static DateTime Utc(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Shanghai_DaysBeginAt16Utc_TheDayBefore()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

        Assert.Equal([Utc(11, 7, 16), Utc(11, 8, 16), Utc(11, 9, 16)], LocalDays.Boundaries(new(2026, 11, 8), new(2026, 11, 9), zone));
    }

    [Fact]
    public void NewYork_TheDayDaylightSavingEnds_Is25Hours()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        var b = LocalDays.Boundaries(new(2026, 10, 31), new(2026, 11, 2), zone);

        // 31 Oct and 1 Nov begin at 00:00 EDT (UTC−4), 2 Nov and 3 Nov at 00:00 EST (UTC−5).
        Assert.Equal([Utc(10, 31, 4), Utc(11, 1, 4), Utc(11, 2, 5), Utc(11, 3, 5)], b);
        Assert.Equal(TimeSpan.FromHours(25), b[2] - b[1]);
    }

    [Fact]
    public void Midnight_ThatDoesNotExistOrHappensTwice_BeginsTheDayAtItsFirstMoment()
    {
        // UTC−4, summer time (UTC−3) from 6 Sep 00:00 (clocks go to 01:00) to 5 Apr 01:00 (clocks go back to 00:00).
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
            new DateTime(2000, 1, 1), new DateTime(2099, 12, 31), TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 0, 0, 0), 9, 6),
            TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 1, 0, 0), 4, 5));
        var zone = TimeZoneInfo.CreateCustomTimeZone("Test/MidnightChanges", TimeSpan.FromHours(-4), "test", "test", "test", [rule]);

        // No 00:00 on 6 Sep: the day begins at 01:00 summer time, 04:00 UTC.
        Assert.Equal(Utc(9, 6, 4), LocalDays.StartUtc(new(2026, 9, 6), zone));
        // 00:00 on 5 Apr happens first in summer time (UTC−3): 03:00 UTC.
        Assert.Equal(Utc(4, 5, 3), LocalDays.StartUtc(new(2026, 4, 5), zone));
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(4, -1)]
    public void IndexOf_FindsTheHalfOpenInterval(int hour, int expected)
    {
        DateTime[] bounds = [Utc(1, 1, 1), Utc(1, 1, 3), Utc(1, 1, 4)];

        Assert.Equal(expected, LocalDays.IndexOf(bounds, Utc(1, 1, hour)));
    }
}
