using System.Security.Claims;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Management;

/// <summary>Something operators switch on and off through <see cref="PromotionStatus"/>: a promotion, a group buy, a bargain campaign.</summary>
public interface IManagedOffer
{
    string Id { get; }
    string WorkspaceId { get; }
    string Status { get; set; }
    DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Raised by every replace; the row's concurrency token, so that of two replaces at once the second fails.</summary>
    int Version { get; set; }
}

/// <summary>
/// The handlers every managed offer shares: POST …/{id}/status (draft, active and paused move freely among
/// themselves; ended is final) and the replace of its terms (an ended one is not changed). Each change is audited in
/// the same save.
/// </summary>
/// <param name="Entity">The audit log's entity type ("promotion", "group_buy", …).</param>
/// <param name="Noun">What it is called in messages ("Group buy").</param>
/// <param name="NotFound">The 404 for an id not in the workspace.</param>
/// <param name="Ended">The 409 for an ended one asked to change.</param>
/// <param name="Audited">The audit log's record of the offer, before and after.</param>
public sealed record ManagedOffers<T>(string Entity, string Noun, Func<string, IResult> NotFound, Func<string, IResult> Ended, Func<T, object> Audited)
    where T : class, IManagedOffer
{
    /// <summary>
    /// Replaces the offer's terms with what <paramref name="read"/> makes of the body (a 400 naming each field it
    /// refuses), through <paramref name="apply"/>, and answers with <paramref name="view"/> of the offer as it now is.
    /// </summary>
    public async Task<IResult> ReplaceAsync<TInput>(
        string id, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, Func<WorkspaceSettings, FieldErrors, TInput?> read,
        Action<T, TInput, DateTimeOffset> apply, Func<T, WorkspaceSettings, Task<IResult>> view, CancellationToken ct)
        where TInput : class
    {
        var workspaceId = caller.WorkspaceId();
        var offer = await db.Set<T>().FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId && x.Id == id, ct);
        if (offer is null)
        {
            return NotFound(id);
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var errors = new FieldErrors();
        if (read(settings, errors) is not { } input)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (offer.Status == PromotionStatus.Ended)
        {
            return Ended(id);
        }
        var before = Audited(offer);
        var now = clock.GetUtcNow();
        apply(offer, input, now);
        offer.Version++;
        db.Record(caller, now, "updated", Entity, offer.Id, before, Audited(offer));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict($"{Noun} {id} was changed by someone else meanwhile; reload it and make the change again.");
        }
        return await view(offer, settings);
    }

    /// <summary>Reads <c>{status}</c> from the body, then <see cref="SetAsync"/>.</summary>
    public async Task<IResult> FromBodyAsync(
        string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, Func<T, Task<IResult>> view, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "status");
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var status = new JsonInput(document.RootElement, errors).Text("status");
        return errors.Any ? Problems.Validation(errors.ToDictionary()) : await SetAsync(id, status, caller, db, clock, view, ct);
    }

    /// <summary>Changes the status and answers with <paramref name="view"/> of the offer as it now is.</summary>
    public async Task<IResult> SetAsync(
        string id, string? status, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, Func<T, Task<IResult>> view, CancellationToken ct)
    {
        if (status is null || !PromotionStatus.All.Contains(status))
        {
            return Problems.Validation("status", $"must be one of {string.Join(", ", PromotionStatus.All)}.");
        }
        var workspaceId = caller.WorkspaceId();
        var offer = await db.Set<T>().FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId && x.Id == id, ct);
        if (offer is null)
        {
            return NotFound(id);
        }
        if (offer.Status == PromotionStatus.Ended && status != PromotionStatus.Ended)
        {
            return Ended(id);
        }
        var before = Audited(offer);
        var now = clock.GetUtcNow();
        offer.Status = status;
        offer.UpdatedAt = now;
        db.Record(caller, now, "status_changed", Entity, offer.Id, before, Audited(offer));
        // Counted for every kind of offer: checkout reloads the live promotions once more than needed for the others.
        await PromotionChanges.SaveAsync(db, workspaceId, ct);
        return await view(offer);
    }
}
