using Flywheel.Modules.Analytics.Retention;
using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Events;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Dashboard;

/// <summary>
/// Reads one period of the dashboard from the stores into tallies, one per bucket and one for the whole period. Local
/// dates become UTC boundaries here (local midnights of the workspace zone), so the stores only see instants.
/// </summary>
internal sealed class PeriodReader(
    FlywheelDb db, IEventStore events, string workspaceId, WorkspaceSettings settings, DashboardRequest request, HashSet<string>? among, DateTimeOffset now)
{
    private static readonly TimeSpan LongestRepurchaseWindow = TimeSpan.FromDays(DashboardMetrics.RepurchaseWindows.Max());

    private TimeZoneInfo Zone => settings.Zone;

    private bool Kept(string? customerId) => among is null || (customerId is not null && among.Contains(customerId));

    public async Task<(IReadOnlyList<Bucket> Buckets, Bucket Total)> ReadAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var starts = BucketStarts(from, to);
        var bounds = starts.Select(d => LocalDays.StartUtc(d, Zone)).Append(LocalDays.StartUtc(to.AddDays(1), Zone)).ToList();
        var buckets = starts.Select((d, i) => new Bucket(d, i + 1 < starts.Count ? starts[i + 1].AddDays(-1) : to, NewTally(), new(StringComparer.Ordinal))).ToList();
        var total = new Bucket(from, to, NewTally(), new(StringComparer.Ordinal));
        if (request.Cut.Category is null)
        {
            await ReadTrafficAsync(from, to, bounds, buckets, total, ct);
        }
        if (request.Cut.Source is null)
        {
            await ReadSalesAsync(bounds, buckets, total, ct);
        }
        return (buckets, total);
    }

    private Tally NewTally() => new()
    {
        HasSales = request.Cut.Source is null,
        RefundedMinor = request.Cut.Category is null ? 0 : null,
    };

    /// <summary>The first day of each bucket: the range's first day, then the start of each later day, week or month in it.</summary>
    private List<DateOnly> BucketStarts(DateOnly from, DateOnly to)
    {
        var starts = new List<DateOnly> { from };
        var next = CohortEngine.NextPeriodStart(CohortEngine.PeriodStart(from, request.Grain, request.WeekStart), request.Grain);
        for (; next <= to; next = CohortEngine.NextPeriodStart(next, request.Grain))
        {
            starts.Add(next);
        }
        return starts;
    }

    private async Task ReadTrafficAsync(DateOnly from, DateOnly to, List<DateTime> bounds, List<Bucket> buckets, Bucket total, CancellationToken ct)
    {
        var summary = await events.SummarizeTrafficAsync(new TrafficQuery(workspaceId, bounds, among, request.Cut.Source), ct);
        for (var i = 0; i < buckets.Count; i++)
        {
            buckets[i].Tally.Traffic = summary.PerInterval[i];
        }
        total.Tally.Traffic = summary.Total;

        // DAU is a daily figure averaged over the days of a bucket: by day it is the bucket's own; otherwise one more
        // query by day.
        var daily = request.Grain == CohortGrain.Day
            ? summary
            : await events.SummarizeTrafficAsync(new TrafficQuery(workspaceId, LocalDays.Boundaries(from, to, Zone), among, request.Cut.Source), ct);
        foreach (var bucket in buckets)
        {
            var first = bucket.From.DayNumber - from.DayNumber;
            var days = bucket.To.DayNumber - bucket.From.DayNumber + 1;
            bucket.Tally.DailyActive = (decimal)daily.PerInterval.Skip(first).Take(days).Sum(d => d.ActiveVisitors) / days;
        }
        total.Tally.DailyActive = (decimal)daily.PerInterval.Sum(d => d.ActiveVisitors) / daily.PerInterval.Count;

        // MAU: the 30 days ending on the period's last day.
        total.Tally.MonthlyActive = await events.CountActiveVisitorsAsync(new TrafficQuery(
            workspaceId, [LocalDays.StartUtc(to.AddDays(-29), Zone), LocalDays.StartUtc(to.AddDays(1), Zone)], among, request.Cut.Source), ct);
    }

    private async Task ReadSalesAsync(List<DateTime> bounds, List<Bucket> buckets, Bucket total, CancellationToken ct)
    {
        var currency = settings.Currency;
        var start = new DateTimeOffset(bounds[0], TimeSpan.Zero);
        var end = new DateTimeOffset(bounds[^1], TimeSpan.Zero);
        var category = request.Cut.Category;
        // Under a category cut an order counts with its lines of that category, and only when it has some.
        var categorySpend = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        await foreach (var line in OrderQueries.CategorySpendBetween(db, workspaceId, start, end).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!categorySpend.TryGetValue(line.OrderId, out var byCategory))
            {
                categorySpend[line.OrderId] = byCategory = new(StringComparer.Ordinal);
            }
            byCategory[line.Category] = line.SpendMinor;
        }

        var repurchases = new Repurchases();
        // A repurchase is counted only once its window has ended, at or before now: no order paid after now can be one.
        var afterNow = now.AddTicks(1);
        var repurchasesUntil = end + LongestRepurchaseWindow < afterNow ? end + LongestRepurchaseWindow : afterNow > end ? afterNow : end;
        var rows = OrderQueries.PaidBetween(db, workspaceId, start, repurchasesUntil).AsNoTracking().AsAsyncEnumerable();
        await foreach (var o in rows.WithCancellation(ct))
        {
            // Amounts in two currencies do not add up: orders in another currency are left out, as on the overview.
            if (o.Currency != currency || !Kept(o.CustomerId))
            {
                continue;
            }
            var paidAt = o.PaidAt.UtcDateTime;
            if (o.CustomerId is not null)
            {
                repurchases.Add(o.CustomerId, paidAt, o.FullyRefunded);
            }
            var i = LocalDays.IndexOf(bounds, paidAt);
            if (i < 0)
            {
                continue;
            }
            var lines = categorySpend.GetValueOrDefault(o.OrderId);
            long amount;
            if (category is null)
            {
                amount = o.TotalMinor;
            }
            else if (lines is not null && lines.TryGetValue(category, out var spend))
            {
                amount = spend;
            }
            else
            {
                continue;
            }
            foreach (var bucket in new[] { buckets[i], total })
            {
                bucket.Tally.AddPaid(o.CustomerId, paidAt, amount, o.RefundedMinor);
                foreach (var (name, minor) in lines ?? [])
                {
                    if (category is null || name == category)
                    {
                        bucket.CategoryMinor[name] = bucket.CategoryMinor.GetValueOrDefault(name) + minor;
                    }
                }
            }
        }
        if (category is not null)
        {
            // Placed orders, new customers, repurchase and wake-up describe customers and orders, not lines of a category.
            return;
        }
        total.Tally.Repurchase = DashboardMetrics.RepurchaseWindows.ToDictionary(
            w => w, w => repurchases.Cohort(total.Tally.FirstPaid, TimeSpan.FromDays(w), now));
        await ReadPlacedAsync(bounds, buckets, total, start, end, ct);
        await ReadNewCustomersAsync(bounds, buckets, total, start, end, ct);
        await ReadWakeUpAsync(total, start, ct);
    }

    private async Task ReadPlacedAsync(List<DateTime> bounds, List<Bucket> buckets, Bucket total, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        foreach (var bucket in buckets.Append(total))
        {
            bucket.Tally.Placed = (0, 0);
        }
        await foreach (var o in OrderQueries.PlacedBetween(db, workspaceId, start, end).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (o.Currency != settings.Currency || !Kept(o.CustomerId))
            {
                continue;
            }
            var i = LocalDays.IndexOf(bounds, o.PlacedAt.UtcDateTime);
            foreach (var tally in new[] { buckets[i].Tally, total.Tally })
            {
                var (placed, paid) = tally.Placed!.Value;
                tally.Placed = (placed + 1, paid + (o.Paid ? 1 : 0));
            }
        }
    }

    private async Task ReadNewCustomersAsync(List<DateTime> bounds, List<Bucket> buckets, Bucket total, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        foreach (var bucket in buckets.Append(total))
        {
            bucket.Tally.NewCustomers = 0;
        }
        await foreach (var c in CustomerQueries.AcquiredBetween(db, workspaceId, start, end).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (Kept(c.CustomerId))
            {
                buckets[LocalDays.IndexOf(bounds, c.AcquiredAt.UtcDateTime)].Tally.NewCustomers++;
                total.Tally.NewCustomers++;
            }
        }
    }

    /// <summary>
    /// Dormant at the start: the last paid order before the period began 30 days or more, but less than 90, before it
    /// (the lifecycle's dormant stage at that moment); woken: those of them who paid an order in the period.
    /// </summary>
    private async Task ReadWakeUpAsync(Bucket total, DateTimeOffset start, CancellationToken ct)
    {
        var activeUntil = start.AddDays(-StoredTraitTable.LifecycleActiveDays);
        var lostBefore = start.AddDays(-StoredTraitTable.LifecycleLostDays);
        var dormant = await OrderQueries.LastPaidBetween(db, workspaceId, lostBefore, start)
            .Where(c => c.PaidAt <= activeUntil)
            .Select(c => c.CustomerId).ToListAsync(ct);
        var kept = dormant.Where(Kept).ToList();
        total.Tally.WakeUp = (kept.Count, kept.Count(total.Tally.FirstPaid.ContainsKey));
    }
}
