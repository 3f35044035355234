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

    /// <summary>The keys of the segments each of <paramref name="customerIds"/> is in now (customers in none are absent).</summary>
    public static async Task<IReadOnlyDictionary<string, List<string>>> KeysByCustomerAsync(
        FlywheelDb db, string workspaceId, IReadOnlyCollection<string> customerIds, CancellationToken ct)
    {
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var chunk in customerIds.Distinct(StringComparer.Ordinal).Chunk(1000))
        {
            var rows = await (
                from m in db.SegmentMembers
                join s in db.Segments on m.SegmentId equals s.Id
                where m.WorkspaceId == workspaceId && chunk.Contains(m.CustomerExternalId)
                select new { m.CustomerExternalId, s.Key }).AsNoTracking().ToListAsync(ct);
            foreach (var row in rows)
            {
                if (!keys.TryGetValue(row.CustomerExternalId, out var list))
                {
                    keys[row.CustomerExternalId] = list = [];
                }
                list.Add(row.Key);
            }
        }
        foreach (var list in keys.Values)
        {
            list.Sort(StringComparer.Ordinal);
        }
        return keys;
    }

    /// <summary>Whether the workspace has a segment with this key.</summary>
    public static Task<bool> ExistsAsync(FlywheelDb db, string workspaceId, string key, CancellationToken ct) =>
        db.Segments.AnyAsync(s => s.WorkspaceId == workspaceId && s.Key == key, ct);
}

/// <summary>
/// A <c>where</c> on one event type's properties, read as the segment language reads the <c>where</c> of
/// <c>did EVENT_TYPE where (...)</c> (the same operators, the catalogue's type checks on standard properties, dates as
/// whole local days), and turned into the event store's filter: <see cref="Filter"/> and its canonical text when valid,
/// else the errors (columns counted in the text given).
/// </summary>
public sealed record EventWhere(Flywheel.Platform.Events.PropertyFilter? Filter, string? Canonical, IReadOnlyList<ConditionError> Errors);

/// <summary>Event filters in the segment language, for modules that filter events (funnel steps).</summary>
public static class EventWheres
{
    /// <summary>Reads <paramref name="text"/> (e.g. <c>amount >= 100</c> or <c>category = 'baby' and amount > 50</c>) as a filter on <paramref name="eventType"/>.</summary>
    public static EventWhere Read(string eventType, string text, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var prefix = $"did {eventType} where (";
        try
        {
            var condition = SegmentChecker.ReadText(prefix + text + ")", SegmentCatalogue.Default);
            if (condition is not EventCondition { Where: { } where })
            {
                return new EventWhere(null, null, [new ConditionError("expected tests on the event's properties only", null, null, null)]);
            }
            var canonical = SegmentText.Print(condition);
            var at = canonical.IndexOf(" where ", StringComparison.Ordinal);
            canonical = canonical[(at + " where ".Length)..];
            if (canonical.StartsWith('(') && canonical.EndsWith(')'))
            {
                canonical = canonical[1..^1];
            }
            var context = new Evaluation.EvaluationContext("", "", zone, now, false);
            return new EventWhere(Evaluation.EventFilters.Of(where, context), canonical, []);
        }
        catch (SegmentLanguageException ex)
        {
            return new EventWhere(null, null, [.. ex.Errors.Select(e => new ConditionError(e.Message,
                e.Line, e.Line == 1 && e.Column is { } c ? Math.Max(1, c - prefix.Length) : e.Column, null))]);
        }
    }
}

/// <summary>Segments other modules create: one on a tag, carrying exactly that tag's customers (e.g. a funnel's dropped visitors).</summary>
public static class SegmentsOnTags
{
    /// <summary>What creating the segment did: its key and member count, or why it was refused (the HTTP status and a message).</summary>
    public sealed record Outcome(string? Key, int Members, int Status, string? Field, string? Message);

    /// <summary>Creates segment <paramref name="key"/> with the condition <c>has tag 'TAG'</c>, audited as the caller; refused (nothing stored) when the key is taken or invalid.</summary>
    public static async Task<Outcome> CreateAsync(
        IServiceProvider services, System.Security.Claims.ClaimsPrincipal caller, string key, string name, string? description, string tagName,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var segments = services.GetRequiredService<Segments.SegmentService>();
        var condition = SegmentText.Print(new HasTagCondition(tagName));
        var outcome = await segments.CreateAsync(caller, new Segments.SegmentService.SegmentInputs(key, name, description, condition, null), ct);
        return outcome.Refusal is { } refusal
            ? new Outcome(null, 0, refusal.Status, refusal.Field, refusal.Message)
            : new Outcome(outcome.Value!.Key, outcome.Value.MemberCount, 200, null, null);
    }
}
