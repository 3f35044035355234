using System.Security.Claims;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Traits;

/// <summary>
/// GET /api/v1/lifecycle?months=6: how many customers are in each lifecycle stage at the start of each of the last
/// <c>months</c> months (local months of the workspace time zone) and now, and how they moved from one to the next.
/// </summary>
public static class GetLifecycleOverview
{
    public const int MaxMonths = 24;

    public sealed record LifecycleOverviewView(
        string TimeZone, IReadOnlyList<string> Stages, IReadOnlyList<StageCounts> Points, IReadOnlyList<StageFlow> Flows);

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/lifecycle", HandleAsync).RequireAuthorization(Scopes.CustomersRead)
            .WithName("GetLifecycleOverview").WithSummary("Customers by lifecycle stage at each month start and now, with the flows between");

    public static async Task<Results<Ok<LifecycleOverviewView>, ValidationProblem>> HandleAsync(
        string? months, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var count = Fields.WholeNumber(months, "months", 6, 1, MaxMonths, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        return TypedResults.Ok(await LoadAsync(db, caller.WorkspaceId(), count, clock.GetUtcNow(), ct));
    }

    public static async Task<LifecycleOverviewView> LoadAsync(FlywheelDb db, string workspaceId, int months, DateTimeOffset now, CancellationToken ct)
    {
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var paid = await OrderQueries.PaidPerCustomerUntilAsync(db, workspaceId, settings.Currency, now, ct);
        var customers = await db.Customers.AsNoTracking().Where(c => c.WorkspaceId == workspaceId)
            .Select(c => new { c.ExternalId, c.RegisteredAt, c.FirstSeenAt, c.CreatedAt })
            .ToListAsync(ct);
        var histories = customers.Select(c =>
        {
            List<DateTimeOffset> times = paid.TryGetValue(c.ExternalId, out var t) ? [.. t.Select(o => o.PaidAt)] : [];
            var known = new[] { c.RegisteredAt, c.FirstSeenAt, (DateTimeOffset?)c.CreatedAt }.Where(d => d is not null).Min()!.Value;
            return new LifecycleHistory(known, times);
        });
        var moments = MonthStarts(now, months, settings.Zone).Append(now).ToList();
        var (points, flows) = LifecycleFlows.Of(histories, moments, LifecycleOptions.Default);
        return new LifecycleOverviewView(settings.Zone.Id, [.. Enum.GetValues<LifecycleStage>().Select(Lifecycle.Name)], points, flows);
    }

    /// <summary>The starts (local midnight of the 1st) of the <paramref name="months"/> months before now's, oldest first, then now's.</summary>
    private static IEnumerable<DateTimeOffset> MonthStarts(DateTimeOffset now, int months, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var first = new DateOnly(today.Year, today.Month, 1);
        for (var m = months - 1; m >= 0; m--)
        {
            var local = first.AddMonths(-m).ToDateTime(TimeOnly.MinValue);
            yield return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
    }
}
