using System.Text.Json;
using Flywheel.Modules.Segments.Language;
using Flywheel.Modules.Segments.Model;

namespace Flywheel.Modules.Segments.Segments;

/// <summary>A segment as the API shows it: the condition in both its text and JSON forms.</summary>
public sealed record SegmentView(
    string Key, string Name, string? Description, string Condition, JsonElement ConditionJson, int MemberCount, int Version,
    DateTimeOffset? EvaluatedAt, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static SegmentView From(Segment s) => new(
        s.Key, s.Name, s.Description, s.Condition, ConditionJsonOf(Membership.SegmentMembership.Read(s.Condition)), s.MemberCount, s.Version,
        s.EvaluatedAt, s.CreatedBy, s.CreatedAt, s.UpdatedAt);

    public static JsonElement ConditionJsonOf(Condition condition)
    {
        using var document = JsonDocument.Parse(SegmentJson.Write(condition));
        return document.RootElement.Clone();
    }
}

/// <summary>What a preview answers: how many customers meet the condition now, the first few, and the condition as understood.</summary>
public sealed record SegmentPreview(long Count, IReadOnlyList<string> Sample, string Condition, JsonElement ConditionJson, double ElapsedMs);

public sealed record SegmentMemberView(string CustomerId, DateTimeOffset Since);

public sealed record SegmentChangeView(string CustomerId, string Change, DateTimeOffset At);

/// <summary>The segment's size at the end of each local day, with the entries and exits of that day.</summary>
public sealed record SegmentDay(DateOnly Date, int Entered, int Exited, long Size);

public sealed record SegmentHistory(IReadOnlyList<SegmentDay> Days, IReadOnlyList<SegmentChangeView> Recent);

public sealed record CompositionShare(string? Value, long Customers);

/// <summary>Who the members are, by lifecycle stage, RFM group, acquisition channel and city (the ten largest of each).</summary>
public sealed record SegmentComposition(
    long Members, IReadOnlyList<CompositionShare> Lifecycle, IReadOnlyList<CompositionShare> RfmGroup,
    IReadOnlyList<CompositionShare> Channel, IReadOnlyList<CompositionShare> City);

public sealed record CustomerSegmentView(string Key, string Name, DateTimeOffset Since);

public sealed record CustomerSegments(string CustomerId, IReadOnlyList<CustomerSegmentView> Segments, IReadOnlyList<CustomerSegmentChange> Recent);

public sealed record CustomerSegmentChange(string Key, string Change, DateTimeOffset At);

/// <summary>The outcome of a request that may be refused.</summary>
public sealed record SegmentOutcome<T>(T? Value, SegmentRefusal? Refusal)
{
    public static implicit operator SegmentOutcome<T>(T value) => new(value, null);

    public static implicit operator SegmentOutcome<T>(SegmentRefusal refusal) => new(default, refusal);
}
