using System.Security.Claims;
using Flywheel.Modules.Customers.Model;
using Flywheel.Modules.Segments.Contracts;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>
/// PATCH /api/v1/tags/{name} {name, description, owner, condition}: changes the fields given and leaves the others;
/// null clears a description or owner. Renaming keeps the tag's customers. The kind cannot change, and only a rule tag
/// has a condition. A tag that a rule tag's condition names keeps its name, so that the condition keeps its meaning.
/// </summary>
public static class UpdateTag
{
    /// <summary>Each field null to leave it as it is; "" clears a description or an owner.</summary>
    public sealed record TagChanges(string? Name = null, string? Description = null, string? Owner = null, string? Condition = null, string? Kind = null);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPatch("/tags/{name}", PatchAsync).RequireAuthorization(Scopes.CustomersWrite)
            .WithName("UpdateTag").WithSummary("Change a tag's name, description, owner or condition");

    public static async Task<Results<Ok<TagView>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        string name, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "name", "kind", "description", "owner", "condition");
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var body = document.RootElement;
        var changes = new TagChanges(
            JsonInput.Change(body, "name", errors), JsonInput.Change(body, "description", errors), JsonInput.Change(body, "owner", errors),
            JsonInput.Change(body, "condition", errors), JsonInput.Change(body, "kind", errors));
        return errors.Any ? Problems.Validation(errors.ToDictionary()) : await HandleAsync(TagRules.FromRoute(name), changes, caller, db, clock, ct);
    }

    public static async Task<Results<Ok<TagView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string name, TagChanges changes, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var tag = await TagRules.FindAsync(db, workspaceId, name, ct);
        if (tag is null)
        {
            return TagRules.NotFound(name);
        }
        var errors = new FieldErrors();
        if (changes.Kind is { } kind && kind != TagKinds.Name(tag.Kind))
        {
            errors.Add("kind", $"cannot change: '{tag.Name}' is a {TagKinds.Name(tag.Kind)} tag. Create a new tag of the kind you need instead.");
        }
        var newName = changes.Name is null ? tag.Name : TagRules.Name(changes.Name, errors);
        var description = changes.Description is null ? tag.Description : TagRules.Description(changes.Description, errors);
        var owner = changes.Owner is null ? tag.Owner : TagRules.Owner(changes.Owner, errors);
        var condition = changes.Condition is null ? null : TagRules.Condition(tag.Kind, changes.Condition, errors);
        if (errors.Any)
        {
            return TagRules.Invalid(errors, condition);
        }
        var renamed = newName != tag.Name;
        if (renamed)
        {
            if (await TagRules.ClashAsync(db, workspaceId, newName!, tag.Id, ct) is { } existing)
            {
                return TagRules.NameTaken(newName!, existing);
            }
            if (await TagRules.RuleTagsNamingAsync(db, workspaceId, tag.Name, tag.Id, ct) is { Count: > 0 } naming)
            {
                return TagRules.StillNamed(tag.Name, naming, "rename");
            }
        }
        if (tag.Kind == TagKind.Rule && (renamed || condition is not null))
        {
            var named = condition?.Tags ?? SegmentConditions.Check(tag.Condition ?? "").Tags;
            if (await TagRules.CycleAsync(db, workspaceId, tag.Id, newName!, named, ct) is { } chain)
            {
                return Problems.Validation("condition", TagRules.CycleMessage(chain));
            }
        }
        var before = TagAuditView.From(tag);
        tag.Name = newName!;
        tag.Description = description;
        tag.Owner = owner;
        tag.Condition = condition?.Canonical ?? tag.Condition;
        var after = TagAuditView.From(tag);
        if (after != before)
        {
            var now = clock.GetUtcNow();
            tag.UpdatedAt = now;
            db.Record(caller, now, "updated", "tag", tag.Name, before, after);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (renamed)
            {
                // The unique index on (workspace, name): another tag took the name meanwhile.
                db.ChangeTracker.Clear();
                return TagRules.NameTaken(tag.Name, tag.Name);
            }
        }
        return TypedResults.Ok(TagView.From(tag, await TagMembership.CountAsync(db, tag.Id, ct)));
    }
}
