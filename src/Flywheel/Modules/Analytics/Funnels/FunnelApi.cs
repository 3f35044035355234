using System.Security.Claims;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Events;
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

    /// <summary>A funnel question, checked: the steps, the local dates, the window and the order mode.</summary>
    public sealed record FunnelRequest(IReadOnlyList<string> Steps, DateOnly From, DateOnly To, int WindowDays, string OrderName, FunnelOrder Order);

    public static async Task<Results<Ok<FunnelView>, ValidationProblem>> HandleAsync(
        HttpContext http, ClaimsPrincipal caller, FlywheelDb db, FunnelQuery funnels, TimeProvider clock, CancellationToken ct)
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
        var from = Fields.Date(input.Text("from"), "from", errors);
        var to = Fields.Date(input.Text("to"), "to", errors);
        var windowDays = input.WholeNumber("window_days");
        var orderText = input.Text("order");
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        var zone = (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Zone;
        var request = Check(steps!, from, to, windowDays, orderText, LocalDays.DateOf(clock.GetUtcNow(), zone), errors);
        if (request is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        return TypedResults.Ok(await funnels.RunAsync(workspaceId, request, ct));
    }

    /// <summary>Checks a funnel question the API or the console asks, filling in defaults; null with field errors when wrong.</summary>
    public static FunnelRequest? Check(
        IReadOnlyList<string> steps, DateOnly? from, DateOnly? to, int? windowDays, string? orderText, DateOnly today, FieldErrors errors)
    {
        if (steps.Count is < 2 or > 10)
        {
            errors.Add("steps", $"has {steps.Count} steps; a funnel has 2 to 10.");
        }
        foreach (var (type, i) in steps.Select((t, i) => (t, i)).Where(s => !EventTypes.IsValidName(s.t)))
        {
            errors.Add($"steps[{i}]", $"'{type}' is not an event type (lower-case letters, digits and '_').");
        }
        var window = windowDays ?? 7;
        if (window is < 1 or > MaxWindowDays)
        {
            errors.Add("window_days", $"must be from 1 to {MaxWindowDays}.");
        }
        var name = orderText ?? "ordered";
        FunnelOrder? order = name switch
        {
            "ordered" => FunnelOrder.Ordered,
            "strict" => FunnelOrder.Strict,
            "any" => FunnelOrder.AnyOrder,
            _ => null,
        };
        if (order is null)
        {
            errors.Add("order", $"'{name}' is not one of ordered, strict, any.");
        }
        var (start, end) = ReportRange.Resolve(from, to, today, 30);
        if (start > end)
        {
            errors.Add("from", $"{start:yyyy-MM-dd} is after 'to' ({end:yyyy-MM-dd}).");
        }
        else if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            errors.Add("to", $"the range has {end.DayNumber - start.DayNumber + 1} days; at most {MaxDays} are allowed.");
        }
        return errors.Any ? null : new FunnelRequest(steps, start, end, window, name, order!.Value);
    }

}
