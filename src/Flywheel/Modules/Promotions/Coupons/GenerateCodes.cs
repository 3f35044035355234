using System.Security.Claims;
using Flywheel.Modules.Promotions.Holds;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Coupons;

/// <summary>
/// POST /api/v1/coupon-templates/{id}/codes {count, prefix}: issues up to 10,000 unclaimed codes at once, to be handed
/// out (printed, sent, given to a partner). They count against the template's total limit, taken in the same
/// transaction as the codes are stored, so two generations can never issue more than the limit between them.
/// </summary>
public static class GenerateCodes
{
    public const int MaxCount = 10_000;

    public sealed record GeneratedCodes(string TemplateId, IReadOnlyList<string> Codes);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/coupon-templates/{id}/codes", PostAsync).RequireAuthorization(Scopes.PromotionsWrite).WithIdempotency()
            .WithName("GenerateCouponCodes").WithSummary("Generate unguessable, unique coupon codes in bulk");

    public static async Task<IResult> PostAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, HoldLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "count", "prefix");
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var j = new JsonInput(document.RootElement, errors);
        var count = j.WholeNumber("count");
        var prefix = j.Text("prefix");
        return errors.Any ? Problems.Validation(errors.ToDictionary()) : await HandleAsync(id, count, prefix, caller, db, ledger, clock, ct);
    }

    public static async Task<IResult> HandleAsync(
        string id, int? count, string? prefix, ClaimsPrincipal caller, FlywheelDb db, HoldLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        if (count is null or < 1 or > MaxCount)
        {
            return Problems.Validation("count", $"must be a whole number from 1 to {MaxCount}.");
        }
        if (prefix is not null && !CouponCodes.IsValidPrefix(prefix))
        {
            return Problems.Validation("prefix",
                $"must be 1 to {CouponCodes.MaxPrefixLength} characters of {CouponCodes.Alphabet} (no 0, O, 1, I or L, which read alike).");
        }
        var workspaceId = caller.WorkspaceId();
        var template = await CouponTemplatesApi.FindAsync(db, workspaceId, id, ct);
        if (template is null)
        {
            return CouponTemplatesApi.NotFound(id);
        }
        if (template.Status == TemplateStatus.Ended)
        {
            return Problems.Conflict($"Coupon template {id} has ended: no more codes are issued.");
        }
        var now = clock.GetUtcNow();
        var codes = await FreshCodesAsync(db, workspaceId, prefix, count.Value, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var refused = await ledger.SpendAsync(db, workspaceId, [new HoldRequest(ResourceKeys.Issued(id), count.Value, template.TotalLimit ?? ResourceKeys.Unlimited)], ct);
        if (refused is not null)
        {
            await tx.RollbackAsync(ct);
            return Problems.Conflict($"Coupon template {id} may issue {template.TotalLimit} coupons in total; {count} more would exceed it.");
        }
        db.Coupons.AddRange(codes.Select(code => new IssuedCoupon
        {
            Id = Ids.New("cpn"),
            WorkspaceId = workspaceId,
            TemplateId = id,
            Code = code,
            ValidFrom = template.ValidFrom,
            ValidUntil = template.ValidUntil,
            CreatedAt = now,
        }));
        db.Record(caller, now, "generated_codes", "coupon_template", id, after: new { count, prefix });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new GeneratedCodes(id, codes));
    }

    /// <summary>
    /// Draws codes until <paramref name="count"/> distinct ones are found that no coupon of the workspace has. The unique
    /// index on (workspace, code) still guards the insert against a code drawn meanwhile by another request.
    /// </summary>
    private static async Task<List<string>> FreshCodesAsync(FlywheelDb db, string workspaceId, string? prefix, int count, CancellationToken ct)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < count)
        {
            var drawn = Enumerable.Range(0, count - codes.Count).Select(_ => CouponCodes.New(prefix)).Where(c => !codes.Contains(c)).Distinct().ToList();
            var taken = await db.Coupons.AsNoTracking().Where(c => c.WorkspaceId == workspaceId && drawn.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct);
            codes.UnionWith(drawn.Except(taken));
        }
        return codes.ToList();
    }
}
