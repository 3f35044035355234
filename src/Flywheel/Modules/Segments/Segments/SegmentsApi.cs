using System.Security.Claims;
using System.Text.Json;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;

namespace Flywheel.Modules.Segments.Segments;

/// <summary>
/// /api/v1/segments: preview a condition, create, read, change and delete segments, page or export their members, and
/// read their history and composition; /api/v1/customers/{id}/segments: a customer's segments. Definitions: docs/segments.md.
/// </summary>
public static class SegmentsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/segments/preview", PreviewAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("PreviewSegment").WithSummary("How many customers meet a condition now, with a sample; nothing is stored");
        group.MapGet("/segments", ListAsync).RequireAuthorization(Scopes.CustomersRead).WithName("ListSegments").WithSummary("Every segment");
        group.MapPost("/segments", CreateAsync).RequireAuthorization(Scopes.CustomersWrite).WithIdempotency()
            .WithName("CreateSegment").WithSummary("Create a segment and compute its members");
        group.MapGet("/segments/{key}", GetAsync).RequireAuthorization(Scopes.CustomersRead).WithName("GetSegment").WithSummary("One segment");
        group.MapPatch("/segments/{key}", UpdateAsync).RequireAuthorization(Scopes.CustomersWrite).WithIdempotency()
            .WithName("UpdateSegment").WithSummary("Change a segment's name, description or condition");
        group.MapDelete("/segments/{key}", DeleteAsync).RequireAuthorization(Scopes.CustomersWrite)
            .WithName("DeleteSegment").WithSummary("Delete a segment with its members and history");
        group.MapGet("/segments/{key}/members", MembersAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("ListSegmentMembers").WithSummary("A page of a segment's members, by customer id");
        group.MapGet("/segments/{key}/members.csv", ExportAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("ExportSegmentMembers").WithSummary("Every member of a segment as CSV");
        group.MapGet("/segments/{key}/history", HistoryAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("GetSegmentHistory").WithSummary("Size at the end of each day, and the latest entries and exits");
        group.MapGet("/segments/{key}/composition", CompositionAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("GetSegmentComposition").WithSummary("Members by lifecycle stage, RFM group, channel and city");
        group.MapGet("/customers/{externalId}/segments", CustomerAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("GetCustomerSegments").WithSummary("The segments a customer is in, and their latest entries and exits");
    }

    public static async Task<IResult> PreviewAsync(HttpRequest request, ClaimsPrincipal caller, SegmentService segments, CancellationToken ct)
    {
        var body = await ReadAsync(request, ct, "condition");
        if (body.Refusal is not null)
        {
            return body.Refusal.ToResult();
        }
        var outcome = await segments.PreviewAsync(caller.WorkspaceId(), body.Value!.ConditionText, body.Value.ConditionJson, ct);
        return outcome.Refusal?.ToResult() ?? TypedResults.Ok(outcome.Value);
    }

    public static async Task<IResult> ListAsync(ClaimsPrincipal caller, SegmentService segments, CancellationToken ct) =>
        TypedResults.Ok(await segments.ListAsync(caller.WorkspaceId(), ct));

    public static async Task<IResult> GetAsync(string key, ClaimsPrincipal caller, SegmentService segments, CancellationToken ct) =>
        await segments.GetAsync(caller.WorkspaceId(), key, ct) is { } view ? TypedResults.Ok(view) : SegmentRefusal.NotFound(key).ToResult();

    public static async Task<IResult> CreateAsync(HttpRequest request, ClaimsPrincipal caller, SegmentService segments, CancellationToken ct)
    {
        var body = await ReadAsync(request, ct, "key", "name", "description", "condition");
        if (body.Refusal is not null)
        {
            return body.Refusal.ToResult();
        }
        var outcome = await segments.CreateAsync(caller, body.Value!, ct);
        return outcome.Refusal?.ToResult() ?? TypedResults.Created($"/api/v1/segments/{outcome.Value!.Key}", outcome.Value);
    }

    public static async Task<IResult> UpdateAsync(string key, HttpRequest request, ClaimsPrincipal caller, SegmentService segments, CancellationToken ct)
    {
        var body = await ReadAsync(request, ct, "name", "description", "condition");
        if (body.Refusal is not null)
        {
            return body.Refusal.ToResult();
        }
        var outcome = await segments.UpdateAsync(caller, key, body.Value!, ct);
        return outcome.Refusal?.ToResult() ?? TypedResults.Ok(outcome.Value);
    }

    public static async Task<IResult> DeleteAsync(string key, ClaimsPrincipal caller, SegmentService segments, CancellationToken ct) =>
        await segments.DeleteAsync(caller, key, ct) is { } refusal ? refusal.ToResult() : TypedResults.NoContent();

    public static async Task<IResult> MembersAsync(
        string key, string? cursor, int? limit, ClaimsPrincipal caller, SegmentInsights insights, CancellationToken ct)
    {
        if (Cursor.CheckPaging(limit, cursor, out var take, out string? after) is { } problem)
        {
            return problem;
        }
        var outcome = await insights.MembersAsync(caller.WorkspaceId(), key, after, take, ct);
        return outcome.Refusal?.ToResult() ?? TypedResults.Ok(outcome.Value);
    }

    public static async Task ExportAsync(
        string key, HttpContext http, ClaimsPrincipal caller, SegmentService segments, SegmentInsights insights, CancellationToken ct)
    {
        if (await segments.GetAsync(caller.WorkspaceId(), key, ct) is null)
        {
            await SegmentRefusal.NotFound(key).ToResult().ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"segment-{key}.csv\"";
        // Streamed: a segment of millions is not held in memory.
        await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false));
        await insights.WriteCsvAsync(caller.WorkspaceId(), key, writer, ct);
    }

    public static async Task<IResult> HistoryAsync(
        string key, string? from, string? to, ClaimsPrincipal caller, SegmentInsights insights, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var first = Fields.Date(from, "from", errors);
        var last = Fields.Date(to, "to", errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var outcome = await insights.HistoryAsync(caller.WorkspaceId(), key, first, last, ct);
        return outcome.Refusal?.ToResult() ?? TypedResults.Ok(outcome.Value);
    }

    public static async Task<IResult> CompositionAsync(string key, ClaimsPrincipal caller, SegmentInsights insights, CancellationToken ct)
    {
        var outcome = await insights.CompositionAsync(caller.WorkspaceId(), key, ct);
        return outcome.Refusal?.ToResult() ?? TypedResults.Ok(outcome.Value);
    }

    public static async Task<IResult> CustomerAsync(string externalId, ClaimsPrincipal caller, SegmentInsights insights, CancellationToken ct) =>
        TypedResults.Ok(await insights.OfCustomerAsync(caller.WorkspaceId(), externalId, ct));

    /// <summary>The body's fields; "condition" is text (the text form) or an object (the JSON form).</summary>
    private static async Task<SegmentOutcome<SegmentService.SegmentInputs>> ReadAsync(HttpRequest request, CancellationToken ct, params string[] known)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, known);
        if (document is null)
        {
            var (field, messages) = errors.ToDictionary().First();
            return SegmentRefusal.Invalid(field, messages[0]);
        }
        var j = new JsonInput(document.RootElement, errors);
        string? text = null;
        JsonElement? json = null;
        if (document.RootElement.TryGetProperty("condition", out var condition))
        {
            switch (condition.ValueKind)
            {
                case JsonValueKind.String:
                    text = condition.GetString();
                    break;
                case JsonValueKind.Object:
                    json = condition.Clone();
                    break;
                default:
                    return SegmentRefusal.Invalid("condition", "must be the condition's text or its JSON form (an object).");
            }
        }
        var inputs = new SegmentService.SegmentInputs(
            known.Contains("key") ? j.Text("key") : null, j.Text("name"), j.Text("description"), text, json);
        if (errors.Any)
        {
            var (field, messages) = errors.ToDictionary().First();
            return SegmentRefusal.Invalid(field, messages[0]);
        }
        return inputs;
    }
}
