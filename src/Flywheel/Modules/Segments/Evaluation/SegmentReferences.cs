using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Segments.Evaluation;

/// <summary>The workspace's tags (by exact name, as <c>has tag</c> matches them) and segments (by key), resolved to ids.</summary>
internal sealed class SegmentReferences(IReadOnlyDictionary<string, string> tags, IReadOnlyDictionary<string, string> segments)
{
    public string? TagId(string name) => tags.GetValueOrDefault(name);

    public string? SegmentId(string key) => segments.GetValueOrDefault(key);

    public static async Task<SegmentReferences> LoadAsync(FlywheelDb db, string workspaceId, CancellationToken ct)
    {
        var tags = await db.Tags.AsNoTracking().Where(t => t.WorkspaceId == workspaceId)
            .ToDictionaryAsync(t => t.Name, t => t.Id, StringComparer.Ordinal, ct);
        var segments = await db.Segments.AsNoTracking().Where(s => s.WorkspaceId == workspaceId)
            .ToDictionaryAsync(s => s.Key, s => s.Id, StringComparer.Ordinal, ct);
        return new SegmentReferences(tags, segments);
    }
}
