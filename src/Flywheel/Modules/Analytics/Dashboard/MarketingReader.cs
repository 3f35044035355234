using Flywheel.Modules.Analytics.Attribution;
using Flywheel.Modules.Marketing.Contracts;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Dashboard;

/// <summary>
/// Reads the marketing group of one period (docs/metrics.md, "Marketing"): the spend rows of its local dates, and the
/// paid orders of those dates credited by the chosen model to the channels that have spend in the period (under a source
/// cut, to that source only). A bucket without spend rows gets no figures, so every marketing metric of it is null.
/// Segment, city and category cuts do not apply to spend: under them the group stays null.
/// </summary>
internal sealed class MarketingReader(
    FlywheelDb db, OrderAttributionQuery attribution, string workspaceId, WorkspaceSettings settings, DashboardRequest request, decimal? grossMargin)
{
    public async Task ReadAsync(DateOnly from, DateOnly to, IReadOnlyList<Bucket> buckets, Bucket total, CancellationToken ct)
    {
        var cut = request.Cut;
        if (cut.ByCustomers || cut.Category is not null)
        {
            return;
        }
        var days = (await SpendQueries.DailyAsync(db, workspaceId, from, to, ct))
            .Where(d => cut.Source is null || d.Channel == cut.Source).ToList();
        if (days.Count == 0)
        {
            return;
        }
        var paidChannels = days.Select(d => d.Channel).ToHashSet(StringComparer.Ordinal);
        var paths = await attribution.PathsAsync(workspaceId, from, to, MarketingOptions.LookbackDays, ct);
        var converting = paths.Paths.Where(p => p.Path.ConvertedAt is not null).ToList();
        var newPaying = await NewPayingAsync(from, to, ct);

        foreach (var bucket in buckets.Append(total))
        {
            var spent = days.Where(d => d.Date >= bucket.From && d.Date <= bucket.To).ToList();
            if (spent.Count == 0)
            {
                continue;
            }
            var inBucket = converting.Where(p => In(bucket, p.Path.ConvertedAt!.Value)).ToList();
            var (conversions, revenue) = Credit(inBucket.Select(p => p.Path).ToList(), paidChannels);
            var firstOrders = newPaying.Where(c => In(bucket, c.Value)).ToList();
            decimal newCustomers = firstOrders.Count;
            if (cut.Source is not null)
            {
                // Under a source cut, a new paying customer counts for the share of their first order credited to it.
                var firstPaths = inBucket.Where(p => newPaying.TryGetValue(p.Visitor, out var first) && first == p.Path.ConvertedAt).Select(p => p.Path).ToList();
                newCustomers = Credit(firstPaths, paidChannels).Conversions;
            }
            bucket.Tally.Marketing = new MarketingFigures(
                spent.Sum(d => d.SpendMinor), spent.Sum(d => d.Impressions), spent.Sum(d => d.Clicks), conversions, revenue, newCustomers, grossMargin);
        }
    }

    private bool In(Bucket bucket, DateTimeOffset at)
    {
        var date = LocalDays.DateOf(at, settings.Zone);
        return date >= bucket.From && date <= bucket.To;
    }

    /// <summary>What the model gives the paid channels of these paths: conversions (4 decimals) and revenue (exact).</summary>
    private (decimal Conversions, decimal Revenue) Credit(List<ConversionPath> paths, HashSet<string> paidChannels)
    {
        if (paths.Count == 0)
        {
            return (0, 0);
        }
        var credit = AttributionEngine.Run(request.Marketing.Model, paths).Channels.Where(c => paidChannels.Contains(c.Channel)).ToList();
        return (Math.Round(credit.Sum(c => (decimal)c.Conversions), 4, MidpointRounding.AwayFromZero), credit.Sum(c => c.Value));
    }

    /// <summary>
    /// Customers whose first paid order ever (in the workspace currency, as attribution counts orders) falls on the
    /// local dates [from, to], with its payment time.
    /// </summary>
    private async Task<Dictionary<string, DateTimeOffset>> NewPayingAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var start = new DateTimeOffset(LocalDays.StartUtc(from, settings.Zone), TimeSpan.Zero);
        var end = new DateTimeOffset(LocalDays.StartUtc(to.AddDays(1), settings.Zone), TimeSpan.Zero);
        // A customer with an order in the period is new exactly when their first paid order (in any currency) is in it
        // too: the store groups, and only the period's first payers come back rather than every earlier customer.
        var firstPaidInPeriod = (await OrderQueries.FirstPaid(db, workspaceId).Where(f => f.PaidAt >= start && f.PaidAt < end)
            .Select(f => f.CustomerId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var inPeriod = await OrderQueries.PaidPerCustomerAsync(db, workspaceId, settings.Currency, start, end, ct);
        return inPeriod.Where(c => firstPaidInPeriod.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value[0].PaidAt, StringComparer.Ordinal);
    }
}
