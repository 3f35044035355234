using System.Globalization;
using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Platform;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Budgets;

/// <summary>
/// How a budget burns: what paid orders spent from it per local day (by the time checkout committed them), the running
/// total against the amount, what open checkouts hold now, and when the budget runs out at the last week's pace.
/// Read from the hold ledger, the one record of what was given, so the chart and the refusals always agree.
/// </summary>
public static class BudgetBurn
{
    /// <summary>The longest series shown: a year and a day, the latest days.</summary>
    public const int MaxDays = 366;

    public static async Task<JsonObject> ReadAsync(
        FlywheelDb db, string workspaceId, string resourceKey, long? amount, DateTimeOffset since, WorkspaceSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        var zone = settings.Zone;
        DateOnly Local(DateTimeOffset at) => LocalDays.DateOf(at, zone);
        var today = Local(now);
        // Payments within the longest series are read one by one (to find their local day); earlier ones only as a sum.
        var windowStart = new DateTimeOffset(LocalDays.StartUtc(today.AddDays(1 - MaxDays), zone));
        var payments =
            from h in db.Holds
            join r in db.Reservations on h.ReservationId equals r.Id
            where h.WorkspaceId == workspaceId && h.ResourceKey == resourceKey && r.State == ReservationState.Committed && h.Amount > 0
            select new { r.ClosedAt, h.Amount };
        var committed = await payments.Where(p => p.ClosedAt >= windowStart).ToListAsync(ct);
        var before = await payments.Where(p => p.ClosedAt < windowStart).SumAsync(p => (long?)p.Amount, ct) ?? 0;
        var resource = (await HoldLedger.ResourcesAsync(db, workspaceId, [resourceKey], ct)).GetValueOrDefault(resourceKey);

        var perDay = committed.GroupBy(c => Local(c.ClosedAt ?? now)).ToDictionary(g => g.Key, g => g.Sum(c => c.Amount));
        var first = perDay.Count > 0 ? new[] { Local(since), perDay.Keys.Min() }.Min() : Local(since);
        if (first > today)
        {
            first = today;
        }
        if (today.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            first = today.AddDays(1 - MaxDays);
        }
        var cumulative = before + perDay.Where(d => d.Key < first).Sum(d => d.Value);
        var money = MoneyUnits.Major(settings.Currency);
        var days = new JsonArray();
        for (var day = first; day <= today; day = day.AddDays(1))
        {
            var spent = perDay.GetValueOrDefault(day);
            cumulative += spent;
            days.Add(new JsonObject
            {
                ["date"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["spent"] = money.Write(spent),
                ["cumulative"] = money.Write(cumulative),
            });
        }

        var spentTotal = resource?.Spent ?? 0;
        var held = resource?.Held ?? 0;
        long? left = amount is { } a ? Math.Max(0, a - spentTotal - held) : null;
        // The pace: the last seven local days, today included, averaged over seven.
        var lastWeek = perDay.Where(d => d.Key > today.AddDays(-7) && d.Key <= today).Sum(d => d.Value);
        var daily = lastWeek / 7m;
        return new JsonObject
        {
            ["currency"] = settings.Currency,
            ["time_zone"] = zone.Id,
            ["amount"] = money.Write(amount),
            ["spent"] = money.Write(spentTotal),
            ["held"] = money.Write(held),
            ["left"] = money.Write(left),
            ["average_daily_spend_7d"] = money.Write((long)Math.Round(daily, MidpointRounding.ToEven)),
            ["days_left_at_pace"] = left is { } l && daily > 0 ? (int)Math.Floor(l / daily) : null,
            ["days"] = days,
        };
    }
}
