using System.Security.Claims;
using Flywheel.Modules.Marketing.Contracts;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Modules.Marketing;

/// <summary>
/// GET and PUT /api/v1/marketing/settings: the workspace's gross margin (gross profit / revenue), which ROI on the
/// dashboard and in attribution uses unless a request names its own. Null clears it, and ROI is then unknown.
/// </summary>
public static class MarketingSettingsApi
{
    public sealed record SettingsView(decimal? GrossMargin);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/marketing/settings", GetAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetMarketingSettings").WithSummary("The gross margin ROI is computed with");
        group.MapPut("/marketing/settings", PutAsync).RequireAuthorization(Scopes.MarketingWrite)
            .WithName("PutMarketingSettings").WithSummary("Set or clear the gross margin ROI is computed with");
    }

    public static async Task<Ok<SettingsView>> GetAsync(ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct) =>
        TypedResults.Ok(new SettingsView(await SpendQueries.GrossMarginAsync(db, caller.WorkspaceId(), ct)));

    public static async Task<Results<Ok<SettingsView>, ValidationProblem>> PutAsync(
        HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(request, errors, ct, "gross_margin");
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var margin = new JsonInput(document.RootElement, errors).Number("gross_margin");
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        return await SetAsync(margin, caller, db, clock, ct);
    }

    /// <summary>Sets or (with null) clears the margin, audited; a margin outside (0, 1] is refused.</summary>
    public static async Task<Results<Ok<SettingsView>, ValidationProblem>> SetAsync(
        decimal? margin, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        if (margin is not null && GrossMargin.Check(margin.Value) is { } problem)
        {
            return Problems.Validation("gross_margin", problem);
        }
        var workspaceId = caller.WorkspaceId();
        var now = clock.GetUtcNow();
        var before = await SpendQueries.GrossMarginAsync(db, workspaceId, ct);
        await SpendWrites.SetGrossMarginAsync(db, workspaceId, margin, now, ct);
        db.Record(caller, now, "updated", "marketing_settings", workspaceId, before: new SettingsView(before), after: new SettingsView(margin));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new SettingsView(margin));
    }
}
