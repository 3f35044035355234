using System.Security.Claims;
using Flywheel.Modules.Workspaces.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Workspaces.Access;

/// <summary>API keys: list, create (the plain key is returned once), revoke.</summary>
public static class Keys
{
    public sealed record KeyView(string Id, string Kind, string Name, string Prefix, IReadOnlyList<string> Scopes,
        DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    public sealed record CreatedKey(KeyView Key, string Secret);

    public sealed record CreateKeyRequest(string? Kind, string? Name, IReadOnlyList<string>? Scopes);

    public static void Map(RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("Access").RequireAuthorization(Scopes.Admin);
        keys.MapGet("/", ListAsync).WithSummary("API keys of the workspace");
        keys.MapPost("/", CreateAsync).WithSummary("Create a key; its secret is shown only in this answer");
        keys.MapDelete("/{id}", RevokeAsync).WithSummary("Revoke a key");
    }

    public static async Task<Ok<List<KeyView>>> ListAsync(ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var ws = caller.WorkspaceId();
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.WorkspaceId == ws).ToListAsync(ct);
        return TypedResults.Ok(keys.OrderBy(k => k.CreatedAt).Select(View).ToList());
    }

    public static async Task<Results<Created<CreatedKey>, ValidationProblem>> CreateAsync(
        CreateKeyRequest request, ClaimsPrincipal caller, FlywheelDb db, ApiKeys apiKeys, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        ApiKeyKind kind = default;
        if (request.Kind is not ("public" or "secret"))
        {
            errors.Add("kind", "must be 'public' (ingestion only, safe in a browser) or 'secret'.");
        }
        else
        {
            kind = request.Kind == "public" ? ApiKeyKind.Public : ApiKeyKind.Secret;
        }
        var scopes = request.Scopes ?? [];
        if (kind == ApiKeyKind.Secret && scopes.Count == 0)
        {
            errors.Add("scopes", $"a secret key needs at least one scope: {string.Join(", ", Scopes.All)}.");
        }
        foreach (var unknown in scopes.Where(s => !Scopes.IsKnown(s)))
        {
            errors.Add("scopes", $"'{unknown}' is not a scope; known scopes: {string.Join(", ", Scopes.All)}.");
        }
        if (kind == ApiKeyKind.Public && scopes.Any(s => s != Scopes.EventsWrite))
        {
            errors.Add("scopes", "a public key can only write events.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var plain = ApiKeys.NewKey(kind);
        var key = apiKeys.Create(caller.WorkspaceId(), kind, request.Name?.Trim() ?? "", scopes, plain);
        db.ApiKeys.Add(key);
        var view = View(key);
        db.Record(caller, clock.GetUtcNow(), "created", "api_key", key.Id, after: view);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/keys/{key.Id}", new CreatedKey(view, plain));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string id, ClaimsPrincipal caller, FlywheelDb db, ApiKeys apiKeys, TimeProvider clock, CancellationToken ct)
    {
        var ws = caller.WorkspaceId();
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.WorkspaceId == ws, ct);
        if (key is null)
        {
            return Problems.NotFound($"No key '{id}' in this workspace.");
        }
        if (key.RevokedAt is null)
        {
            var before = View(key);
            key.RevokedAt = clock.GetUtcNow();
            db.Record(caller, key.RevokedAt.Value, "revoked", "api_key", key.Id, before, View(key));
            await db.SaveChangesAsync(ct);
            apiKeys.Forget();
        }
        return TypedResults.NoContent();
    }

    private static KeyView View(ApiKey k) => new(k.Id, k.Kind == ApiKeyKind.Public ? "public" : "secret", k.Name, k.Prefix,
        k.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), k.CreatedAt, k.RevokedAt);
}
