using Flywheel.Modules.Analytics.Attribution;
using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Marketing.Contracts;
using Flywheel.Modules.Segments.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Dashboard;

/// <summary>A metric over the range and over the range compared with, and the relative change between them.</summary>
public sealed record MetricValue(string Key, string Group, string Unit, decimal? Current, decimal? Compared, decimal? Change);

/// <summary>One bucket of a series: its local dates (both ends included) and every metric's value in it.</summary>
public sealed record SeriesPoint(DateOnly From, DateOnly To, IReadOnlyDictionary<string, decimal?> Values);

/// <summary>A category's sales (order lines of paid orders) and its share of all categorised sales.</summary>
public sealed record CategoryShare(string Category, decimal Sales, decimal Share, decimal? ComparedSales);

public sealed record DashboardResult(
    DateOnly From,
    DateOnly To,
    DateOnly ComparedFrom,
    DateOnly ComparedTo,
    string Compare,
    string Grain,
    string WeekStart,
    string TimeZone,
    string Currency,
    DateTimeOffset AsOf,
    DashboardCut Cut,
    string Model,
    decimal? GrossMargin,
    IReadOnlyList<MetricValue> Metrics,
    IReadOnlyList<SeriesPoint> Series,
    IReadOnlyList<SeriesPoint> ComparedSeries,
    IReadOnlyList<CategoryShare> Categories);

/// <summary>Thrown for a cut naming something that does not exist (a segment key); nothing has been computed.</summary>
public sealed class UnknownCutException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// The KPI dashboard (docs/metrics.md, "KPI dashboard"): every metric of <see cref="DashboardMetrics"/> over a range of
/// local dates, bucketed by day, week or month, compared with the previous period or the same dates a year earlier.
/// Visits and conversion steps are counted by the event store in one query per period (DuckDB or ClickHouse); orders
/// and customers come from the state store; the two meet only as totals, here.
/// </summary>
public sealed class DashboardQuery(StateStore state, IEventStore events, IngestPipeline pipeline, OrderAttributionQuery attribution, TimeProvider clock)
{
    /// <summary>The local date now is in the workspace's time zone.</summary>
    public async Task<DateOnly> TodayAsync(string workspaceId, CancellationToken ct)
    {
        await using var db = state.Open();
        return LocalDays.DateOf(clock.GetUtcNow(), (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Zone);
    }

    public async Task<DashboardResult> GetAsync(string workspaceId, DashboardRequest request, CancellationToken ct)
    {
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var among = await CustomersOfAsync(db, workspaceId, request.Cut, ct);
        // Events acknowledged before the question count in the answer.
        await pipeline.WaitForLoadedAsync(ct);
        var period = new PeriodReader(db, events, workspaceId, settings, request, among, now);
        var margin = request.Marketing.GrossMargin ?? await SpendQueries.GrossMarginAsync(db, workspaceId, ct);
        var marketing = new MarketingReader(db, attribution, workspaceId, settings, request, margin);
        var (current, currentTotal) = await period.ReadAsync(request.From, request.To, ct);
        await marketing.ReadAsync(request.From, request.To, current, currentTotal, ct);
        var (comparedFrom, comparedTo) = request.ComparisonRange();
        var (compared, comparedTotal) = await period.ReadAsync(comparedFrom, comparedTo, ct);
        await marketing.ReadAsync(comparedFrom, comparedTo, compared, comparedTotal, ct);

        var currency = settings.Currency;
        var metrics = DashboardMetrics.All.Select(m =>
        {
            var value = m.Value(currentTotal.Tally, currency);
            var before = m.Value(comparedTotal.Tally, currency);
            return new MetricValue(m.Key, m.Group, Name(m.Unit), value, before, DashboardMetrics.Change(value, before));
        }).ToList();
        return new DashboardResult(
            request.From, request.To, comparedFrom, comparedTo, request.Compare == Comparison.LastYear ? "last_year" : "previous_period",
            Name(request.Grain), Name(request.WeekStart), settings.Zone.Id, currency, now, request.Cut,
            AttributionApi.Name(request.Marketing.Model), margin, metrics,
            Series(current, currency), Series(compared, currency), Categories(currentTotal, comparedTotal, currency));
    }

    /// <summary>The customers a segment or city cut keeps (both: those in both); null when the cut keeps everyone.</summary>
    private static async Task<HashSet<string>?> CustomersOfAsync(FlywheelDb db, string workspaceId, DashboardCut cut, CancellationToken ct)
    {
        HashSet<string>? kept = null;
        if (cut.Segment is { } key)
        {
            if (!await SegmentMembers.ExistsAsync(db, workspaceId, key, ct))
            {
                throw new UnknownCutException("segment", $"there is no segment '{key}'.");
            }
            kept = new HashSet<string>(await SegmentMembers.Of(db, workspaceId, key).ToListAsync(ct), StringComparer.Ordinal);
        }
        if (cut.City is { } city)
        {
            var inCity = await CustomerQueries.InCity(db, workspaceId, city).ToListAsync(ct);
            kept = kept is null ? new HashSet<string>(inCity, StringComparer.Ordinal) : [.. inCity.Where(kept.Contains)];
        }
        return kept;
    }

    private static IReadOnlyList<SeriesPoint> Series(IReadOnlyList<Bucket> buckets, string currency) =>
        [.. buckets.Select(b => new SeriesPoint(b.From, b.To, DashboardMetrics.All.ToDictionary(m => m.Key, m => m.Value(b.Tally, currency))))];

    private static IReadOnlyList<CategoryShare> Categories(Bucket current, Bucket compared, string currency)
    {
        var total = current.CategoryMinor.Values.Sum();
        return [.. current.CategoryMinor.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new CategoryShare(
            c.Key, Money.ToMajor(c.Value, currency), total == 0 ? 0 : Math.Round((decimal)c.Value / total, 4, MidpointRounding.AwayFromZero),
            compared.CategoryMinor.TryGetValue(c.Key, out var before) ? Money.ToMajor(before, currency) : null))];
    }

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}

/// <summary>A bucket of a period (or the whole period): its local dates, its tally and its sales by category.</summary>
internal sealed record Bucket(DateOnly From, DateOnly To, Tally Tally, Dictionary<string, long> CategoryMinor);
