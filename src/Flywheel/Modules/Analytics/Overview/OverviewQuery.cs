using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Overview;

/// <summary>
/// A KPI over the chosen range and over the previous period of equal length just before it.
/// <see cref="Change"/> is (current − previous) / previous, rounded to 4 decimals; null when the previous value is 0
/// or either value is unknown.
/// </summary>
public sealed record Kpi<T>(T Current, T Previous, decimal? Change);

/// <summary>
/// The customers whose first paid order in a period is at t, and how many of them paid another order (not fully
/// refunded) in (t, t + window]. Customers whose t + window is after the moment of the query are censored: left out of
/// the rate, because they may still buy again in time.
/// </summary>
public sealed record RepurchaseCohort(long Customers, long Censored, long Repurchased)
{
    /// <summary>Customers whose whole window has passed: the denominator of the rate.</summary>
    public long Eligible => Customers - Censored;

    /// <summary>Repurchased / eligible, rounded to 4 decimals; null when no customer is eligible.</summary>
    public decimal? Rate => Eligible == 0 ? null : Math.Round((decimal)Repurchased / Eligible, 4, MidpointRounding.AwayFromZero);
}

/// <summary>One local day of the range; money in minor units of the workspace currency.</summary>
public sealed record OverviewDay(DateOnly Date, long GmvMinor, long PaidOrders, long Uv, long NewCustomers);

/// <summary>
/// The overview KPIs of a workspace for the local dates [<see cref="From"/>, <see cref="To"/>] of its time zone, each
/// with the previous period [<see cref="PreviousFrom"/>, <see cref="PreviousTo"/>] (the same number of local days
/// just before), and a daily series over the range. Money is in minor units of <see cref="Currency"/>; definitions
/// are in docs/metrics.md.
/// </summary>
public sealed record OverviewResult(
    DateOnly From,
    DateOnly To,
    DateOnly PreviousFrom,
    DateOnly PreviousTo,
    string TimeZone,
    string Currency,
    int RepurchaseWindowDays,
    DateTimeOffset AsOf,
    Kpi<long> GmvMinor,
    Kpi<long> PaidOrders,
    Kpi<long?> AovMinor,
    Kpi<long> Uv,
    Kpi<long> NewCustomers,
    Kpi<long> PayingCustomers,
    Kpi<decimal?> RepurchaseRate,
    RepurchaseCohort Repurchase,
    RepurchaseCohort PreviousRepurchase,
    long OrdersInOtherCurrencies,
    IReadOnlyList<OverviewDay> Daily);

/// <summary>
/// Computes the overview KPIs (SPEC §5) from orders and customers in the state store and page views in the event
/// store. Day boundaries are local midnights of the workspace time zone, worked out here (<see cref="LocalDays"/>);
/// the stores are only asked about UTC instants, so the same queries serve any zone and any backend.
/// </summary>
public sealed class OverviewQuery(StateStore state, IEventStore events, IngestPipeline pipeline, TimeProvider clock)
{
    public const int MaxDays = 366;
    public const int DefaultRepurchaseWindowDays = 30;
    public const int DefaultDays = 30;
    public static readonly IReadOnlyList<int> RepurchaseWindows = [7, 30, 90];

    private static readonly DateOnly Earliest = new(1970, 1, 1);
    private static readonly DateOnly Latest = new(9000, 12, 31);

