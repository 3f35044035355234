using Flywheel.Modules.Analytics.Overview;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Insights;

/// <summary>The daily checks of one KPI over the range.</summary>
public sealed record MetricChecks(string Metric, IReadOnlyList<DayCheck> Days);

/// <summary>Anomalies of the main KPIs over the local dates [From, To] of the workspace time zone.</summary>
public sealed record AnomalyReport(DateOnly From, DateOnly To, string TimeZone, string Currency, DateTimeOffset AsOf, IReadOnlyList<MetricChecks> Metrics)
{
    /// <summary>Every alarm (ordinary days outside their baseline), newest first.</summary>
    public IEnumerable<(string Metric, DayCheck Day)> Alarms =>
        Metrics.SelectMany(m => m.Days.Where(d => d.Status == DayStatus.Anomaly).Select(d => (m.Metric, d)))
            .OrderByDescending(a => a.d.Date).ThenBy(a => a.Metric, StringComparer.Ordinal);
}

/// <summary>A change explained, with the periods it compares.</summary>
public sealed record ExplainedChange(
    DateOnly From, DateOnly To, DateOnly CompareFrom, DateOnly CompareTo, string TimeZone, string Currency, Explanation Explanation);

/// <summary>
/// Reads what insights need from the stores: the daily KPI series (through <see cref="OverviewQuery"/>, so the numbers
/// are the overview's own) and, for a drill-down, the paid orders of two periods with their channel, main category and
/// whether each was the customer's first.
/// </summary>
public sealed class InsightsQuery(OverviewQuery overview, StateStore state, IEventStore events, IngestPipeline pipeline)
{
    /// <summary>Longest range checked for anomalies; with its 8 weeks of history it stays inside the overview's 366 days.</summary>
    public const int MaxAnomalyDays = 92;
    /// <summary>Longest period explained: the overview's own limit.</summary>
    public const int MaxExplainDays = OverviewQuery.MaxDays;
    public const string FirstOrder = "first_order";
    public const string Repeat = "repeat";
    public const string Anonymous = "anonymous";
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> Metrics = ["gmv", "paid_orders", "uv", "new_customers", "conversion_rate", "aov"];

    public DateOnly Today(TimeZoneInfo zone) => overview.Today(zone);

    public async Task<AnomalyReport> AnomaliesAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var o = await overview.GetAsync(workspaceId, from.AddDays(-SeasonalAnomalies.HistoryDays), to, OverviewQuery.DefaultRepurchaseWindowDays, ct);
        var metrics = Metrics.Select(m => new MetricChecks(m, SeasonalAnomalies.Check(Series(o.Daily, m), from, to))).ToList();
        return new AnomalyReport(from, to, o.TimeZone, o.Currency, o.AsOf, metrics);
    }

    /// <summary>A KPI's daily series from the overview's; money in minor units, rates as fractions.</summary>
    public static IReadOnlyList<DailyValue> Series(IReadOnlyList<OverviewDay> days, string metric) =>
        days.Select(d => new DailyValue(d.Date, metric switch
        {
            "gmv" => d.GmvMinor,
            "paid_orders" => d.PaidOrders,
            "uv" => d.Uv,
            "new_customers" => d.NewCustomers,
            // Paid orders per visitor: the day's conversion of traffic into paying orders.
            "conversion_rate" => d.Uv == 0 ? null : (double)d.PaidOrders / d.Uv,
            "aov" => d.PaidOrders == 0 ? null : (double)d.GmvMinor / d.PaidOrders,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not an insights metric."),
        })).ToList();

    public async Task<ExplainedChange> ExplainAsync(
        string workspaceId, ExplainedMetric metric, DateOnly from, DateOnly to, DateOnly compareFrom, DateOnly compareTo, CancellationToken ct)
    {
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var zone = settings.Zone;
        var current = (LocalDays.StartUtc(from, zone), LocalDays.StartUtc(to.AddDays(1), zone));
        var previous = (LocalDays.StartUtc(compareFrom, zone), LocalDays.StartUtc(compareTo.AddDays(1), zone));
        // Page views and order events acknowledged before the question count in it.
        await pipeline.WaitForLoadedAsync(ct);
        var before = await FactsAsync(db, workspaceId, settings.Currency, previous, ct);
        var after = await FactsAsync(db, workspaceId, settings.Currency, current, ct);
        return new ExplainedChange(from, to, compareFrom, compareTo, zone.Id, settings.Currency, ChangeExplanation.Explain(metric, before, after));
    }

    private async Task<PeriodFacts> FactsAsync(
        FlywheelDb db, string workspaceId, string currency, (DateTime Start, DateTime End) span, CancellationToken ct)
    {
        var uv = (await events.CountDistinctVisitorsAsync(workspaceId, EventTypes.PageView, [span.Start, span.End], ct)).Total;
        var placed = (await events.CountByTypeAsync(workspaceId, span.Start, span.End, ct)).GetValueOrDefault(EventTypes.OrderPlaced);
        var start = new DateTimeOffset(span.Start, TimeSpan.Zero);
        var end = new DateTimeOffset(span.End, TimeSpan.Zero);
        var orders = await OrderQueries.PaidBetween(db, workspaceId, start, end)
            .Where(o => o.Currency == currency)
            .Select(o => new { o.OrderId, o.CustomerId, o.PaidAt, o.TotalMinor, o.Channel, o.MainCategory })
            .AsNoTracking().ToListAsync(ct);
        // A customer's order is their first when they paid nothing before it (in this period or earlier).
        var customers = orders.Where(o => o.CustomerId is not null).Select(o => o.CustomerId!).Distinct(StringComparer.Ordinal).ToList();
        var firstPaid = new Dictionary<string, (DateTimeOffset At, string OrderId)>(StringComparer.Ordinal);
        foreach (var chunk in customers.Chunk(500))
        {
            var rows = OrderQueries.PaidBetween(db, workspaceId, DateTimeOffset.UnixEpoch, end)
                .Where(o => o.Currency == currency && chunk.Contains(o.CustomerId!))
                .Select(o => new { o.CustomerId, o.PaidAt, o.OrderId }).AsNoTracking().AsAsyncEnumerable();
            await foreach (var r in rows.WithCancellation(ct))
            {
                var key = (r.PaidAt, r.OrderId);
                if (!firstPaid.TryGetValue(r.CustomerId!, out var f) || key.PaidAt < f.At || (key.PaidAt == f.At && string.CompareOrdinal(key.OrderId, f.OrderId) < 0))
                {
                    firstPaid[r.CustomerId!] = key;
                }
            }
        }
        var facts = orders.Select(o => new OrderFact(
            Label(o.Channel), Label(o.MainCategory),
            o.CustomerId is null ? Anonymous : firstPaid[o.CustomerId].OrderId == o.OrderId ? FirstOrder : Repeat,
            o.TotalMinor)).ToList();
        return new PeriodFacts(uv, placed, facts);
    }

    private static string Label(string? value) => string.IsNullOrWhiteSpace(value) ? Unknown : value;
}
