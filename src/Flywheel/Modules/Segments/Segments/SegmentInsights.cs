using Flywheel.Modules.Segments.Evaluation;
using Flywheel.Modules.Segments.Membership;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Segments.Segments;

/// <summary>What a segment's members look like: the members themselves, size over time, history and composition.</summary>
public sealed class SegmentInsights(StateStore state, TimeProvider clock)
{
    private const int RecentChanges = 100;
    private const int TopValues = 10;

    /// <summary>A page of members ordered by customer id, after <paramref name="after"/> (a customer id).</summary>
    public async Task<SegmentOutcome<Page<SegmentMemberView>>> MembersAsync(string workspaceId, string key, string? after, int limit, CancellationToken ct)
    {
        await using var db = state.Open();
        if (await FindIdAsync(db, workspaceId, key, ct) is not { } id)
        {
            return SegmentRefusal.NotFound(key);
        }
        var rows = db.SegmentMembers.AsNoTracking().Where(m => m.SegmentId == id);
        if (after is not null)
        {
            rows = rows.Where(m => m.CustomerExternalId.CompareTo(after) > 0);
        }
        var page = await rows.OrderBy(m => m.CustomerExternalId).Take(limit + 1)
            .Select(m => new SegmentMemberView(m.CustomerExternalId, m.Since)).ToListAsync(ct);
        return Cursor.PageOf(page, limit, m => m.CustomerId);
    }

