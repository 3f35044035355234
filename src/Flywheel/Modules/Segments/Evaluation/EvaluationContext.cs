using Flywheel.Platform;

namespace Flywheel.Modules.Segments.Evaluation;

/// <summary>What a condition is evaluated against: a workspace, its currency and time zone, and the moment of evaluation.</summary>
public sealed record EvaluationContext(string WorkspaceId, string Currency, TimeZoneInfo Zone, DateTimeOffset Now, bool Postgres)
{
    /// <summary>The UTC instant the local day <paramref name="date"/> begins in the workspace.</summary>
    public DateTime StartOf(DateOnly date) => LocalDays.StartUtc(date, Zone);

    /// <summary>The instant N × 24 hours before now (<c>N days ago</c>, and the start of <c>in last N days</c>).</summary>
    public DateTime DaysAgo(int days) => Now.UtcDateTime.AddDays(-days);
}
