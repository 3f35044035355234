using Flywheel.Modules.Customers.Contracts;
using Flywheel.Modules.Segments.Language;
using Flywheel.Modules.Segments.Model;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Segments.Membership;

/// <summary>
/// Something whose members a condition decides: a segment (members in seg_members, with history) or a rule tag
/// (customers carrying it). Timers of both live in seg_timers under the target's id.
/// </summary>
internal sealed class MembershipTarget
{
    private MembershipTarget(string id, string workspaceId, Condition condition, Segment? segment, IReadOnlyCollection<string> segmentsNamed, IReadOnlyCollection<string> tagsNamed, string name)
    {
        Id = id;
        WorkspaceId = workspaceId;
        Condition = condition;
        Segment = segment;
        SegmentsNamed = segmentsNamed;
        TagsNamed = tagsNamed;
        Name = name;
    }

    public string Id { get; }

    public string WorkspaceId { get; }

    public Condition Condition { get; }

    /// <summary>The segment, when the target is one.</summary>
    public Segment? Segment { get; }

    /// <summary>The segment's key or the tag's name.</summary>
    public string Name { get; }

    private IReadOnlyCollection<string> SegmentsNamed { get; }

    private IReadOnlyCollection<string> TagsNamed { get; }

    public static MembershipTarget Of(Segment segment)
    {
        var condition = SegmentMembership.Read(segment.Condition);
        return new(segment.Id, segment.WorkspaceId, condition, segment, [.. SegmentConditionRefs.SegmentsNamed(condition)],
            [.. SegmentConditionRefs.TagsNamed(condition)], segment.Key);
    }

    public static MembershipTarget Of(RuleTag tag)
    {
        var condition = SegmentMembership.Read(tag.Condition);
        return new(tag.Id, tag.WorkspaceId, condition, null, [.. SegmentConditionRefs.SegmentsNamed(condition)],
            [.. SegmentConditionRefs.TagsNamed(condition)], tag.Name);
    }

    public Task<HashSet<string>> CurrentAsync(FlywheelDb db, IReadOnlyCollection<string>? among, CancellationToken ct) =>
        Segment is null ? RuleTagMembers.CurrentAsync(db, Id, among, ct) : SegmentMembership.CurrentAsync(db, Id, among, ct);

    public Task WriteAsync(FlywheelDb db, List<string> entered, List<string> exited, DateTimeOffset at, CancellationToken ct) =>
        Segment is null ? RuleTagMembers.WriteAsync(db, WorkspaceId, Id, entered, exited, at, ct) : SegmentMembership.WriteAsync(db, Segment, entered, exited, at, ct);

    /// <summary>
    /// The targets ordered so that each comes after the segments and rule tags its condition names (cycles are refused
    /// when conditions are saved; should one exist all the same, its members are evaluated in the order found).
    /// </summary>
    public static List<MembershipTarget> InDependencyOrder(IReadOnlyList<MembershipTarget> targets)
    {
        var segments = targets.Where(t => t.Segment is not null).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var tags = targets.Where(t => t.Segment is null).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var ordered = new List<MembershipTarget>(targets.Count);
        var visited = new HashSet<MembershipTarget>();
        void Visit(MembershipTarget t)
        {
            if (!visited.Add(t))
            {
                return;
            }
            foreach (var s in t.SegmentsNamed)
            {
                if (segments.TryGetValue(s, out var named))
                {
                    Visit(named);
                }
            }
            foreach (var name in t.TagsNamed)
            {
                if (tags.TryGetValue(name, out var named))
                {
                    Visit(named);
                }
            }
            ordered.Add(t);
        }
        foreach (var t in targets)
        {
            Visit(t);
        }
        return ordered;
    }
}
