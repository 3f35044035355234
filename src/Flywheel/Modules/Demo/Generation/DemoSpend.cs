using Flywheel.Modules.Marketing.Contracts;

namespace Flywheel.Modules.Demo.Generation;

/// <summary>
/// The demo shop's ad spend, made consistent with its traffic: every visit landing from a paid acquisition channel (a
/// UTM source of a channel with a cost per customer) is a click on that day, source and campaign. A channel's spend over
/// the whole window is its customers × its cost per customer (as <see cref="DemoSummary.SpendByChannel"/> counts it),
/// shared over its clicks, so CAC on the dashboard comes out near the channel's cost; impressions follow from a
/// click-through rate typical of the channel's medium, varied a little from day to day.
/// </summary>
public sealed class DemoSpend
{
    /// <summary>Typical click-through rates by UTM medium: search ads are clicked most, feed ads least.</summary>
    private static readonly Dictionary<string, decimal> ClickThrough = new(StringComparer.Ordinal)
    {
        ["cpc"] = 0.035m, ["feed"] = 0.012m, ["social"] = 0.025m, ["kol"] = 0.018m, ["referral"] = 0.08m, ["qrcode"] = 0.05m,
    };

    private readonly Dictionary<(DateOnly Date, string Source, string Campaign, string Channel), long> clicks = [];
    private readonly Dictionary<string, long> customers = new(StringComparer.Ordinal);

    /// <summary>Counts the customer's acquisition and the landings of their events (and their visitors').</summary>
    public void Count(DemoCustomer c)
    {
        customers[c.Channel.Key] = customers.GetValueOrDefault(c.Channel.Key) + 1;
        foreach (var e in c.Events)
        {
            if (e.Context.UtmSource is not { } source || PaidChannel(source, e.Context.UtmMedium) is not { } channel)
            {
                continue;
            }
            var date = DateOnly.FromDateTime(e.Timestamp + ShopCalendar.Offset);
            var key = (date, source, e.Context.UtmCampaign ?? "", channel.Key);
            clicks[key] = clicks.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>One row per day, source and campaign; spend in fen, each channel's rows adding up to its total within rounding.</summary>
    public List<SpendFigures> Rows()
    {
        var clicksByChannel = clicks.GroupBy(c => c.Key.Channel).ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal);
        var rows = new Dictionary<(DateOnly, string, string), (long Spend, long Impressions, long Clicks)>();
        foreach (var ((date, source, campaign, channelKey), n) in clicks)
        {
            var channel = People.Channels.First(c => c.Key == channelKey);
            var totalFen = customers.GetValueOrDefault(channelKey) * channel.CostPerCustomer * 100m;
            var spend = (long)Math.Round(totalFen * n / clicksByChannel[channelKey], MidpointRounding.AwayFromZero);
            var rate = ClickThrough[channel.UtmMedium!] * Wobble(date, source);
            var impressions = (long)Math.Round(n / rate, MidpointRounding.AwayFromZero);
            var key = (date, source, campaign);
            var (s, i, k) = rows.GetValueOrDefault(key);
            rows[key] = (s + spend, i + impressions, k + n);
        }
        return [.. rows.OrderBy(r => r.Key).Select(r => new SpendFigures(r.Key.Item1, r.Key.Item2, r.Key.Item3, "", r.Value.Spend, r.Value.Impressions, r.Value.Clicks))];
    }

    private static AcquisitionChannel? PaidChannel(string source, string? medium) =>
        People.Channels.FirstOrDefault(c => c.CostPerCustomer > 0 && c.UtmMedium == medium && c.UtmSources.Contains(source));

    /// <summary>A factor in [0.8, 1.2] fixed by the day and source, so the output stays a function of the seed alone.</summary>
    private static decimal Wobble(DateOnly date, string source)
    {
        var hash = (uint)date.DayNumber * 2654435761u;
        foreach (var ch in source)
        {
            hash = (hash ^ ch) * 16777619u;
        }
        return 0.8m + (hash % 401 / 1000m);
    }
}
