using Microsoft.EntityFrameworkCore;

namespace Flywheel.Platform.State;

/// <summary>The settings of a workspace that reading input depends on: its currency and its time zone.</summary>
public sealed record WorkspaceSettings(string Id, string Currency, TimeZoneInfo Zone)
{
    public static async Task<WorkspaceSettings> LoadAsync(FlywheelDb db, string workspaceId, CancellationToken ct)
    {
        var ws = await db.Workspaces.AsNoTracking()
            .Where(w => w.Id == workspaceId)
            .Select(w => new { w.Currency, w.TimeZone })
            .FirstOrDefaultAsync(ct) ?? throw new InvalidOperationException($"Workspace {workspaceId} does not exist.");
        return new WorkspaceSettings(workspaceId, ws.Currency, Instants.Zone(ws.TimeZone));
    }
}
