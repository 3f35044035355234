using System.Text.Json;
using System.Text.RegularExpressions;
using Flywheel.Modules.Segments.Contracts;
using Flywheel.Modules.Segments.Language;
using Flywheel.Modules.Segments.Membership;
using Flywheel.Platform.Events;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Segments.Segments;

/// <summary>
/// Reads a condition given as text or in its JSON form, checks it against the catalogue, and checks what it names:
/// every tag and segment must exist in the workspace, and a segment may not depend on itself.
/// </summary>
internal static partial class SegmentInput
{
    public const int MaxKey = 100;
    public const int MaxName = 200;
    public const int MaxDescription = 1000;

    public static async Task<SegmentOutcome<Condition>> ConditionAsync(
        FlywheelDb db, string workspaceId, string? selfKey, string? text, JsonElement? json, CancellationToken ct)
    {
        Condition condition;
        try
        {
            if (json is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } j)
            {
                condition = SegmentChecker.ReadJson(j.GetRawText(), SegmentCatalogue.Default);
            }
            else if (!string.IsNullOrWhiteSpace(text))
            {
                condition = SegmentChecker.ReadText(text, SegmentCatalogue.Default);
            }
            else
            {
                return SegmentRefusal.Invalid("condition", "is required: a condition in the segment language (docs/segments.md), as text or in its JSON form.");
            }
        }
        catch (SegmentLanguageException ex)
        {
            var errors = ex.Errors.Select(e => new ConditionError(e.Message, e.Line, e.Column, e.Snippet)).ToList();
            return new SegmentRefusal(StatusCodes.Status400BadRequest, "condition", errors[0].ToString(), errors);
        }
        var unfit = SegmentConditionRefs.EventNumbers(condition).Where(n => !CustomerEventQueries.Fits(n)).Select(n => (decimal?)n).FirstOrDefault();
        if (unfit is { } number)
        {
            return SegmentRefusal.Invalid("condition", $"{number}: a number compared with events has at most 10 decimal places and 28 digits before the point.");
        }
        var tags = await db.Tags.AsNoTracking().Where(t => t.WorkspaceId == workspaceId).Select(t => t.Name).ToListAsync(ct);
        var missingTag = SegmentConditionRefs.TagsNamed(condition).FirstOrDefault(t => !tags.Contains(t, StringComparer.Ordinal));
        if (missingTag is not null)
        {
            return SegmentRefusal.Unprocessable("condition", $"There is no tag named '{missingTag}' in this workspace.");
        }
        var others = await db.Segments.AsNoTracking().Where(s => s.WorkspaceId == workspaceId).ToListAsync(ct);
        var missingSegment = SegmentConditionRefs.SegmentsNamed(condition).FirstOrDefault(k => k != selfKey && others.All(o => o.Key != k));
        if (missingSegment is not null)
        {
            return SegmentRefusal.Unprocessable("condition", $"There is no segment with key '{missingSegment}' in this workspace.");
        }
        if (selfKey is not null && SegmentOrder.WouldCycle(selfKey, condition, others.Select(o => (o, SegmentMembership.Read(o.Condition)))))
        {
            return SegmentRefusal.Unprocessable("condition", $"Segment '{selfKey}' would depend on itself through 'in segment'.");
        }
        return condition;
    }

    public static SegmentRefusal? Key(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return SegmentRefusal.Invalid("key", "is required: lower-case letters, digits, '-' and '_', starting with a letter or digit (high-value).");
        }
        return key.Length > MaxKey || !KeyPattern().IsMatch(key)
            ? SegmentRefusal.Invalid("key", $"'{key}' is not a key: lower-case letters, digits, '-' and '_', starting with a letter or digit, at most {MaxKey} characters.")
            : null;
    }

    public static SegmentRefusal? Name(string? name) =>
        string.IsNullOrWhiteSpace(name) ? SegmentRefusal.Invalid("name", "is required.")
        : name.Trim().Length > MaxName ? SegmentRefusal.Invalid("name", $"is longer than {MaxName} characters.")
        : null;

    public static SegmentRefusal? Description(string? description) =>
        description is { Length: > MaxDescription } ? SegmentRefusal.Invalid("description", $"is longer than {MaxDescription} characters.") : null;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex KeyPattern();
}