    /// <summary>Checks a range and window, adding field errors (from, to, repurchase_window) for what is wrong.</summary>
    public static void Validate(DateOnly from, DateOnly to, int repurchaseWindowDays, FieldErrors errors)
    {
        if (from < Earliest || from > Latest)
        {
            errors.Add("from", $"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
        }
        if (to < Earliest || to > Latest)
        {
            errors.Add("to", $"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
        }
        if (from > to)
        {
            errors.Add("from", $"{from:yyyy-MM-dd} is after 'to' ({to:yyyy-MM-dd}).");
        }
        else if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            errors.Add("to", $"the range has {to.DayNumber - from.DayNumber + 1} days; at most {MaxDays} are allowed.");
        }
        if (!RepurchaseWindows.Contains(repurchaseWindowDays))
        {
            errors.Add("repurchase_window", $"must be one of {string.Join(", ", RepurchaseWindows)} (days).");
        }
    }

    /// <summary>The local date now is in the workspace time zone.</summary>
    public DateOnly Today(TimeZoneInfo zone) => LocalDays.DateOf(clock.GetUtcNow(), zone);

    /// <summary>
    /// The overview of <paramref name="workspaceId"/> for the local dates [<paramref name="from"/>, <paramref name="to"/>].
    /// Throws <see cref="ArgumentException"/> for what <see cref="Validate"/> refuses.
    /// </summary>
    public async Task<OverviewResult> GetAsync(string workspaceId, DateOnly from, DateOnly to, int repurchaseWindowDays, CancellationToken ct)
    {
        var errors = new FieldErrors();
        Validate(from, to, repurchaseWindowDays, errors);
        if (errors.Any)
        {
            throw new ArgumentException(string.Join(" ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var zone = settings.Zone;
        var now = clock.GetUtcNow();
        var days = to.DayNumber - from.DayNumber + 1;
        var previousFrom = from.AddDays(-days);
        // Boundaries of the previous period's days and then the range's: day i of the range is [b(days + i), b(days + i + 1)).
        var bounds = LocalDays.Boundaries(previousFrom, to, zone);
        var window = TimeSpan.FromDays(repurchaseWindowDays);

        var previous = new PeriodTotals();
        var current = new PeriodTotals();
        var daily = new DayTotals[days];
        var followUps = new Repurchases();
        var ordersInOtherCurrencies = await AddOrdersAsync(
            db, workspaceId, settings.Currency, bounds, days, window, previous, current, daily, followUps, ct);
        await AddNewCustomersAsync(db, workspaceId, bounds, days, previous, current, daily, ct);

        // Page views acknowledged before the query count in it.
        await pipeline.WaitForLoadedAsync(ct);
        var visitors = await events.CountDistinctVisitorsAsync(workspaceId, EventTypes.PageView, bounds.Skip(days).ToList(), ct);
        var previousVisitors = await events.CountDistinctVisitorsAsync(workspaceId, EventTypes.PageView, [bounds[0], bounds[days]], ct);
        current.Uv = visitors.Total;
        previous.Uv = previousVisitors.Total;

        var repurchase = current.Repurchase(followUps, window, now);
        var previousRepurchase = previous.Repurchase(followUps, window, now);
        return new OverviewResult(
            from, to, previousFrom, from.AddDays(-1), zone.Id, settings.Currency, repurchaseWindowDays, now,
            Compare(current.GmvMinor, previous.GmvMinor),
            Compare(current.PaidOrders, previous.PaidOrders),
            Compare(current.AovMinor, previous.AovMinor),
            Compare(current.Uv, previous.Uv),
            Compare(current.NewCustomers, previous.NewCustomers),
            Compare(current.PayingCustomers, previous.PayingCustomers),
            Compare(repurchase.Rate, previousRepurchase.Rate),
            repurchase,
            previousRepurchase,
            ordersInOtherCurrencies,
            daily.Select((d, i) => new OverviewDay(from.AddDays(i), d.GmvMinor, d.PaidOrders, visitors.PerInterval[i], d.NewCustomers)).ToList());
    }

    /// <summary>
    /// Streams the paid orders of both periods and of the repurchase window after the range (a payment at the very end
    /// of the range may be followed up to a window later), adding each to its period and day.
    /// </summary>
    private static async Task<long> AddOrdersAsync(
        FlywheelDb db, string workspaceId, string currency, IReadOnlyList<DateTime> bounds, int days, TimeSpan window,
        PeriodTotals previous, PeriodTotals current, DayTotals[] daily, Repurchases followUps, CancellationToken ct)
    {
        long otherCurrencies = 0;
        var start = new DateTimeOffset(bounds[0], TimeSpan.Zero);
        var end = new DateTimeOffset(bounds[^1], TimeSpan.Zero);
        var rows = OrderQueries.PaidBetween(db, workspaceId, start, end + window)
            .AsNoTracking()
            .Select(o => new { o.CustomerId, o.PaidAt, o.TotalMinor, o.Currency, o.FullyRefunded })
            .AsAsyncEnumerable();
        await foreach (var o in rows.WithCancellation(ct))
        {
            var paidAt = o.PaidAt.UtcDateTime;
            var i = LocalDays.IndexOf(bounds, paidAt);
            if (o.Currency != currency)
            {
                // Amounts in two currencies do not add up; such orders are counted apart, not converted.
                otherCurrencies += i >= days ? 1 : 0;
                continue;
            }
            if (o.CustomerId is not null)
            {
                // Every customer order of the whole span is a candidate repurchase for either period's cohort.
                followUps.Add(o.CustomerId, paidAt, o.FullyRefunded);
            }
            if (i < 0)
            {
                continue;
            }
            var period = i < days ? previous : current;
            period.AddPaid(o.CustomerId, paidAt, o.TotalMinor);
            if (i >= days)
            {
                daily[i - days].GmvMinor += o.TotalMinor;
                daily[i - days].PaidOrders++;
            }
        }
        return otherCurrencies;
    }

    private static async Task AddNewCustomersAsync(
        FlywheelDb db, string workspaceId, IReadOnlyList<DateTime> bounds, int days,
        PeriodTotals previous, PeriodTotals current, DayTotals[] daily, CancellationToken ct)
    {
        var start = new DateTimeOffset(bounds[0], TimeSpan.Zero);
        var end = new DateTimeOffset(bounds[^1], TimeSpan.Zero);
        var rows = CustomerQueries.AcquiredBetween(db, workspaceId, start, end).Select(c => c.AcquiredAt).AsAsyncEnumerable();
        await foreach (var at in rows.WithCancellation(ct))
        {
            var i = LocalDays.IndexOf(bounds, at.UtcDateTime);
            if (i < 0)
            {
                continue;
            }
            (i < days ? previous : current).NewCustomers++;
            if (i >= days)
            {
                daily[i - days].NewCustomers++;
            }
        }
    }

    private static Kpi<long> Compare(long current, long previous) =>
        new(current, previous, previous == 0 ? null : Round((decimal)(current - previous) / previous));

    private static Kpi<long?> Compare(long? current, long? previous) =>
        new(current, previous, current is null || previous is null or 0 ? null : Round((decimal)(current.Value - previous.Value) / previous.Value));

    private static Kpi<decimal?> Compare(decimal? current, decimal? previous) =>
        new(current, previous, current is null || previous is null or 0 ? null : Round((current.Value - previous.Value) / previous.Value));

    private static decimal Round(decimal ratio) => Math.Round(ratio, 4, MidpointRounding.AwayFromZero);

    private struct DayTotals
    {
        public long GmvMinor;
        public long PaidOrders;
        public long NewCustomers;
    }

    /// <summary>What one period adds up to while orders and customers stream past.</summary>
    private sealed class PeriodTotals
    {
        private readonly Dictionary<string, DateTime> firstPaid = new(StringComparer.Ordinal);

        public long GmvMinor { get; private set; }
        public long PaidOrders { get; private set; }
        public long NewCustomers { get; set; }
        public long Uv { get; set; }
        public long PayingCustomers => firstPaid.Count;

        /// <summary>GMV / paid orders in minor units, rounded half away from zero; null without orders.</summary>
        public long? AovMinor => PaidOrders == 0 ? null : (long)Math.Round((decimal)GmvMinor / PaidOrders, MidpointRounding.AwayFromZero);

        public void AddPaid(string? customerId, DateTime paidAt, long totalMinor)
        {
            GmvMinor += totalMinor;
            PaidOrders++;
            if (customerId is not null && (!firstPaid.TryGetValue(customerId, out var first) || paidAt < first))
            {
                firstPaid[customerId] = paidAt;
            }
        }

        public RepurchaseCohort Repurchase(Repurchases followUps, TimeSpan window, DateTimeOffset now) => followUps.Cohort(firstPaid, window, now);
    }
}
