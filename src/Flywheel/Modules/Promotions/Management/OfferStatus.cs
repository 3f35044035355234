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
}

/// <summary>
/// POST …/{id}/status for every managed offer: draft, active and paused move freely among themselves; ended is final.
/// Each change is audited as "status_changed" in the same save.
/// </summary>
/// <param name="Entity">The audit log's entity type ("promotion", "group_buy", …).</param>
/// <param name="NotFound">The 404 for an id not in the workspace.</param>
/// <param name="Ended">The 409 for an ended one asked to change.</param>
/// <param name="Audited">The audit log's record of the offer, before and after.</param>
public sealed record OfferStatus<T>(string Entity, Func<string, IResult> NotFound, Func<string, IResult> Ended, Func<T, object> Audited)
    where T : class, IManagedOffer
{
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
        await db.SaveChangesAsync(ct);
        return await view(offer);
    }
}
