using System.Security.Claims;
using System.Text.Json;
using Flywheel.Modules.Orders.Contracts;
using Flywheel.Modules.Promotions.Definitions;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Promotions.Simulation;

/// <summary>
/// POST /api/v1/promotions/{id}/simulation {from, to, compare_with}: the promotion (any status, a draft as much as a
/// live one) priced over the paid orders of a period of local dates. Changes nothing. Rules: docs/promotions.md, "Simulation".
/// </summary>
public static class SimulationApi
{
    public const int MaxDays = 366;
    public const int MaxOrders = 100_000;
    public static readonly string[] Fields = ["from", "to", "compare_with"];

    /// <summary>Against the other promotions live now, or against no promotion at all.</summary>
    public const string CompareWithLive = "live";
    public const string CompareWithNothing = "nothing";

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/promotions/{id}/simulation", PostAsync).RequireAuthorization(Scopes.PromotionsRead)
            .WithName("SimulatePromotion").WithSummary("Price a promotion over the paid orders of a period; changes nothing");

    public static Task<IResult> PostAsync(string id, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct) =>
        JsonInput.WithKnownObjectAsync(request, Fields, body => SimulateAsync(id, body, caller, db, ct), ct);

    public static async Task<IResult> SimulateAsync(string id, JsonElement body, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var stored = await db.Promotions.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.Id == id, ct);
        if (stored is null)
        {
            return Problems.NotFound($"There is no promotion '{id}' in this workspace.");
        }
        var errors = new FieldErrors();
        var j = new JsonInput(body, errors);
        var from = Platform.Api.Fields.Date(j.Text("from"), "from", errors);
        var to = Platform.Api.Fields.Date(j.Text("to"), "to", errors);
        var compareWith = j.Text("compare_with") ?? CompareWithLive;
        if (compareWith is not (CompareWithLive or CompareWithNothing))
        {
            errors.Add("compare_with", $"must be '{CompareWithLive}' (the other promotions live now) or '{CompareWithNothing}'.");
        }
        foreach (var (field, date) in new[] { ("from", from), ("to", to) })
        {
            if (date is null && !errors.Has(field))
            {
                errors.Add(field, "is required: a local date (yyyy-MM-dd).");
            }
        }
        if (from > to)
        {
            errors.Add("from", $"{from:yyyy-MM-dd} is after 'to' ({to:yyyy-MM-dd}).");
        }
        else if (to?.DayNumber - from?.DayNumber + 1 > MaxDays)
        {
            errors.Add("to", $"the period has {to!.Value.DayNumber - from!.Value.DayNumber + 1} days; at most {MaxDays} are allowed.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var fromUtc = new DateTimeOffset(LocalDays.StartUtc(from!.Value, settings.Zone));
        var toUtc = new DateTimeOffset(LocalDays.StartUtc(to!.Value.AddDays(1), settings.Zone));
        var count = await OrderQueries.CountPaidBetweenAsync(db, workspaceId, fromUtc, toUtc, ct);
        if (count > MaxOrders)
        {
            return Problems.Validation("to", $"the period has {count} paid orders; at most {MaxOrders} are simulated at once. Choose a shorter period.");
        }
        var others = compareWith == CompareWithLive ? await OthersLiveAsync(db, workspaceId, id, ct) : [];
        var history = await HistoryReader.ReadAsync(db, settings, fromUtc, toUtc, ct);
        // Only the simulated promotion spends here, so of its own budget and its campaign's the smaller binds.
        var campaignAmount = stored.CampaignBudgetId is { } campaignId
            ? await db.CampaignBudgets.Where(b => b.WorkspaceId == workspaceId && b.Id == campaignId).Select(b => (long?)b.Amount).FirstOrDefaultAsync(ct)
            : null;
        long? budget = (stored.Budget, campaignAmount) switch
        {
            ({ } own, { } campaign) => Math.Min(own, campaign),
            var (own, campaign) => own ?? campaign,
        };
        var result = PromotionSimulation.Run(
            Timeless(DefinitionJson.ReadStored(stored.Definition, stored.Id, stored.Name)),
            new DraftLimits(budget, stored.PerCustomerLimit, stored.TotalLimit), others, history.Carts);
        return TypedResults.Ok(SimulationView.Of(stored, from.Value, to.Value, compareWith, others.Count, history.OtherCurrencies, result, settings.Currency));
    }

    /// <summary>The active promotions other than the simulated one, as if they had been live throughout the period.</summary>
    private static async Task<List<Promotion>> OthersLiveAsync(FlywheelDb db, string workspaceId, string id, CancellationToken ct) =>
        (await db.Promotions.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.Status == PromotionStatus.Active && p.Id != id).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Name, p.Definition }).ToListAsync(ct))
        .Select(p => Timeless(DefinitionJson.ReadStored(p.Definition, p.Id, p.Name))).ToList();

    /// <summary>The question is what the promotion would have done to those carts, so its own dates do not rule them out.</summary>
    private static Promotion Timeless(Promotion p) => p with { StartsAt = null, EndsAt = null };
}
