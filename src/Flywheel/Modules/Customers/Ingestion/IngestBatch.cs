using System.Security.Claims;
using System.Text.Json;
using Flywheel.Platform;
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
            .AllowBrowsers()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBytes))
            .WithName("IngestEventBatch")
            .WithSummary("Ingest a batch of events");

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        HttpContext http, ClaimsPrincipal caller, IngestPipeline pipeline, IngestRateLimit rateLimit, TimeProvider clock, CancellationToken ct)
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
            return await IngestAsync(incoming, caller.WorkspaceId(), caller.Actor(), http.Response, pipeline, rateLimit, clock, ct);
        }
    }

    /// <summary>
    /// Validates and ingests client events; shared by every ingestion endpoint. Valid events count against the rate
    /// limit of <paramref name="actor"/> (the API key or console user sending them).
    /// </summary>
    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        IReadOnlyList<IncomingEvent> incoming, string workspaceId, string actor, HttpResponse response,
        IngestPipeline pipeline, IngestRateLimit rateLimit, TimeProvider clock, CancellationToken ct)
    {
        var receivedAt = Instants.ToMilliseconds(clock.GetUtcNow().UtcDateTime);
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
        if (await rateLimit.TryAcquireAsync(workspaceId, actor, valid.Count, ct) is { } wait)
        {
            return TooManyRequests(response, wait, "Too many events.", "This key sends events faster than its rate limit; retry later.");
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

    public static ProblemHttpResult TooManyRequests(HttpResponse response, IngestOverloadedException ex) =>
        TooManyRequests(response, ex.RetryAfter, "Too many events.", ex.Message);

    /// <summary>429 with Retry-After in whole seconds (at least 1, so that clients never retry at once).</summary>
    public static ProblemHttpResult TooManyRequests(HttpResponse response, TimeSpan retryAfter, string title, string detail)
    {
        var seconds = Math.Max(1, (int)Math.Min(int.MaxValue, Math.Ceiling(retryAfter.TotalSeconds)));
        response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = title,
            Detail = detail,
        };
        problem.Extensions["retry_after_seconds"] = seconds;
        return TypedResults.Problem(problem);
    }

    /// <summary>Reads an event's fields in one pass over its properties (lookups by name would rescan them each time).</summary>
    internal static IncomingEvent ReadEvent(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return new IncomingEvent();
        }
        string? eventId = null, type = null, customerId = null, anonymousId = null, timestamp = null;
        DateTimeOffset? parsedTimestamp = null;
        JsonElement properties = default;
        var context = EventContext.Empty;
        foreach (var field in e.EnumerateObject())
        {
            switch (field.Name)
            {
                case "event_id":
                    eventId = JsonText.Of(field.Value);
                    break;
                case "type":
                    type = JsonText.Of(field.Value);
                    break;
                case "customer_id":
                    customerId = JsonText.Of(field.Value);
                    break;
                case "anonymous_id":
                    anonymousId = JsonText.Of(field.Value);
                    break;
                case "timestamp":
                    timestamp = JsonText.Of(field.Value);
                    // System.Text.Json's ISO 8601 parser is several times faster than DateTimeOffset.TryParse; it is
                    // used only when the text carries its offset, since it would read a bare time as local time.
                    if (HasOffset(timestamp) && field.Value.TryGetDateTimeOffset(out var parsed))
                    {
                        parsedTimestamp = parsed;
                    }
                    break;
                case "properties":
                    properties = field.Value;
                    break;
                case "context" when field.Value.ValueKind == JsonValueKind.Object:
                    context = ReadContext(field.Value);
                    break;
            }
        }
        return new IncomingEvent
        {
            EventId = eventId,
            Type = type,
            CustomerId = customerId,
            AnonymousId = anonymousId,
            Timestamp = timestamp,
            ParsedTimestamp = parsedTimestamp,
            Properties = properties,
            Context = context,
        };
    }

    private static EventContext ReadContext(JsonElement c)
    {
        string? channel = null, source = null, medium = null, campaign = null, content = null, term = null;
        string? referrer = null, url = null, device = null, ip = null, userAgent = null;
        foreach (var field in c.EnumerateObject())
        {
            var value = JsonText.Of(field.Value);
            switch (field.Name)
            {
                case "channel": channel = value; break;
                case "utm_source": source = value; break;
                case "utm_medium": medium = value; break;
                case "utm_campaign": campaign = value; break;
                case "utm_content": content = value; break;
                case "utm_term": term = value; break;
                case "referrer": referrer = value; break;
                case "url": url = value; break;
                case "device": device = value; break;
                case "ip": ip = value; break;
                case "user_agent": userAgent = value; break;
            }
        }
        return new EventContext
        {
            Channel = channel,
            UtmSource = source,
            UtmMedium = medium,
            UtmCampaign = campaign,
            UtmContent = content,
            UtmTerm = term,
            Referrer = referrer,
            Url = url,
            Device = device,
            Ip = ip,
            UserAgent = userAgent,
        };
    }

    /// <summary>True for "…Z" and "…±hh:mm".</summary>
    private static bool HasOffset(string? s) =>
        s is { Length: > 6 } && (s[^1] is 'Z' or 'z' || (s[^6] is '+' or '-' && s[^3] == ':'));
}
