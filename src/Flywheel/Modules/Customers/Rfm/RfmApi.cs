using System.Security.Claims;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Rfm;

/// <summary>
/// GET /api/v1/rfm: the last scoring — when, how many customers in each group, and the R × F grid of counts.
/// POST /api/v1/rfm/score: scores the workspace now (it is also scored daily) and answers the same.
/// </summary>
public static class RfmApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/rfm", GetAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("GetRfm").WithSummary("RFM groups and the R × F grid of the last scoring");
        group.MapPost("/rfm/score", ScoreAsync).RequireAuthorization(Scopes.CustomersWrite)
            .WithName("ScoreRfm").WithSummary("Score RFM now");
    }

    /// <summary><see cref="Grid"/>[r − 1][f − 1] is the number of customers with that R and F score.</summary>
    public sealed record RfmView(DateTimeOffset? ScoredAt, int Customers, IReadOnlyDictionary<string, int> Groups, int[][] Grid);

    public static async Task<RfmView> GetAsync(ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct) =>
        await ViewAsync(db, caller.WorkspaceId(), ct);

    public static async Task<RfmView> ScoreAsync(ClaimsPrincipal caller, RfmScoringRun scoring, FlywheelDb db, CancellationToken ct)
    {
        await scoring.ScoreAsync(caller.WorkspaceId(), ct);
        return await ViewAsync(db, caller.WorkspaceId(), ct);
    }

    private static async Task<RfmView> ViewAsync(FlywheelDb db, string workspaceId, CancellationToken ct)
    {
        var summary = await RfmScoringRun.LastAsync(db, workspaceId, ct);
        var cells = await db.RfmScores.AsNoTracking().Where(s => s.WorkspaceId == workspaceId)
            .GroupBy(s => new { s.R, s.F }).Select(g => new { g.Key.R, g.Key.F, Count = g.Count() }).ToListAsync(ct);
        var grid = Enumerable.Range(0, 5).Select(_ => new int[5]).ToArray();
        foreach (var c in cells)
        {
            grid[c.R - 1][c.F - 1] = c.Count;
        }
        return new RfmView(summary.ScoredAt, summary.Customers, summary.Groups, grid);
    }
}
