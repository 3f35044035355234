using Flywheel.Modules.Segments.Contracts;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Segments.Segments;

/// <summary>Why a segment request was refused: the HTTP status, the field at fault and, for a condition, each error's place.</summary>
public sealed record SegmentRefusal(int Status, string Field, string Message, IReadOnlyList<ConditionError>? ConditionErrors = null)
{
    public static SegmentRefusal Invalid(string field, string message) => new(StatusCodes.Status400BadRequest, field, message);

    public static SegmentRefusal NotFound(string key) => new(StatusCodes.Status404NotFound, "key", $"There is no segment with key '{key}'.");

    public static SegmentRefusal Conflict(string field, string message) => new(StatusCodes.Status409Conflict, field, message);

    public static SegmentRefusal Unprocessable(string field, string message) => new(StatusCodes.Status422UnprocessableEntity, field, message);

    /// <summary>The answer: a validation problem (with "condition_errors" when the condition had errors), 404 or 409.</summary>
    public IResult ToResult() => Status switch
    {
        StatusCodes.Status404NotFound => Problems.NotFound(Message),
        StatusCodes.Status409Conflict => Problems.Conflict(Message),
        _ => Results.ValidationProblem(
            new Dictionary<string, string[]> { [Field] = ConditionErrors is { Count: > 0 } e ? [.. e.Select(x => x.ToString())] : [Message] },
            statusCode: Status,
            title: "The request is invalid.",
            extensions: ConditionErrors is { Count: > 0 } errors ? new Dictionary<string, object?> { ["condition_errors"] = errors } : null),
    };
}
