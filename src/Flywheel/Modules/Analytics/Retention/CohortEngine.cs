namespace Flywheel.Modules.Analytics.Retention;

public enum CohortGrain
{
    Day,
    Week,
    Month,
}

/// <summary>Calendar periods of the workspace time zone (the default), or rolling periods from each customer's start.</summary>
public enum PeriodMode
{
    Calendar,
    Rolling,
}

/// <summary>What puts a customer in a cohort and what counts as coming back: paid orders, or visits (any event but orders).</summary>
public enum CohortBasis
{
    FirstOrder,
    FirstVisit,
}

/// <summary>Whether period k counts activity exactly in period k, or in period k or any later one.</summary>
public enum RetentionMeasure
{
    On,
    OnOrAfter,
}

/// <summary>One customer's activity: paid orders, as (local time, amount in minor units), oldest first.</summary>
public sealed record CohortMember(IReadOnlyList<(DateTime Local, long AmountMinor)> Activity);

/// <summary>
/// Period k of a cohort: of the <see cref="Eligible"/> members (those for whom period k has ended, so that the figure is
/// final — members still inside it are left out, not counted as lost), how many were active (<see cref="Retained"/>),
/// and what the eligible members spent in it (period 0 is their start).
/// </summary>
public sealed record CohortPeriod(int K, int Eligible, int Retained, double? Rate, long RevenueMinor, long StartRevenueMinor);

public sealed record Cohort(DateOnly Start, int Size, IReadOnlyList<CohortPeriod> Periods);

/// <summary>
/// Cohort tables (SPEC §5, docs/metrics.md "Retention and repurchase cohorts"): each member belongs to the cohort of the
/// period of their first activity; period k is, in calendar mode, the k-th calendar period after the cohort's (local
/// days, weeks starting on the chosen day, months), and in rolling mode the k-th span of 1, 7 or 30 × 24 hours after
/// the member's first activity. Pure: local times in, figures out.
/// </summary>
public static class CohortEngine
{
    public static IReadOnlyList<Cohort> Build(
        IEnumerable<CohortMember> members, DateOnly from, DateOnly to, CohortGrain grain, PeriodMode mode, RetentionMeasure measure,
        int periods, DayOfWeek weekStart, DateTime nowLocal)
    {
        var byCohort = new SortedDictionary<DateOnly, List<CohortMember>>();
        foreach (var m in members.Where(m => m.Activity.Count > 0))
        {
            var start = PeriodStart(DateOnly.FromDateTime(m.Activity[0].Local), grain, weekStart);
            if (start >= PeriodStart(from, grain, weekStart) && start <= to)
            {
                if (!byCohort.TryGetValue(start, out var list))
                {
                    byCohort[start] = list = [];
                }
                list.Add(m);
            }
        }
        return byCohort.Select(c => new Cohort(c.Key, c.Value.Count, Enumerable.Range(0, periods + 1)
            .Select(k => Period(c.Key, c.Value, k, grain, mode, measure, weekStart, nowLocal)).ToList())).ToList();
    }

    private static CohortPeriod Period(
        DateOnly cohort, List<CohortMember> members, int k, CohortGrain grain, PeriodMode mode, RetentionMeasure measure, DayOfWeek weekStart, DateTime now)
    {
        int eligible = 0, retained = 0;
        long revenue = 0, startRevenue = 0;
        foreach (var m in members)
        {
            var first = m.Activity[0].Local;
            if (End(cohort, first, k, grain, mode) > now)
            {
                continue;
            }
            eligible++;
            var indexes = m.Activity.Select(a => (Index: Index(cohort, first, a.Local, grain, mode, weekStart), a.AmountMinor)).ToList();
            if (indexes.Any(a => measure == RetentionMeasure.On ? a.Index == k : a.Index >= k))
            {
                retained++;
            }
            revenue += indexes.Where(a => a.Index == k).Sum(a => a.AmountMinor);
            startRevenue += indexes.Where(a => a.Index == 0).Sum(a => a.AmountMinor);
        }
        return new CohortPeriod(k, eligible, retained, eligible == 0 ? null : (double)retained / eligible, revenue, startRevenue);
    }

    /// <summary>The period an activity falls in, counted from the member's start (0).</summary>
    private static int Index(DateOnly cohort, DateTime first, DateTime at, CohortGrain grain, PeriodMode mode, DayOfWeek weekStart)
    {
        if (mode == PeriodMode.Rolling)
        {
            return (int)Math.Floor((at - first) / Span(grain));
        }
        var day = DateOnly.FromDateTime(at);
        return grain switch
        {
            CohortGrain.Day => day.DayNumber - cohort.DayNumber,
            CohortGrain.Week => (PeriodStart(day, grain, weekStart).DayNumber - cohort.DayNumber) / 7,
            _ => ((day.Year - cohort.Year) * 12) + day.Month - cohort.Month,
        };
    }

    /// <summary>When period k ends for a member: the cohort's k-th calendar period, or k + 1 spans after their start.</summary>
    private static DateTime End(DateOnly cohort, DateTime first, int k, CohortGrain grain, PeriodMode mode)
    {
        if (mode == PeriodMode.Rolling)
        {
            return first + (Span(grain) * (k + 1));
        }
        var start = cohort.ToDateTime(TimeOnly.MinValue);
        return grain switch
        {
            CohortGrain.Day => start.AddDays(k + 1),
            CohortGrain.Week => start.AddDays(7 * (k + 1)),
            _ => start.AddMonths(k + 1),
        };
    }

    /// <summary>The length of a rolling period: 24 hours, 7 days or 30 days.</summary>
    public static TimeSpan Span(CohortGrain grain) => grain switch
    {
        CohortGrain.Day => TimeSpan.FromDays(1),
        CohortGrain.Week => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(30),
    };

    /// <summary>The first day of the calendar period after the one starting on <paramref name="start"/>.</summary>
    public static DateOnly NextPeriodStart(DateOnly start, CohortGrain grain) => grain switch
    {
        CohortGrain.Day => start.AddDays(1),
        CohortGrain.Week => start.AddDays(7),
        _ => start.AddMonths(1),
    };

    /// <summary>The first day of the calendar period holding <paramref name="day"/>.</summary>
    public static DateOnly PeriodStart(DateOnly day, CohortGrain grain, DayOfWeek weekStart) => grain switch
    {
        CohortGrain.Day => day,
        CohortGrain.Week => day.AddDays(-(((int)day.DayOfWeek - (int)weekStart + 7) % 7)),
        _ => new DateOnly(day.Year, day.Month, 1),
    };
}
