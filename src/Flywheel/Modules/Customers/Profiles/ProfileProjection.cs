using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Customers.Model;
using Flywheel.Platform;
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
public sealed class ProfileProjection(StateStore state, IEventStore events, IngestPipeline pipeline, TimeProvider clock, ILogger<ProfileProjection> logger)
    : EventProjection(state, events, pipeline, logger)
{
    private const int LookupChunk = 500;

    private const string UpsertSeen = """
        INSERT INTO "cdp_customers" ("Id", "WorkspaceId", "ExternalId", "FirstSeenAt", "LastSeenAt", "CreatedAt", "UpdatedAt",
            "Attributes", "ConsentEmail", "ConsentSms", "ConsentPush")
        VALUES (@id, @ws, @ext, @first, @last, @now, @now, '{}', @no, @no, @no)
        ON CONFLICT ("WorkspaceId", "ExternalId") DO UPDATE SET
            "FirstSeenAt" = CASE WHEN "cdp_customers"."FirstSeenAt" IS NULL OR excluded."FirstSeenAt" < "cdp_customers"."FirstSeenAt"
                THEN excluded."FirstSeenAt" ELSE "cdp_customers"."FirstSeenAt" END,
            "LastSeenAt" = CASE WHEN "cdp_customers"."LastSeenAt" IS NULL OR excluded."LastSeenAt" > "cdp_customers"."LastSeenAt"
                THEN excluded."LastSeenAt" ELSE "cdp_customers"."LastSeenAt" END,
            "UpdatedAt" = excluded."UpdatedAt"
        WHERE excluded."FirstSeenAt" < "cdp_customers"."FirstSeenAt" OR excluded."LastSeenAt" > "cdp_customers"."LastSeenAt"
            OR "cdp_customers"."FirstSeenAt" IS NULL OR "cdp_customers"."LastSeenAt" IS NULL
        """;

    private const string UpsertLink = """
        INSERT INTO "cdp_identity_links" ("WorkspaceId", "AnonymousId", "CustomerExternalId", "LinkedAt")
        VALUES (@ws, @anon, @customer, @now)
        ON CONFLICT ("WorkspaceId", "AnonymousId") DO UPDATE SET
            "LinkedAt" = CASE WHEN "cdp_identity_links"."CustomerExternalId" <> excluded."CustomerExternalId"
                THEN excluded."LinkedAt" ELSE "cdp_identity_links"."LinkedAt" END,
            "CustomerExternalId" = excluded."CustomerExternalId"
        WHERE "cdp_identity_links"."CustomerExternalId" <> excluded."CustomerExternalId"
        """;

    private static readonly EventSelection Reads = new(DetailsFor: [EventTypes.Identify]);

    protected override string Name => "customers.profiles";

    /// <summary>Every event, but details only of identify events: the rest only move first/last seen.</summary>
    protected override EventSelection Selection => Reads;

    protected override async Task ApplyAsync(FlywheelDb db, IReadOnlyList<EventRecord> batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var seen = new Dictionary<(string Ws, string Customer), (DateTime First, DateTime Last)>();
        var links = new Dictionary<(string Ws, string Anonymous), string>();
        var identifies = new List<EventRecord>();
        foreach (var e in batch)
        {
            if (e.CustomerId is null)
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

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        await using (var upsert = Prepare(connection, transaction, UpsertSeen, "id", "ws", "ext", "first", "last", "now", "no"))
        {
            upsert.Parameters["@now"].Value = now;
            upsert.Parameters["@no"].Value = false;
            foreach (var ((ws, customer), (first, last)) in seen)
            {
                upsert.Parameters["@id"].Value = Ids.New("cus");
                upsert.Parameters["@ws"].Value = ws;
                upsert.Parameters["@ext"].Value = customer;
                upsert.Parameters["@first"].Value = first.Ticks;
                upsert.Parameters["@last"].Value = last.Ticks;
                await upsert.ExecuteNonQueryAsync(ct);
            }
        }
        await using (var link = Prepare(connection, transaction, UpsertLink, "ws", "anon", "customer", "now"))
        {
            link.Parameters["@now"].Value = now;
            foreach (var ((ws, anonymous), customer) in links)
            {
                link.Parameters["@ws"].Value = ws;
                link.Parameters["@anon"].Value = anonymous;
                link.Parameters["@customer"].Value = customer;
                await link.ExecuteNonQueryAsync(ct);
            }
        }
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
        await db.SaveChangesAsync(ct);
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction? transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var name in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            command.Parameters.Add(p);
        }
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
                    customer.Name = Clip(text, 200);
                    break;
                case "email":
                    customer.Email = Clip(text.ToLowerInvariant(), 320);
                    break;
                case "phone":
                    customer.Phone = Clip(text, 40);
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
                    customer.City = Clip(text, 100);
                    break;
                case "region":
                case "province":
                    customer.Region = Clip(text, 100);
                    break;
            }
        }
        customer.Attributes = attributes.ToJsonString();
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];
}
