using Flywheel.Modules.Segments.Language;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Segments.Contracts;

/// <summary>What is wrong with a condition's text and where: 1-based line and column, and the line with a caret under the spot.</summary>
public sealed record ConditionError(string Message, int? Line, int? Column, string? Snippet)
{
    /// <summary>"line 1, column 17: expected a number after '>=', found 'abc'", as the language words it.</summary>
    public override string ToString() => Line is { } line ? $"line {line}, column {Column}: {Message}" : Message;
}

/// <summary>
/// A condition's text after parsing and checking: its canonical text when valid, else every error found (the parser
/// stops at the first one), and the tags it names with <c>has tag</c>, so that a rule tag can be kept from naming itself.
/// </summary>
public sealed record CheckedCondition(string? Canonical, IReadOnlyList<ConditionError> Errors, IReadOnlyList<string> Tags)
{
    public bool IsValid => Canonical is not null;
}

/// <summary>The segment condition language (docs/segments.md) for modules that store conditions of their own, such as rule tags.</summary>
public static class SegmentConditions
{
    /// <summary>Parses and checks condition text against the standard catalogue of attributes and events.</summary>
    public static CheckedCondition Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var condition = SegmentChecker.ReadText(text, SegmentCatalogue.Default);
            return new CheckedCondition(SegmentText.Print(condition), [], [.. Membership.SegmentConditionRefs.TagsNamed(condition).Distinct(StringComparer.Ordinal)]);
        }
        catch (SegmentLanguageException ex)
        {
            return new CheckedCondition(null, [.. ex.Errors.Select(e => new ConditionError(e.Message, e.Line, e.Column, e.Snippet))], []);
        }
    }

}

/// <summary>The checkpoint of the projection that keeps segment membership and stored traits current from events.</summary>
public static class SegmentProjections
{
    /// <summary>
    /// A loader that writes customers, orders and events directly (the demo generator) rebuilds the stored traits and may
    /// then move this checkpoint past its events: with no segment defined yet, applying them would change nothing else.
    /// </summary>
    public const string Membership = Flywheel.Modules.Segments.Membership.SegmentProjection.Checkpoint;
}

/// <summary>Segment membership as other modules may compose it (LINQ, so that it runs on every state store).</summary>
public static class SegmentMembers
{
    /// <summary>The ids of the customers in the segment with this key now; none when there is no such segment.</summary>
    public static IQueryable<string> Of(FlywheelDb db, string workspaceId, string key) =>
        db.SegmentMembers.Where(m => m.WorkspaceId == workspaceId && db.Segments.Any(s => s.Id == m.SegmentId && s.Key == key))
            .Select(m => m.CustomerExternalId);

    /// <summary>Whether the workspace has a segment with this key.</summary>
    public static Task<bool> ExistsAsync(FlywheelDb db, string workspaceId, string key, CancellationToken ct) =>
        db.Segments.AnyAsync(s => s.WorkspaceId == workspaceId && s.Key == key, ct);
}
