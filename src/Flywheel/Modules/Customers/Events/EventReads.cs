using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Events;

/// <summary>Reading events back: a customer's timeline and counts by type. Both see every acknowledged event.</summary>
public static class EventReads
{
    public sealed record EventView(
        string EventId, string Type, string? CustomerId, string? AnonymousId, DateTime Timestamp, DateTime ReceivedAt,
        JsonElement Properties, EventContext Context);

    /// <summary>Anonymous ids of one customer a timeline read looks at; more would only come from a broken client.</summary>
    private const int MaxAnonymousIds = 1000;

    public sealed record Stats(DateTime From, DateTime To, long Total, IReadOnlyDictionary<string, long> ByType);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/customers/{id}/events", TimelineAsync).RequireAuthorization(Scopes.EventsRead).WithName("GetCustomerEvents")
            .WithSummary("A customer's events, newest first");
        group.MapGet("/events/stats", StatsAsync).RequireAuthorization(Scopes.EventsRead).WithName("GetEventStats")
            .WithSummary("Counts of stored events by type in a time range");
    }

    public static async Task<Results<Ok<Page<EventView>>, ValidationProblem>> TimelineAsync(
        string id, string? cursor, int? limit, ClaimsPrincipal caller, IEventStore store, IngestPipeline pipeline, FlywheelDb db,
        CancellationToken ct)
    {
        if (Cursor.CheckPaging(limit, cursor, out var take, out long? before) is { } problem)
        {
            return problem;
        }
        var workspaceId = caller.WorkspaceId();
        // What a visitor did before signing in is the customer's history too (identify links the ids). Links are
        // written by the profile projection, so they show a moment after the identify event is acknowledged.
        var anonymousIds = await db.IdentityLinks.AsNoTracking()
            .Where(l => l.WorkspaceId == workspaceId && l.CustomerExternalId == id)
            .Select(l => l.AnonymousId)
            .Take(MaxAnonymousIds)
            .ToListAsync(ct);
        await pipeline.WaitForLoadedAsync(ct);
        var events = await store.GetCustomerTimelineAsync(workspaceId, id, anonymousIds, before, take + 1, ct);
        var page = Cursor.PageOf(events, take, e => e.Seq.ToString(CultureInfo.InvariantCulture));
        return TypedResults.Ok(new Page<EventView>(page.Items.Select(ToView).ToList(), page.NextCursor));
    }

    public static async Task<Results<Ok<Stats>, ValidationProblem>> StatsAsync(
        string? from, string? to, ClaimsPrincipal caller, IEventStore store, IngestPipeline pipeline, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var fromTime = ParseInstant(from, "from", errors);
        var toTime = ParseInstant(to, "to", errors);
        if (!errors.Any && fromTime >= toTime)
        {
            errors.Add("to", "must be after 'from'.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        await pipeline.WaitForLoadedAsync(ct);
        var byType = await store.CountByTypeAsync(caller.WorkspaceId(), fromTime, toTime, ct);
        return TypedResults.Ok(new Stats(fromTime, toTime, byType.Values.Sum(), byType));
    }

    private static DateTime ParseInstant(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(field, "is required (ISO 8601, e.g. 2026-11-01T00:00:00+08:00).");
            return default;
        }
        if (!Instants.TryParseUtc(text, out var t))
        {
            errors.Add(field, $"'{text}' is not an ISO 8601 date-time.");
            return default;
        }
        return t.UtcDateTime;
    }

    private static EventView ToView(EventRecord e)
    {
        using var doc = JsonDocument.Parse(e.Properties);
        return new EventView(e.EventId, e.Type, e.CustomerId, e.AnonymousId, e.Timestamp, e.ReceivedAt, doc.RootElement.Clone(), e.Context);
    }
}
