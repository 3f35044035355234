using System.Text.Json;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Ingestion;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Modules.Customers.Ingestion;

/// <summary>
/// The Segment-compatible HTTP tracking API (/v1/batch, /v1/track, /v1/identify, /v1/page, /v1/screen, /v1/alias,
/// /v1/group), so analytics libraries written for Segment send to Flywheel unchanged. Messages are mapped by
/// <see cref="SegmentMapper"/> and ingested through <see cref="IngestBatch.IngestAsync"/>: validation, dedup,
/// durability and backpressure are those of the native batch API.
/// </summary>
public static class SegmentApi
{
    /// <summary>Segment documents 500 KB per batch; Flywheel takes up to the native API's 1 MB.</summary>
    public const long MaxBytes = IngestBatch.MaxBytes;

    /// <summary>Segment clients only look at the status code; the counts are there for people reading the answer.</summary>
    public sealed record Response(bool Success, int Stored, int Duplicates, IReadOnlyList<IngestBatch.Rejected> Rejected);

    public static void Map(IEndpointRouteBuilder app)
    {
        // Authentication happens in the handler: Segment's HTTP API also accepts the write key in the JSON body,
        // which a policy cannot see. Cookies are deliberately not accepted here.
        var v1 = app.MapGroup("/v1").WithTags("Segment-compatible tracking")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBytes))
            .AllowAnonymous()
            .AllowBrowsers();
        v1.MapPost("/batch", BatchAsync).WithName("SegmentBatch").WithSummary("Segment-compatible batch of messages");
        foreach (var kind in (string[])[SegmentMapper.Track, SegmentMapper.Identify, SegmentMapper.Page, SegmentMapper.Screen, SegmentMapper.Alias, SegmentMapper.Group])
        {
            v1.MapPost("/" + kind, (HttpContext http, ApiKeys keys, IngestPipeline pipeline, IngestRateLimit rateLimit, TimeProvider clock, CancellationToken ct) =>
                    SingleAsync(kind, http, keys, pipeline, rateLimit, clock, ct))
                .WithName("Segment" + char.ToUpperInvariant(kind[0]) + kind[1..])
                .WithSummary($"Segment-compatible {kind} call");
        }
    }

    public static Task<IResult> BatchAsync(HttpContext http, ApiKeys keys, IngestPipeline pipeline, IngestRateLimit rateLimit, TimeProvider clock, CancellationToken ct) =>
        HandleAsync(null, http, keys, pipeline, rateLimit, clock, ct);

    public static Task<IResult> SingleAsync(string kind, HttpContext http, ApiKeys keys, IngestPipeline pipeline, IngestRateLimit rateLimit, TimeProvider clock, CancellationToken ct) =>
        HandleAsync(kind, http, keys, pipeline, rateLimit, clock, ct);

    /// <summary><paramref name="kind"/> is the message type the path implies; null for /v1/batch.</summary>
    private static async Task<IResult> HandleAsync(
        string? kind, HttpContext http, ApiKeys keys, IngestPipeline pipeline, IngestRateLimit rateLimit, TimeProvider clock, CancellationToken ct)
    {
        // A key in the Authorization header is checked before the body is read.
        string? workspaceId = null;
        string? actor = null;
        var hasHeader = http.Request.Headers.Authorization.Count > 0;
        if (hasHeader)
        {
            var auth = await http.AuthenticateAsync(AuthSetup.KeyScheme);
            if (!auth.Succeeded)
            {
                return Unauthorized(http, auth.Failure?.Message ?? "The API key is not valid.");
            }
            if (!auth.Principal.HasScope(Scopes.EventsWrite))
            {
                return Forbidden();
            }
            workspaceId = auth.Principal.WorkspaceId();
            actor = auth.Principal.Actor();
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, default, ct);
        }
        catch (JsonException ex)
        {
            return Problems.Validation("body", $"is not valid JSON: {ex.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Problems.Validation("body", "must be a JSON object.");
            }
            if (workspaceId is null)
            {
                if (!root.TryGetProperty("writeKey", out var wk) || wk.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(wk.GetString()))
                {
                    return Unauthorized(http, "Send the write key as the Basic-auth user name, as 'Authorization: Bearer <key>', or as \"writeKey\" in the body.");
                }
                var grant = await keys.ResolveAsync(wk.GetString()!, ct);
                if (grant is null)
                {
                    return Unauthorized(http, "The API key is not valid or has been revoked.");
                }
                if (!grant.Scopes.Contains(Scopes.EventsWrite, StringComparer.Ordinal))
                {
                    return Forbidden();
                }
                workspaceId = grant.WorkspaceId;
                actor = "key:" + grant.KeyId;
            }

            var envelope = new SegmentMapper.Envelope(
                http.Connection.RemoteIpAddress?.ToString(),
                clock.GetUtcNow(),
                root.TryGetProperty("sentAt", out var sentAt) && sentAt.ValueKind == JsonValueKind.String ? sentAt.GetString() : null,
                kind is null && root.TryGetProperty("context", out var batchContext) ? batchContext : default);
            List<IncomingEvent> incoming;
            if (kind is null)
            {
                if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
                {
                    return Problems.Validation("batch", "is required: {\"batch\": [ {\"type\": \"track\", ...}, ... ]}.");
                }
                incoming = new List<IncomingEvent>(batch.GetArrayLength());
                foreach (var message in batch.EnumerateArray())
                {
                    incoming.Add(SegmentMapper.Map(message, null, envelope));
                }
            }
            else
            {
                incoming = [SegmentMapper.Map(root, kind, envelope)];
            }

            var result = await IngestBatch.IngestAsync(incoming, workspaceId, actor!, http.Response, pipeline, rateLimit, clock, ct);
            return result.Result switch
            {
                Ok<IngestBatch.Response> { Value: { } ok } => TypedResults.Ok(new Response(true, ok.Stored, ok.Duplicates, ok.Rejected)),
                var other => other,
            };
        }
    }

    private static ProblemHttpResult Unauthorized(HttpContext http, string detail)
    {
        // Tells a person trying the endpoint with curl which scheme to use; Segment clients send Basic.
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"flywheel\"";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized.", detail: detail);
    }

    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", detail: "The key may not write events.");
}
