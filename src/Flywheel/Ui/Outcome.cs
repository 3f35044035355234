using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Ui;

/// <summary>
/// What a page makes of an API handler's typed result: field messages from a validation problem (keyed by the API's
/// snake_case field names, shown next to their fields) or the detail of any other problem (shown in an alert).
/// Pages call the handlers the API calls, so validation and the audit log are the same whichever way a change comes.
/// </summary>
public sealed class Outcome
{
    private Dictionary<string, string[]> fields = new Dictionary<string, string[]>();

    /// <summary>The detail of a problem that belongs to no one field, such as "A workspace must keep at least one owner."</summary>
    public string? Problem { get; private set; }

    public bool Failed => Problem is not null || fields.Count > 0;

    /// <summary>The message for a field, or null when it has none.</summary>
    public string? For(string field) => fields.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public bool Has(string field) => fields.ContainsKey(field);

    /// <summary>Every field message as one line ("field: message ..."), for a form that shows them together.</summary>
    public string AllFields() => string.Join(" ", fields.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}"));

    /// <summary>The messages of a field and of its parts ("reward", "reward.tiers[1].off"), each with its field, as one line.</summary>
    public string AllFieldsStartingWith(string prefix) => string.Join(" ", fields
        .Where(kv => kv.Key == prefix || kv.Key.StartsWith(prefix + ".", StringComparison.Ordinal) || kv.Key.StartsWith(prefix + "[", StringComparison.Ordinal))
        .Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}"));

    public void Clear()
    {
        fields = new Dictionary<string, string[]>();
        Problem = null;
    }

    /// <summary>Takes a handler's result; true when it succeeded (neither a validation problem nor another problem).</summary>
    public bool Accept(IResult result)
    {
        Clear();
        switch (result)
        {
            case ValidationProblem validation:
                fields = new Dictionary<string, string[]>(validation.ProblemDetails.Errors, StringComparer.Ordinal);
                // A validation problem without field messages still has to say something.
                if (fields.Count == 0)
                {
                    Problem = validation.ProblemDetails.Detail ?? validation.ProblemDetails.Title;
                }
                return false;
            case ProblemHttpResult problem:
                Problem = problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? problem.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return false;
            default:
                return true;
        }
    }
}
