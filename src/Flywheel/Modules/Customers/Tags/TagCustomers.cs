using System.Security.Claims;
using Flywheel.Modules.Customers.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>
/// POST /api/v1/tags/{name}/customers {"customer_ids": [...]} puts the tag on customers; DELETE with the same body
/// takes it off. Both are idempotent (tagging twice keeps the first time), refuse the whole request when an id is not a
/// customer of the workspace, and refuse rule tags, whose customers are the ones their condition selects.
/// </summary>
public static class TagCustomers
{
    /// <summary>Ids in one request; more go through the CSV import.</summary>
    public const int MaxIdsPerRequest = 10_000;

    /// <summary>What a change did: customers newly tagged or untagged, those already so, and the tag's members after it.</summary>
    public sealed record MembersChanged(string Tag, int Added, int Removed, int Unchanged, int Members);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/tags/{name}/customers", PostAsync).RequireAuthorization(Scopes.CustomersWrite).WithIdempotency()
            .WithName("TagCustomers").WithSummary("Put a tag on customers");
        group.MapDelete("/tags/{name}/customers", DeleteAsync).RequireAuthorization(Scopes.CustomersWrite)
            .WithName("UntagCustomers").WithSummary("Take a tag off customers");
    }

    public static async Task<Results<Ok<MembersChanged>, ValidationProblem, ProblemHttpResult>> PostAsync(
        string name, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var ids = await TagBodies.ReadCustomerIdsAsync(request, errors, ct);
        return ids is null
            ? Problems.Validation(errors.ToDictionary())
            : await AddAsync(TagRules.FromRoute(name), ids, TagSources.Api, caller, db, clock, ct);
    }

    public static async Task<Results<Ok<MembersChanged>, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string name, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var ids = await TagBodies.ReadCustomerIdsAsync(request, errors, ct);
        return ids is null
            ? Problems.Validation(errors.ToDictionary())
            : await RemoveAsync(TagRules.FromRoute(name), ids, caller, db, clock, ct);
    }

    /// <summary>Tags the customers; <c>source</c> says how (<see cref="TagSources.Api"/> or <see cref="TagSources.Console"/>).</summary>
    public static Task<Results<Ok<MembersChanged>, ValidationProblem, ProblemHttpResult>> AddAsync(
        string name, IReadOnlyList<string> customerIds, string source, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(name, customerIds, caller, db, clock, "tagged", async (tag, ids, now) =>
        {
            var added = await TagMembership.AddAsync(db, tag, ids, source, now, ct);
            return (added, []);
        }, ct);

    public static Task<Results<Ok<MembersChanged>, ValidationProblem, ProblemHttpResult>> RemoveAsync(
        string name, IReadOnlyList<string> customerIds, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(name, customerIds, caller, db, clock, "untagged", async (tag, ids, _) =>
        {
            var removed = await TagMembership.RemoveAsync(db, tag, ids, ct);
            return ([], removed);
        }, ct);

    private static async Task<Results<Ok<MembersChanged>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        string name, IReadOnlyList<string> customerIds, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock,
        string action, Func<Tag, List<string>, DateTimeOffset, Task<(List<string> Added, List<string> Removed)>> change, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var ids = TagMembership.CheckIds(customerIds, MaxIdsPerRequest, errors);
        if (ids is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        var tag = await TagRules.FindAsync(db, workspaceId, name, ct);
        if (tag is null)
        {
            return TagRules.NotFound(name);
        }
        if (tag.Kind == TagKind.Rule)
        {
            return RuleTagRefused(tag.Name);
        }
        if (await TagMembership.UnknownCustomersAsync(db, workspaceId, ids, ct) is { Count: > 0 } unknown)
        {
            return TagMembership.UnknownCustomers(unknown);
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var now = clock.GetUtcNow();
                var (added, removed) = await TagMembership.InTransactionAsync(db, async () =>
                {
                    var result = await change(tag, ids, now);
                    if (result.Added.Count + result.Removed.Count > 0)
                    {
                        db.Record(caller, now, action, "tag", tag.Name, after: new { customer_ids = action == "tagged" ? result.Added : result.Removed });
                        await db.SaveChangesAsync(ct);
                    }
                    return result;
                }, ct);
                var members = await TagMembership.CountAsync(db, tag.Id, ct);
                return TypedResults.Ok(new MembersChanged(tag.Name, added.Count, removed.Count, ids.Count - added.Count - removed.Count, members));
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                // Another request tagged some of these customers meanwhile: run again, which now skips them.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>409: a rule tag's customers follow its condition, so no one puts it on or takes it off by hand.</summary>
    public static ProblemHttpResult RuleTagRefused(string name) => Problems.Conflict(
        $"'{name}' is a rule tag: the customers its condition selects carry it, and no one else. " +
        "Change the condition instead, or use a manual tag.");
}