    /// <summary>Every member as CSV (customer_id, since in ISO 8601 UTC), streamed in customer id order.</summary>
    public async Task<bool> WriteCsvAsync(string workspaceId, string key, TextWriter writer, CancellationToken ct)
    {
        await using var db = state.Open();
        if (await FindIdAsync(db, workspaceId, key, ct) is not { } id)
        {
            return false;
        }
        await using var csv = CsvHelper.CsvWriter.Create(writer, new CsvHelper.CsvWriterOptions(), leaveOpen: true);
        csv.WriteField("customer_id");
        csv.WriteField("since");
        await csv.EndRecordAsync(ct);
        var rows = db.SegmentMembers.AsNoTracking().Where(m => m.SegmentId == id).OrderBy(m => m.CustomerExternalId)
            .Select(m => new { m.CustomerExternalId, m.Since }).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct))
        {
            csv.WriteField(row.CustomerExternalId);
            csv.WriteField(row.Since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            await csv.EndRecordAsync(ct);
        }
        return true;
    }

    /// <summary>Size at the end of each local day of [<paramref name="from"/>, <paramref name="to"/>], and the latest changes.</summary>
    public async Task<SegmentOutcome<SegmentHistory>> HistoryAsync(string workspaceId, string key, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var db = state.Open();
        if (await FindIdAsync(db, workspaceId, key, ct) is not { } id)
        {
            return SegmentRefusal.NotFound(key);
        }
        var zone = (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Zone;
        var last = to ?? LocalDays.DateOf(clock.GetUtcNow(), zone);
        var first = from ?? last.AddDays(-29);
        if (first > last || last.DayNumber - first.DayNumber > 366)
        {
            return SegmentRefusal.Invalid("from", "must be on or before 'to', at most 367 days apart.");
        }
        var bounds = LocalDays.Boundaries(first, last, zone).Select(b => new DateTimeOffset(b, TimeSpan.Zero)).ToList();
        // Changes grouped by instant: a recompute writes all of its changes at one instant, so this stays small.
        var end = bounds[^1];
        var grouped = await db.SegmentChanges.AsNoTracking().Where(c => c.SegmentId == id && c.At < end)
            .GroupBy(c => new { c.At, c.Entered }).Select(g => new { g.Key.At, g.Key.Entered, Count = g.Count() }).ToListAsync(ct);
        long size = grouped.Where(g => g.At < bounds[0]).Sum(g => g.Entered ? (long)g.Count : -g.Count);
        var days = new List<SegmentDay>(bounds.Count - 1);
        for (var i = 0; i < bounds.Count - 1; i++)
        {
            var inDay = grouped.Where(g => g.At >= bounds[i] && g.At < bounds[i + 1]).ToList();
            var entered = inDay.Where(g => g.Entered).Sum(g => g.Count);
            var exited = inDay.Where(g => !g.Entered).Sum(g => g.Count);
            size += entered - exited;
            days.Add(new SegmentDay(first.AddDays(i), entered, exited, size));
        }
        var recent = await db.SegmentChanges.AsNoTracking().Where(c => c.SegmentId == id).OrderByDescending(c => c.Id).Take(RecentChanges)
            .Select(c => new SegmentChangeView(c.CustomerExternalId, c.Entered ? "entered" : "exited", c.At)).ToListAsync(ct);
        return new SegmentHistory(days, recent);
    }

    /// <summary>The members by lifecycle stage (now), RFM group, acquisition channel and city.</summary>
    public async Task<SegmentOutcome<SegmentComposition>> CompositionAsync(string workspaceId, string key, CancellationToken ct)
    {
        await using var db = state.Open();
        if (await FindIdAsync(db, workspaceId, key, ct) is not { } id)
        {
            return SegmentRefusal.NotFound(key);
        }
        var context = await SegmentMembership.ContextAsync(db, workspaceId, clock.GetUtcNow(), ct);
        var members = await db.SegmentMembers.CountAsync(m => m.SegmentId == id, ct);
        return new SegmentComposition(members,
            await ByAsync(db, id, "lifecycle", context, ct), await ByAsync(db, id, "rfm_group", context, ct),
            await ByAsync(db, id, "channel", context, ct), await ByAsync(db, id, "city", context, ct));
    }

    /// <summary>The segments a customer is in now, and their latest entries and exits.</summary>
    public async Task<CustomerSegments> OfCustomerAsync(string workspaceId, string customerId, CancellationToken ct)
    {
        await using var db = state.Open();
        var current = await (from m in db.SegmentMembers.AsNoTracking()
                             join s in db.Segments.AsNoTracking() on m.SegmentId equals s.Id
                             where m.WorkspaceId == workspaceId && m.CustomerExternalId == customerId
                             select new CustomerSegmentView(s.Key, s.Name, m.Since)).ToListAsync(ct);
        var recent = await (from c in db.SegmentChanges.AsNoTracking()
                            join s in db.Segments.AsNoTracking() on c.SegmentId equals s.Id
                            where c.WorkspaceId == workspaceId && c.CustomerExternalId == customerId
                            orderby c.Id descending
                            select new CustomerSegmentChange(s.Key, c.Entered ? "entered" : "exited", c.At)).Take(RecentChanges).ToListAsync(ct);
        return new CustomerSegments(customerId, [.. current.OrderBy(c => c.Key, StringComparer.Ordinal)], recent);
    }

    private static Task<string?> FindIdAsync(FlywheelDb db, string workspaceId, string key, CancellationToken ct) =>
        db.Segments.AsNoTracking().Where(s => s.WorkspaceId == workspaceId && s.Key == key).Select(s => s.Id).FirstOrDefaultAsync(ct);

    private static async Task<IReadOnlyList<CompositionShare>> ByAsync(FlywheelDb db, string segmentId, string attribute, EvaluationContext context, CancellationToken ct)
    {
        var sql = new SqlText();
        var column = StateColumns.Of(attribute, sql, context).Sql;
        sql.Append($"""
            SELECT {column} AS v, COUNT(*) AS n FROM "seg_members" m
            JOIN "cdp_customers" c ON c."WorkspaceId" = m."WorkspaceId" AND c."ExternalId" = m."CustomerExternalId"
            {StateColumns.Joins}
            WHERE m."SegmentId" = {sql.Parameter(segmentId)}
            GROUP BY 1 ORDER BY n DESC, v LIMIT {TopValues}
            """);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = sql.CreateCommand(db.Database.GetDbConnection(), null);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var shares = new List<CompositionShare>();
        while (await reader.ReadAsync(ct))
        {
            shares.Add(new CompositionShare(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1)));
        }
        return shares;
    }
}
