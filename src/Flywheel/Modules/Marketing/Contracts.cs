using Flywheel.Modules.Marketing.Model;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Marketing.Contracts;

/// <summary>
/// One row of spend data: a local day, a channel (the UTM source attribution credits), a campaign and creative ("" for
/// none), and what it cost (minor units of the workspace currency) and delivered.
/// </summary>
public sealed record SpendFigures(DateOnly Date, string Channel, string Campaign, string Creative, long SpendMinor, long Impressions, long Clicks)
{
    public (DateOnly Date, string Channel, string Campaign, string Creative) Key => (Date, Channel, Campaign, Creative);
}

/// <summary>A channel's spend, impressions and clicks on one local day, over all its campaigns and creatives.</summary>
public sealed record ChannelDay(DateOnly Date, string Channel, long SpendMinor, long Impressions, long Clicks);

/// <summary>What an upsert of spend rows did.</summary>
public sealed record SpendUpsert(int Created, int Updated, int Unchanged);

/// <summary>Spend data as analytics reads it.</summary>
public static class SpendQueries
{
    /// <summary>Every channel's figures per local day of [<paramref name="from"/>, <paramref name="to"/>], campaigns added up.</summary>
    public static async Task<List<ChannelDay>> DailyAsync(FlywheelDb db, string workspaceId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var rows = await db.AdSpend.AsNoTracking()
            .Where(s => s.WorkspaceId == workspaceId && s.Date >= from && s.Date <= to)
            .GroupBy(s => new { s.Date, s.Channel })
            .Select(g => new { g.Key.Date, g.Key.Channel, Spend = g.Sum(s => s.SpendMinor), Impressions = g.Sum(s => s.Impressions), Clicks = g.Sum(s => s.Clicks) })
            .ToListAsync(ct);
        return [.. rows.Select(r => new ChannelDay(r.Date, r.Channel, r.Spend, r.Impressions, r.Clicks))
            .OrderBy(r => r.Date).ThenBy(r => r.Channel, StringComparer.Ordinal)];
    }

    /// <summary>The workspace's gross margin (gross profit / revenue), or null when none is set.</summary>
    public static async Task<decimal?> GrossMarginAsync(FlywheelDb db, string workspaceId, CancellationToken ct)
    {
        var basisPoints = await db.MarketingSettings.AsNoTracking().Where(s => s.WorkspaceId == workspaceId)
            .Select(s => s.GrossMarginBasisPoints).FirstOrDefaultAsync(ct);
        return basisPoints is { } bp ? bp / 10_000m : null;
    }
}

/// <summary>Writing spend data: the API, the import and the demo shop all go through here.</summary>
public static class SpendWrites
{
    /// <summary>
    /// Creates or replaces each row by its key (date, channel, campaign, creative); the caller saves. Rows must have
    /// distinct keys.
    /// </summary>
    public static async Task<SpendUpsert> UpsertAsync(
        FlywheelDb db, string workspaceId, IReadOnlyList<SpendFigures> rows, DateTimeOffset now, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return new SpendUpsert(0, 0, 0);
        }
        var from = rows.Min(r => r.Date);
        var to = rows.Max(r => r.Date);
        var channels = rows.Select(r => r.Channel).Distinct(StringComparer.Ordinal).ToList();
        var existing = await db.AdSpend
            .Where(s => s.WorkspaceId == workspaceId && s.Date >= from && s.Date <= to && channels.Contains(s.Channel))
            .ToDictionaryAsync(s => (s.Date, s.Channel, s.Campaign, s.Creative), ct);
        int created = 0, updated = 0, unchanged = 0;
        foreach (var row in rows)
        {
            if (!existing.TryGetValue(row.Key, out var stored))
            {
                db.AdSpend.Add(new AdSpend
                {
                    WorkspaceId = workspaceId, Date = row.Date, Channel = row.Channel, Campaign = row.Campaign, Creative = row.Creative,
                    SpendMinor = row.SpendMinor, Impressions = row.Impressions, Clicks = row.Clicks, UpdatedAt = now,
                });
                created++;
            }
            else if (stored.SpendMinor != row.SpendMinor || stored.Impressions != row.Impressions || stored.Clicks != row.Clicks)
            {
                stored.SpendMinor = row.SpendMinor;
                stored.Impressions = row.Impressions;
                stored.Clicks = row.Clicks;
                stored.UpdatedAt = now;
                updated++;
            }
            else
            {
                unchanged++;
            }
        }
        return new SpendUpsert(created, updated, unchanged);
    }

    /// <summary>Sets the workspace's gross margin (0 &lt; margin ≤ 1, at most 4 decimals), or clears it with null; the caller saves.</summary>
    public static async Task SetGrossMarginAsync(FlywheelDb db, string workspaceId, decimal? grossMargin, DateTimeOffset now, CancellationToken ct)
    {
        var settings = await db.MarketingSettings.FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct);
        if (settings is null)
        {
            db.MarketingSettings.Add(settings = new MarketingSettings { WorkspaceId = workspaceId });
        }
        settings.GrossMarginBasisPoints = grossMargin is { } m ? (int)(m * 10_000m) : null;
        settings.UpdatedAt = now;
    }
}

/// <summary>The one rule for a gross margin, wherever it is given (settings, a query parameter).</summary>
public static class GrossMargin
{
    /// <summary>Why the margin is refused, or null when it is a share above 0 and at most 1 with at most 4 decimals.</summary>
    public static string? Check(decimal margin) =>
        margin is <= 0 or > 1 ? "must be above 0 and at most 1 (gross profit / revenue, e.g. 0.35)."
        : margin * 10_000m != decimal.Truncate(margin * 10_000m) ? "has more than 4 decimals."
        : null;
}
