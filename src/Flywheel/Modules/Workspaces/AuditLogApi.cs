using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Workspaces;

/// <summary>GET /api/v1/audit: the workspace's audit log, newest first, filterable by entity.</summary>
public static class AuditLogApi
{
    public sealed record EntryView(long Id, string Actor, string Action, string EntityType, string EntityId,
        JsonElement? Before, JsonElement? After, DateTimeOffset At);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/audit", ListAsync).WithTags("Workspace").RequireAuthorization(Scopes.Admin).WithSummary("The audit log, newest first");

    public static async Task<Results<Ok<Page<EntryView>>, ValidationProblem>> ListAsync(
        string? cursor, int? limit, [FromQuery(Name = "entity_type")] string? entityType,
        [FromQuery(Name = "entity_id")] string? entityId, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        if (Cursor.CheckPaging(limit, cursor, out var take, out long? before) is { } problem)
        {
            return problem;
        }
        var ws = caller.WorkspaceId();
        var query = db.AuditLog.AsNoTracking().Where(a => a.WorkspaceId == ws);
        if (before is not null)
        {
            query = query.Where(a => a.Id < before);
        }
        if (entityType is not null)
        {
            query = query.Where(a => a.EntityType == entityType);
        }
        if (entityId is not null)
        {
            query = query.Where(a => a.EntityId == entityId);
        }
        var rows = await query.OrderByDescending(a => a.Id).Take(take + 1).ToListAsync(ct);
        var page = Cursor.PageOf(rows, take, a => a.Id.ToString(CultureInfo.InvariantCulture));
        return TypedResults.Ok(new Page<EntryView>(
            page.Items.Select(a => new EntryView(a.Id, a.Actor, a.Action, a.EntityType, a.EntityId, Parse(a.Before), Parse(a.After), a.At)).ToList(),
            page.NextCursor));
    }

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
