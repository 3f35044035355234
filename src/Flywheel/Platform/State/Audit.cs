using System.Security.Claims;
using System.Text.Json;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Modules.Workspaces.Model;

namespace Flywheel.Platform.State;

/// <summary>Records operator changes in the audit log, in the same unit of work as the change itself.</summary>
public static class Audit
{
    public static void Record(
        this FlywheelDb db, ClaimsPrincipal caller, DateTimeOffset at, string action, string entityType, string entityId,
        object? before = null, object? after = null) =>
        db.Record(caller.WorkspaceId(), caller.Actor(), at, action, entityType, entityId, before, after);

    public static void Record(
        this FlywheelDb db, string workspaceId, string actor, DateTimeOffset at, string action, string entityType, string entityId,
        object? before = null, object? after = null) =>
        db.AuditLog.Add(new AuditEntry
        {
            WorkspaceId = workspaceId,
            Actor = actor,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Before = before is null ? null : JsonSerializer.Serialize(before, before.GetType(), ApiJson.Options),
            After = after is null ? null : JsonSerializer.Serialize(after, after.GetType(), ApiJson.Options),
            At = at,
        });
}
