using System.Security.Claims;
using Flywheel.Modules.Customers.Contracts;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Modules.Analytics.Funnels;

/// <summary>
/// POST /api/v1/analytics/funnels: a funnel of 2–10 event types over the local dates [from, to] of the workspace time
/// zone, counted per visitor (the customer, with the anonymous browsing linked to them; else the anonymous id), with
/// the window after entry, the order mode, and the visitors still in progress reported apart. Definitions:
/// docs/metrics.md, "Funnels".
/// </summary>
public static class FunnelApi
{
    public const int MaxDays = 366;
    public const int MaxWindowDays = 90;

    public sealed record StepView(
        int Step, string Type, int Reached, int Waiting, int Dropped, double? Conversion, double? ConversionFromFirst, double? MedianSecondsFromPrevious);

    public sealed record FunnelView(DateOnly From, DateOnly To, string TimeZone, int WindowDays, string Order, DateTimeOffset AsOf, IReadOnlyList<StepView> Steps);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/analytics/funnels", HandleAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("RunFunnel").WithSummary("Step-by-step conversion of visitors through a sequence of events");

    public static async Task<Results<Ok<FunnelView>, ValidationProblem>> HandleAsync(
        HttpContext http, ClaimsPrincipal caller, FlywheelDb db, IEventStore events, IngestPipeline pipeline, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseObjectAsync(http.Request, errors, ct);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var input = new JsonInput(document.RootElement, errors);
        var steps = input.Strings("steps");
        if (steps is null && !errors.Has("steps"))
        {
            errors.Add("steps", "is required: 2 to 10 event types, e.g. [\"product_view\", \"add_to_cart\", \"order_paid\"].");
        }
        else if (steps is not null)
        {
            if (steps.Count is < 2 or > 10)
            {
                errors.Add("steps", $"has {steps.Count} steps; a funnel has 2 to 10.");
            }
            foreach (var (type, i) in steps.Select((t, i) => (t, i)).Where(s => !EventTypes.IsValidName(s.t)))
            {
                errors.Add($"steps[{i}]", $"'{type}' is not an event type (lower-case letters, digits and '_').");
            }
        }
        var from = Fields.Date(input.Text("from"), "from", errors);
        var to = Fields.Date(input.Text("to"), "to", errors);
        var windowDays = input.WholeNumber("window_days") ?? 7;
        if (windowDays is < 1 or > MaxWindowDays)
        {
            errors.Add("window_days", $"must be from 1 to {MaxWindowDays}.");
        }
        var orderText = input.Text("order") ?? "ordered";
        FunnelOrder? order = orderText switch
        {
            "ordered" => FunnelOrder.Ordered,
            "strict" => FunnelOrder.Strict,
            "any" => FunnelOrder.AnyOrder,
            _ => null,
        };
        if (order is null)
        {
            errors.Add("order", $"'{orderText}' is not one of ordered, strict, any.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var (start, end) = ReportRange.Resolve(from, to, LocalDays.DateOf(now, settings.Zone), 30);
        if (start > end)
        {
            errors.Add("from", $"{start:yyyy-MM-dd} is after 'to' ({end:yyyy-MM-dd}).");
        }
        else if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            errors.Add("to", $"the range has {end.DayNumber - start.DayNumber + 1} days; at most {MaxDays} are allowed.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var startUtc = LocalDays.StartUtc(start, settings.Zone);
        var endUtc = LocalDays.StartUtc(end.AddDays(1), settings.Zone);
        var window = TimeSpan.FromDays(windowDays);
        // Events acknowledged before the question count in the answer.
        await pipeline.WaitForLoadedAsync(ct);
        var found = await events.GetEventsOfTypesAsync(workspaceId, steps!.Distinct().ToList(), startUtc, endUtc + window, ct);
        var links = await IdentityLinkQueries.CustomersOfAsync(
            db, workspaceId, [.. found.Where(e => e.CustomerId is null && e.AnonymousId is not null).Select(e => e.AnonymousId!)], ct);
        var funnelEvents = found.Select(e => new FunnelEvent(
            e.CustomerId ?? (links.TryGetValue(e.AnonymousId!, out var c) ? c : "anonymous:" + e.AnonymousId),
            new DateTimeOffset(e.TimestampUtc, TimeSpan.Zero), e.Type));
        var results = FunnelEngine.Run(steps!, funnelEvents, new DateTimeOffset(startUtc, TimeSpan.Zero), new DateTimeOffset(endUtc, TimeSpan.Zero),
            window, order!.Value, now);
        return TypedResults.Ok(new FunnelView(start, end, settings.Zone.Id, windowDays, orderText, now, [.. results.Select(r => new StepView(
            r.Step, r.Type, r.Reached, r.Waiting, r.Dropped, Round(r.Conversion), Round(r.ConversionFromFirst), r.MedianFromPrevious?.TotalSeconds))]));
    }

    private static double? Round(double? rate) => rate is { } r ? Math.Round(r, 4) : null;
}
