using Flywheel.Modules.Analytics.Retention;

namespace Flywheel.Tests.Modules.Analytics;

/// <summary>Repurchase cohorts worked out by hand; times are local to the workspace.</summary>
public sealed class CohortEngineTests
{
    private static DateTime L(int month, int day, int hour = 12) => new(2026, month, day, hour, 0, 0);

    private static CohortMember M(params (DateTime At, long Amount)[] orders) => new([.. orders.Select(o => (o.At, o.Amount))]);

    private static readonly CohortMember[] Members =
    [
        M((L(1, 10), 100), (L(2, 5), 50)),   // January cohort; back in period 1
        M((L(1, 20), 200), (L(3, 1), 30)),   // January cohort; back in period 2
        M((L(2, 14), 80)),                   // February cohort; never back
        M((L(3, 31), 10), (L(4, 2), 10)),    // March cohort; back in April, which has not ended on 15 April
    ];

    private static IReadOnlyList<Cohort> Monthly(RetentionMeasure measure) => CohortEngine.Build(
        Members, new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), CohortGrain.Month, PeriodMode.Calendar, measure, 2, DayOfWeek.Monday, L(4, 15));

    [Fact]
    public void MonthlyCohorts_On_CountEachPeriodOnlyOnceItHasEnded()
    {
        var c = Monthly(RetentionMeasure.On);
        Assert.Equal([new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1)], c.Select(x => x.Start));
        Assert.Equal([2, 1, 1], c.Select(x => x.Size));
        // January: period 0 both, February only the first, March only the second; revenue 300, 50, 30.
        Assert.Equal([(2, 2), (2, 1), (2, 1)], c[0].Periods.Select(p => (p.Eligible, p.Retained)));
        Assert.Equal([300L, 50L, 30L], c[0].Periods.Select(p => p.RevenueMinor));
        Assert.All(c[0].Periods, p => Assert.Equal(300, p.StartRevenueMinor));
        // February: March has ended (lost), April has not (left out: nobody eligible, no rate).
        Assert.Equal([(1, 1), (1, 0), (0, 0)], c[1].Periods.Select(p => (p.Eligible, p.Retained)));
        Assert.Null(c[1].Periods[2].Rate);
        // March: the April order is in a period that has not ended, so it is not counted yet.
        Assert.Equal([(1, 1), (0, 0), (0, 0)], c[2].Periods.Select(p => (p.Eligible, p.Retained)));
    }

    [Fact]
    public void OnOrAfter_CountsAMemberInEveryPeriodUpToTheirLastReturn()
    {
        var january = Monthly(RetentionMeasure.OnOrAfter)[0];
        // The second member came back in period 2, so counts in period 1 as well.
        Assert.Equal([2, 2, 1], january.Periods.Select(p => p.Retained));
        Assert.Equal([1.0, 1.0, 0.5], january.Periods.Select(p => p.Rate!.Value));
    }

    [Fact]
    public void RollingDays_CountFromTheFirstOrder_CalendarDaysFromItsDate()
    {
        // 23:00 on 1 Jan and 10:00 on 2 Jan: the next calendar day, but within the first 24 hours.
        var members = new[] { M((L(1, 1, 23), 10), (L(1, 2, 10), 10)) };
        CohortPeriod Day1(PeriodMode mode) => CohortEngine.Build(members, new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 1),
            CohortGrain.Day, mode, RetentionMeasure.On, 1, DayOfWeek.Monday, L(2, 1))[0].Periods[1];
        Assert.Equal(1, Day1(PeriodMode.Calendar).Retained);
        Assert.Equal(0, Day1(PeriodMode.Rolling).Retained);
    }

    [Fact]
    public void Weeks_StartOnTheChosenDay()
    {
        // Sunday 4 Jan 2026: in the week of Monday 29 Dec, or in its own week when weeks start on Sunday.
        Assert.Equal(new DateOnly(2025, 12, 29), CohortEngine.PeriodStart(new DateOnly(2026, 1, 4), CohortGrain.Week, DayOfWeek.Monday));
        Assert.Equal(new DateOnly(2026, 1, 4), CohortEngine.PeriodStart(new DateOnly(2026, 1, 4), CohortGrain.Week, DayOfWeek.Sunday));
    }
}
