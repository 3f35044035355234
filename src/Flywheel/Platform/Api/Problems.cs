using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Platform.Api;

/// <summary>RFC 9457 problem details with field-level messages, the one error shape of the API.</summary>
public static class Problems
{
    /// <summary>400 with "errors": { field: [messages] }.</summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail: detail, title: "The request is invalid.");

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: what);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict.", detail: detail);
}

/// <summary>Collects field errors for a request; field names use the API's snake_case spelling.</summary>
public sealed class FieldErrors
{
    // Created on the first error: ingestion checks a FieldErrors per event, and nearly all events are valid.
    private Dictionary<string, List<string>>? errors;

    public bool Any => errors is { Count: > 0 };

    /// <summary>True when the field already has a message (so a later check need not add a second one).</summary>
    public bool Has(string field) => errors?.ContainsKey(field) == true;

    public void Add(string field, string message)
    {
        errors ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() =>
        (errors ?? []).ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
}
