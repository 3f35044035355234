using System.Security.Claims;
using System.Text.Json;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Modules.Customers.Ingestion;

/// <summary>
/// POST /api/v1/events/batch: up to 1,000 events or 1 MB. Valid events are stored (duplicates once) and the answer
/// comes only after they are durable; invalid ones are listed with their errors.
/// </summary>
public static class IngestBatch
{
    public const int MaxEvents = 1000;
    public const long MaxBytes = 1024 * 1024;

    public sealed record Rejected(int Index, string? EventId, IDictionary<string, string[]> Errors);

    public sealed record Response(int Stored, int Duplicates, IReadOnlyList<Rejected> Rejected);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/events/batch", HandleAsync)
            .RequireAuthorization(Scopes.EventsWrite)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBytes))
            .WithName("IngestEventBatch")
            .WithSummary("Ingest a batch of events");

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        HttpContext http, ClaimsPrincipal caller, IngestPipeline pipeline, TimeProvider clock, CancellationToken ct)
    {
        var request = http.Request;
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, ct);
        }
        catch (JsonException ex)
        {
            return Problems.Validation("body", $"is not valid JSON: {ex.Message}");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(statusCode: ex.StatusCode, title: "The request is too large.",
                detail: $"A request may carry at most {MaxBytes / 1024} KB; send smaller batches.");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("events", out var events)
                || events.ValueKind != JsonValueKind.Array)
            {
                return Problems.Validation("events", "is required: {\"events\": [ ... ]}.");
            }
            var count = events.GetArrayLength();
            if (count > MaxEvents)
            {
                return Problems.Validation("events", $"has {count} events; at most {MaxEvents} are accepted per request.");
            }
            var incoming = new List<IncomingEvent>(count);
            foreach (var e in events.EnumerateArray())
            {
                incoming.Add(ReadEvent(e));
            }
            return await IngestAsync(incoming, caller.WorkspaceId(), http.Response, pipeline, clock, ct);
        }
    }

    /// <summary>Validates and ingests client events; shared by every ingestion endpoint.</summary>
    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        IReadOnlyList<IncomingEvent> incoming, string workspaceId, HttpResponse response, IngestPipeline pipeline, TimeProvider clock, CancellationToken ct)
    {
        var receivedAt = EventValidator.TruncateToMilliseconds(clock.GetUtcNow().UtcDateTime);
        var valid = new List<EventRecord>(incoming.Count);
        var rejected = new List<Rejected>();
        for (var i = 0; i < incoming.Count; i++)
        {
            var errors = new FieldErrors();
            var record = EventValidator.Validate(incoming[i], workspaceId, receivedAt, errors);
            if (record is null)
            {
                rejected.Add(new Rejected(i, incoming[i].EventId, errors.ToDictionary()));
            }
            else
            {
                valid.Add(record);
            }
        }
        if (valid.Count == 0 && rejected.Count > 0)
        {
            var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["events"] = [$"none of the {rejected.Count} events is valid."],
            })
            {
                Title = "The request is invalid.",
                Status = StatusCodes.Status400BadRequest,
            };
            problem.Extensions["rejected"] = rejected;
            return TypedResults.Problem(problem);
        }
        try
        {
            var result = await pipeline.SubmitAsync(valid, ct);
            return TypedResults.Ok(new Response(result.Stored, result.Duplicates, rejected));
        }
        catch (IngestOverloadedException ex)
        {
            return TooManyRequests(response, ex);
        }
    }

    public static ProblemHttpResult TooManyRequests(HttpResponse response, IngestOverloadedException ex)
    {
        var seconds = (int)Math.Ceiling(ex.RetryAfter.TotalSeconds);
        response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many events.",
            Detail = ex.Message,
        };
        problem.Extensions["retry_after_seconds"] = seconds;
        return TypedResults.Problem(problem);
    }

    internal static IncomingEvent ReadEvent(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return new IncomingEvent();
        }
        return new IncomingEvent
        {
            EventId = Text(e, "event_id"),
            Type = Text(e, "type"),
            CustomerId = Text(e, "customer_id"),
            AnonymousId = Text(e, "anonymous_id"),
            Timestamp = Text(e, "timestamp"),
            Properties = e.TryGetProperty("properties", out var p) ? p : default,
            Context = e.TryGetProperty("context", out var c) && c.ValueKind == JsonValueKind.Object ? ReadContext(c) : EventContext.Empty,
        };
    }

    private static EventContext ReadContext(JsonElement c) => new()
    {
        Channel = Text(c, "channel"),
        UtmSource = Text(c, "utm_source"),
        UtmMedium = Text(c, "utm_medium"),
        UtmCampaign = Text(c, "utm_campaign"),
        UtmContent = Text(c, "utm_content"),
        UtmTerm = Text(c, "utm_term"),
        Referrer = Text(c, "referrer"),
        Url = Text(c, "url"),
        Device = Text(c, "device"),
        Ip = Text(c, "ip"),
        UserAgent = Text(c, "user_agent"),
    };

    /// <summary>Strings as they are; numbers (ids are often numeric) as their JSON text.</summary>
    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;
}
