using System.Security.Claims;
using Flywheel.Modules.Customers.Model;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>
/// POST /api/v1/tags {name, kind, description, owner, condition}: adds a tag to the catalogue. The kind is manual
/// unless given; a rule tag needs a condition in the segment language, stored as its canonical text.
/// </summary>
public static class CreateTag
{
    public sealed record NewTag(string? Name, string? Kind = null, string? Description = null, string? Owner = null, string? Condition = null);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/tags", PostAsync).RequireAuthorization(Scopes.CustomersWrite).WithIdempotency()
            .WithName("CreateTag").WithSummary("Add a tag to the catalogue");

    public static async Task<Results<Created<TagView>, ValidationProblem, ProblemHttpResult>> PostAsync(
        HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "name", "kind", "description", "owner", "condition");
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var j = new JsonInput(document.RootElement, errors);
        var tag = new NewTag(j.Text("name"), j.Text("kind"), j.Text("description"), j.Text("owner"), j.Text("condition"));
        return errors.Any ? Problems.Validation(errors.ToDictionary()) : await HandleAsync(tag, caller, db, clock, ct);
    }

    public static async Task<Results<Created<TagView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        NewTag input, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = TagRules.Name(input.Name, errors);
        var kind = TagKind.Manual;
        if (input.Kind is not null && !TagKinds.TryParse(input.Kind.Trim(), out kind))
        {
            errors.Add("kind", $"must be {TagKinds.Expected}.");
        }
        var description = TagRules.Description(input.Description, errors);
        var owner = TagRules.Owner(input.Owner, errors);
        var condition = errors.Has("kind") ? null : TagRules.Condition(kind, input.Condition, errors);
        if (errors.Any)
        {
            return TagRules.Invalid(errors, condition);
        }
        var workspaceId = caller.WorkspaceId();
        if (await TagRules.ClashAsync(db, workspaceId, name!, null, ct) is { } existing)
        {
            return TagRules.NameTaken(name!, existing);
        }
        if (condition is not null && await TagRules.CycleAsync(db, workspaceId, null, name!, condition.Tags, ct) is { } chain)
        {
            return Problems.Validation("condition", TagRules.CycleMessage(chain));
        }
        var now = clock.GetUtcNow();
        var tag = new Tag
        {
            Id = Ids.New("tag"),
            WorkspaceId = workspaceId,
            Name = name!,
            Kind = kind,
            Description = description,
            Owner = owner,
            Condition = condition?.Canonical,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Tags.Add(tag);
        db.Record(caller, now, "created", "tag", tag.Name, after: TagAuditView.From(tag));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique index on (workspace, name): created meanwhile by another request.
            db.ChangeTracker.Clear();
            return TagRules.NameTaken(tag.Name, tag.Name);
        }
        return TypedResults.Created(TagRules.Path(tag.Name), TagView.From(tag, 0));
    }
}
