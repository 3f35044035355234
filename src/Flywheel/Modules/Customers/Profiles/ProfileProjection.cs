using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flywheel.Modules.Customers.Model;
using Flywheel.Platform;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Profiles;

/// <summary>
/// Keeps customer profiles current from events: creates the customer an event first names, moves first/last seen,
/// applies identify traits (known ones to their columns, the rest to <see cref="Customer.Attributes"/>), and links
/// anonymous ids to the customer they turned out to be.
/// </summary>
public sealed class ProfileProjection(StateStore state, IEventStore events, IngestPipeline pipeline, TimeProvider clock, ILogger<ProfileProjection> logger)
    : EventProjection(state, events, pipeline, logger)
{
    private const int LookupChunk = 500;

    protected override string Name => "customers.profiles";

    protected override async Task ApplyAsync(FlywheelDb db, IReadOnlyList<EventRecord> batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var workspace in batch.GroupBy(e => e.WorkspaceId, StringComparer.Ordinal))
        {
            var known = workspace.Where(e => e.CustomerId is not null).ToList();
            if (known.Count == 0)
            {
                continue;
            }
            var ids = known.Select(e => e.CustomerId!).Distinct(StringComparer.Ordinal).ToList();
            var customers = new Dictionary<string, Customer>(StringComparer.Ordinal);
            foreach (var chunk in ids.Chunk(LookupChunk))
            {
                var found = await db.Customers.Where(c => c.WorkspaceId == workspace.Key && chunk.Contains(c.ExternalId)).ToListAsync(ct);
                foreach (var c in found)
                {
                    customers[c.ExternalId] = c;
                }
            }
            var links = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var e in known)
            {
                if (!customers.TryGetValue(e.CustomerId!, out var customer))
                {
                    customer = new Customer { Id = Ids.New("cus"), WorkspaceId = workspace.Key, ExternalId = e.CustomerId!, CreatedAt = now, UpdatedAt = now };
                    customers[e.CustomerId!] = customer;
                    db.Customers.Add(customer);
                }
                var at = new DateTimeOffset(e.Timestamp, TimeSpan.Zero);
                if (customer.FirstSeenAt is null || at < customer.FirstSeenAt)
                {
                    customer.FirstSeenAt = at;
                }
                if (customer.LastSeenAt is null || at > customer.LastSeenAt)
                {
                    customer.LastSeenAt = at;
                }
                if (e.Type == EventTypes.Identify)
                {
                    ApplyTraits(customer, e.Properties);
                }
                customer.UpdatedAt = now;
                if (e.AnonymousId is not null)
                {
                    links[e.AnonymousId] = e.CustomerId!;
                }
            }
            await LinkAsync(db, workspace.Key, links, now, ct);
        }
    }

    private static async Task LinkAsync(FlywheelDb db, string workspaceId, Dictionary<string, string> links, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var chunk in links.Keys.Chunk(LookupChunk))
        {
            var existing = await db.IdentityLinks.Where(l => l.WorkspaceId == workspaceId && chunk.Contains(l.AnonymousId))
                .ToDictionaryAsync(l => l.AnonymousId, StringComparer.Ordinal, ct);
            foreach (var anonymousId in chunk)
            {
                var customerId = links[anonymousId];
                if (existing.TryGetValue(anonymousId, out var link))
                {
                    if (link.CustomerExternalId != customerId)
                    {
                        link.CustomerExternalId = customerId;
                        link.LinkedAt = now;
                    }
                }
                else
                {
                    db.IdentityLinks.Add(new IdentityLink { WorkspaceId = workspaceId, AnonymousId = anonymousId, CustomerExternalId = customerId, LinkedAt = now });
                }
            }
        }
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
