using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Customers.Model;
using Flywheel.Platform.Cluster;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Flywheel.Modules.Customers.Profiles;

/// <summary>
/// Keeps customer profiles current from events: creates the customer an event first names, moves first/last seen,
/// applies identify traits (known ones to their columns, the rest to <see cref="Customer.Attributes"/>), and links
/// anonymous ids to the customer they turned out to be.
///
/// Events are folded per customer first, and first/last seen are written with one prepared upsert per customer
/// (portable SQL: SQLite and PostgreSQL both have INSERT ... ON CONFLICT DO UPDATE ... WHERE), which leaves rows it
/// would not change untouched, because this runs for every event ever ingested and must keep up with ingestion.
/// </summary>
public sealed class ProfileProjection(
    StateStore state, IEventStore events, IngestPipeline pipeline, ClusterNode node, TimeProvider clock, ILogger<ProfileProjection> logger)
    : EventProjection(state, events, pipeline, node, logger)
{
    private const int LookupChunk = 500;

    /// <summary>
    /// Rows per upsert statement. A statement per row pays SQLite's per-statement work for every row; very wide
    /// statements pay more, because Microsoft.Data.Sqlite finds each parameter by a linear search of the names
    /// (measured: 200 rows a statement spent 12 % of the server's CPU in strncmp).
    /// </summary>
    private const int RowsPerStatement = 8;

    /// <summary>Links this process has stored; past this many the memory is cleared and relearnt.</summary>
    private const int MaxRememberedLinks = 2_000_000;

    private const string UpsertSeenHead = """
        INSERT INTO "cdp_customers" ("Id", "WorkspaceId", "ExternalId", "FirstSeenAt", "LastSeenAt", "CreatedAt", "UpdatedAt",
            "Attributes", "ConsentEmail", "ConsentSms", "ConsentPush")
        VALUES
        """;

    private const string UpsertSeenTail = """
        ON CONFLICT ("WorkspaceId", "ExternalId") DO UPDATE SET
            "FirstSeenAt" = CASE WHEN "cdp_customers"."FirstSeenAt" IS NULL OR excluded."FirstSeenAt" < "cdp_customers"."FirstSeenAt"
                THEN excluded."FirstSeenAt" ELSE "cdp_customers"."FirstSeenAt" END,
            "LastSeenAt" = CASE WHEN "cdp_customers"."LastSeenAt" IS NULL OR excluded."LastSeenAt" > "cdp_customers"."LastSeenAt"
                THEN excluded."LastSeenAt" ELSE "cdp_customers"."LastSeenAt" END,
            "UpdatedAt" = excluded."UpdatedAt"
        WHERE excluded."FirstSeenAt" < "cdp_customers"."FirstSeenAt" OR excluded."LastSeenAt" > "cdp_customers"."LastSeenAt"
            OR "cdp_customers"."FirstSeenAt" IS NULL OR "cdp_customers"."LastSeenAt" IS NULL
        """;

    private const string UpsertLinkHead = """
        INSERT INTO "cdp_identity_links" ("WorkspaceId", "AnonymousId", "CustomerExternalId", "LinkedAt")
        VALUES
        """;

    private const string UpsertLinkTail = """
        ON CONFLICT ("WorkspaceId", "AnonymousId") DO UPDATE SET
            "LinkedAt" = excluded."LinkedAt",
            "CustomerExternalId" = excluded."CustomerExternalId"
        WHERE "cdp_identity_links"."CustomerExternalId" <> excluded."CustomerExternalId"
        """;

    // Only this projection writes links, so what it committed is what is stored: repeated links (every event of a
    // known visitor carries one) need no statement at all.
    private readonly Dictionary<(string Ws, string Anonymous), string> storedLinks = [];
    private readonly List<KeyValuePair<(string Ws, string Anonymous), string>> newLinks = [];

    private static readonly EventSelection Reads = new(PropertiesOf: [EventTypes.Identify]);

    protected override string Name => Contracts.CustomerProjections.Profiles;

    /// <summary>Every event, lean, with properties only of identify events: the rest only move first/last seen.</summary>
    protected override EventSelection Selection => Reads;

    protected override async Task ApplyAsync(FlywheelDb db, IReadOnlyList<EventRecord> batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var seen = new Dictionary<(string Ws, string Customer), (DateTime First, DateTime Last)>();
        var links = new Dictionary<(string Ws, string Anonymous), string>();
        var identifies = new List<EventRecord>();
        foreach (var e in batch)
        {
            if (e.CustomerId is null || EventTypes.IsMembershipChange(e.Type))
            {
                continue;
            }
            var key = (e.WorkspaceId, e.CustomerId);
            seen[key] = seen.TryGetValue(key, out var range)
                ? (e.Timestamp < range.First ? e.Timestamp : range.First, e.Timestamp > range.Last ? e.Timestamp : range.Last)
                : (e.Timestamp, e.Timestamp);
            if (e.AnonymousId is not null)
            {
                links[(e.WorkspaceId, e.AnonymousId)] = e.CustomerId;
            }
            if (e.Type == EventTypes.Identify)
            {
                identifies.Add(e);
            }
        }

        newLinks.Clear();
        foreach (var link in links)
        {
            if (!storedLinks.TryGetValue(link.Key, out var stored) || stored != link.Value)
            {
                newLinks.Add(link);
            }
        }
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        await UpsertAsync(connection, transaction, UpsertSeenHead, UpsertSeenTail, seen.ToList(), 9, (row, p) =>
        {
            var ((ws, customer), (first, last)) = row;
            p[0] = Ids.New("cus");
            p[1] = ws;
            p[2] = customer;
            p[3] = first.Ticks;
            p[4] = last.Ticks;
            p[5] = now;
            p[6] = now;
            p[7] = "{}";
            p[8] = false;
        }, "(@p{0}, @p{1}, @p{2}, @p{3}, @p{4}, @p{5}, @p{6}, @p{7}, @p{8}, @p{8}, @p{8})", ct);
        await UpsertAsync(connection, transaction, UpsertLinkHead, UpsertLinkTail, newLinks, 4, (row, p) =>
        {
            p[0] = row.Key.Ws;
            p[1] = row.Key.Anonymous;
            p[2] = row.Value;
            p[3] = now;
        }, "(@p{0}, @p{1}, @p{2}, @p{3})", ct);
        await ApplyIdentifiesAsync(db, identifies, ct);
    }

    private static async Task ApplyIdentifiesAsync(FlywheelDb db, List<EventRecord> identifies, CancellationToken ct)
    {
        foreach (var workspace in identifies.GroupBy(e => e.WorkspaceId, StringComparer.Ordinal))
        {
            var ids = workspace.Select(e => e.CustomerId!).Distinct(StringComparer.Ordinal).ToList();
            var customers = new Dictionary<string, Customer>(StringComparer.Ordinal);
            foreach (var chunk in ids.Chunk(LookupChunk))
            {
                foreach (var c in await db.Customers.Where(c => c.WorkspaceId == workspace.Key && chunk.Contains(c.ExternalId)).ToListAsync(ct))
                {
                    customers[c.ExternalId] = c;
                }
            }
            foreach (var e in workspace)
            {
                ApplyTraits(customers[e.CustomerId!], e.Properties);
            }
        }
    }

    protected override void StoredElsewhere() => storedLinks.Clear();

    protected override void Committed()
    {
        if (storedLinks.Count + newLinks.Count > MaxRememberedLinks)
        {
            storedLinks.Clear();
        }
        foreach (var (key, customer) in newLinks)
        {
            storedLinks[key] = customer;
        }
        newLinks.Clear();
    }

    /// <summary>
    /// Runs "head VALUES (...), (...) tail" over the rows, <see cref="RowsPerStatement"/> rows a statement; the row
    /// template names its parameters by index ({0} … {width − 1}) and <paramref name="fill"/> sets their values.
    /// </summary>
    private static async Task UpsertAsync<T>(
        DbConnection connection, DbTransaction? transaction, string head, string tail, IReadOnlyList<T> rows, int width,
        Action<T, object[]> fill, string rowTemplate, CancellationToken ct)
    {
        DbCommand? full = null;
        var values = new object[width];
        try
        {
            for (var start = 0; start < rows.Count; start += RowsPerStatement)
            {
                var count = Math.Min(RowsPerStatement, rows.Count - start);
                var command = count == RowsPerStatement
                    ? full ??= Build(connection, transaction, head, tail, rowTemplate, width, count)
                    : Build(connection, transaction, head, tail, rowTemplate, width, count);
                for (var i = 0; i < count; i++)
                {
                    fill(rows[start + i], values);
                    for (var j = 0; j < width; j++)
                    {
                        command.Parameters[i * width + j].Value = values[j];
                    }
                }
                await command.ExecuteNonQueryAsync(ct);
                if (command != full)
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private static DbCommand Build(DbConnection connection, DbTransaction? transaction, string head, string tail, string rowTemplate, int width, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new System.Text.StringBuilder(head).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            var names = Enumerable.Range(i * width, width).Cast<object>().ToArray();
            sql.Append(i == 0 ? "" : ",\n").Append(string.Format(CultureInfo.InvariantCulture, rowTemplate, names));
            foreach (var n in names)
            {
                var p = command.CreateParameter();
                p.ParameterName = "@p" + n;
                command.Parameters.Add(p);
            }
        }
        command.CommandText = sql.Append('\n').Append(tail).ToString();
        return command;
    }

    /// <summary>Known traits fill the profile's columns when they are well-formed; everything is kept in Attributes.</summary>
    internal static void ApplyTraits(Customer customer, string propertiesJson)
    {
        JsonObject traits;
        try
        {
            traits = JsonNode.Parse(propertiesJson) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return;
        }
        var attributes = JsonNode.Parse(customer.Attributes) as JsonObject ?? [];
        foreach (var (name, value) in traits)
        {
            attributes[name] = value?.DeepClone();
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : null;
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }
            switch (name)
            {
                case "name":
                    customer.Name = JsonText.Clip(text, 200);
                    break;
                case "email":
                    customer.Email = JsonText.Clip(text.ToLowerInvariant(), 320);
                    break;
                case "phone":
                    customer.Phone = JsonText.Clip(text, 40);
                    break;
                case "gender":
                    customer.Gender = Genders.Normalise(text) ?? customer.Gender;
                    break;
                case "birthday":
                    if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthday))
                    {
                        customer.Birthday = birthday;
                    }
                    break;
                case "city":
                    customer.City = JsonText.Clip(text, 100);
                    break;
                case "region":
                case "province":
                    customer.Region = JsonText.Clip(text, 100);
                    break;
            }
        }
        customer.Attributes = attributes.ToJsonString();
    }

}
