using Flywheel.Modules.Customers.Model;
using Flywheel.Modules.Segments.Contracts;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>
/// The checks every change to the catalogue goes through, from the API, the console or another module: field rules,
/// one name per tag, and the references rule tags make to other tags.
/// </summary>
public static class TagRules
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;
    public const int MaxOwnerLength = 200;
    /// <summary>As long as <see cref="CustomerTag.CustomerExternalId"/> may be.</summary>
    public const int MaxCustomerIdLength = 200;

    public static string? Name(string? text, FieldErrors errors, string field = "name") => Fields.Required(text, field, MaxNameLength, errors);

    public static string? Description(string? text, FieldErrors errors) => Fields.Optional(text, "description", MaxDescriptionLength, errors);

    public static string? Owner(string? text, FieldErrors errors) => Fields.Optional(text, "owner", MaxOwnerLength, errors);

    /// <summary>
    /// The name in a route. Kestrel decodes every escape in a path except %2F (it would change which route matches), so
    /// a '/' in a tag name arrives still escaped and is decoded here.
    /// </summary>
    public static string FromRoute(string name) => name.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    public static string Path(string name) => "/api/v1/tags/" + Uri.EscapeDataString(name);

    /// <summary>
    /// A rule tag's condition, parsed and checked, with its errors added under "condition"; null for the other kinds,
    /// which may not have one.
    /// </summary>
    public static CheckedCondition? Condition(TagKind kind, string? text, FieldErrors errors)
    {
        if (kind != TagKind.Rule)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                errors.Add("condition", $"only rule tags have a condition; this tag is {TagKinds.Name(kind)}.");
            }
            return null;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add("condition", "is required for a rule tag: the segment condition whose customers carry the tag (docs/segments.md).");
            return null;
        }
        var checkedCondition = SegmentConditions.Check(text);
        foreach (var error in checkedCondition.Errors)
        {
            errors.Add("condition", error.ToString());
        }
        return checkedCondition;
    }

    /// <summary>
    /// 400 with the field errors; when the condition had errors, also "condition_errors" with each one's line, column
    /// and snippet, for an editor to point at the spot.
    /// </summary>
    public static ValidationProblem Invalid(FieldErrors errors, CheckedCondition? condition = null) =>
        condition is { IsValid: false }
            ? TypedResults.ValidationProblem(errors.ToDictionary(), title: "The request is invalid.",
                extensions: new Dictionary<string, object?> { ["condition_errors"] = condition.Errors })
            : Problems.Validation(errors.ToDictionary());

    public static Task<Tag?> FindAsync(FlywheelDb db, string workspaceId, string name, CancellationToken ct) =>
        db.Tags.FirstOrDefaultAsync(t => t.WorkspaceId == workspaceId && t.Name == name, ct);

    public static ProblemHttpResult NotFound(string name) => Problems.NotFound($"There is no tag named '{name}'.");

    /// <summary>
    /// The name of another tag that <paramref name="name"/> would be taken for: the same, or the same but for letter
    /// case ('VIP' and 'vip' in one catalogue would be one tag to a reader and two to <c>has tag</c>).
    /// </summary>
    public static async Task<string?> ClashAsync(FlywheelDb db, string workspaceId, string name, string? exceptId, CancellationToken ct)
    {
        // Compared here rather than in SQL: lower() folds only ASCII on SQLite and all of Unicode on PostgreSQL.
        var names = await db.Tags.AsNoTracking().Where(t => t.WorkspaceId == workspaceId && t.Id != exceptId).Select(t => t.Name).ToListAsync(ct);
        return names.FirstOrDefault(n => n == name) ?? names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
    }

    public static ProblemHttpResult NameTaken(string name, string existing) => Problems.Conflict(existing == name
        ? $"A tag named '{name}' already exists."
        : $"A tag named '{existing}' already exists; names that differ only in letter case are refused, since they would be taken for one tag.");

    /// <summary>The rule tags, other than <paramref name="exceptId"/>, whose condition names the tag <paramref name="name"/>.</summary>
    public static async Task<List<string>> RuleTagsNamingAsync(FlywheelDb db, string workspaceId, string name, string? exceptId, CancellationToken ct)
    {
        var named = await TagsNamedByRuleTagsAsync(db, workspaceId, exceptId, ct);
        return [.. named.Where(kv => kv.Value.Contains(name)).Select(kv => kv.Key).Order(StringComparer.Ordinal)];
    }

    public static ProblemHttpResult StillNamed(string name, IReadOnlyList<string> ruleTags, string change) => Problems.Conflict(
        $"The condition of rule tag {string.Join(", ", ruleTags.Select(n => $"'{n}'"))} names '{name}' (has tag '{name}'); " +
        $"change that condition before you {change} this tag.");

    /// <summary>
    /// The chain by which the rule tag <paramref name="name"/> (stored as <paramref name="exceptId"/>, or new), naming
    /// <paramref name="tags"/> in its condition, would come to depend on itself; null when it would not.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> CycleAsync(
        FlywheelDb db, string workspaceId, string? exceptId, string name, IReadOnlyList<string> tags, CancellationToken ct)
    {
        var named = await TagsNamedByRuleTagsAsync(db, workspaceId, exceptId, ct);
        named[name] = tags;
        return RuleTagCycles.Find(named, name);
    }

    public static string CycleMessage(IReadOnlyList<string> chain) =>
        $"a rule tag may not depend on itself, and this condition would make it: {RuleTagCycles.Describe(chain)}.";

    private static async Task<Dictionary<string, IReadOnlyList<string>>> TagsNamedByRuleTagsAsync(
        FlywheelDb db, string workspaceId, string? exceptId, CancellationToken ct)
    {
        var rules = await db.Tags.AsNoTracking()
            .Where(t => t.WorkspaceId == workspaceId && t.Kind == TagKind.Rule && t.Id != exceptId && t.Condition != null)
            .Select(t => new { t.Name, t.Condition }).ToListAsync(ct);
        // Stored conditions are canonical text that passed the checker, so they parse again; the catalogue is small.
        return rules.ToDictionary(r => r.Name, r => SegmentConditions.Check(r.Condition!).Tags, StringComparer.Ordinal);
    }
}
