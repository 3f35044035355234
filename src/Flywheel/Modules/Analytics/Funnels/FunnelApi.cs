using System.Security.Claims;
using System.Text.Json;
using Flywheel.Modules.Segments.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Events;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Modules.Analytics.Funnels;

/// <summary>
/// POST /api/v1/analytics/funnels: a funnel of 2–10 steps (event types, each with an optional property filter and
/// window) over the local dates [from, to] of the workspace time zone, counted per visitor (the customer, with the
/// anonymous browsing linked to them; else the anonymous id), with the window after entry, the order mode, an optional
/// property held constant and a breakdown, and the visitors still in progress reported apart.
/// POST /api/v1/analytics/funnels/dropped saves the customers who dropped at a step as a segment. Definitions:
/// docs/metrics.md, "Funnels".
/// </summary>
public static class FunnelApi
{
    public const int MaxDays = 366;
    public const int MaxWindowDays = 90;
    public const int MaxSegments = 10;
    private const int MaxNameLength = 100;

    private static readonly string[] KnownFields = ["steps", "from", "to", "window_days", "order", "hold_constant", "breakdown"];
    private static readonly string[] KnownStepFields = ["type", "where", "window_days"];
    private static readonly string[] KnownBreakdownFields = ["context", "property", "segments"];

    public sealed record StepView(
        int Step, string Type, string? Where, int WindowDays, int Reached, int Waiting, int Dropped, double? Conversion, double? ConversionFromFirst,
        double? MedianSecondsFromPrevious);

    /// <summary>One group of a breakdown: its value (null: visitors without one) and its steps.</summary>
    public sealed record GroupView(string? Value, IReadOnlyList<StepView> Steps);

    /// <summary>A breakdown: by a context column, an entry-event property, or segment membership now (groups may overlap).</summary>
    public sealed record BreakdownView(string By, string? Name, IReadOnlyList<GroupView> Groups, bool MoreGroups);

    public sealed record FunnelView(
        DateOnly From, DateOnly To, string TimeZone, int WindowDays, string Order, string? HoldConstant, DateTimeOffset AsOf,
        IReadOnlyList<StepView> Steps, BreakdownView? Breakdown);

    /// <summary>The answer of saving dropped visitors: the segment, its tag, and how many dropped visitors were anonymous (left out).</summary>
    public sealed record DroppedSegmentView(string SegmentKey, string Tag, int Step, int Customers, int AnonymousLeftOut, string Note);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/analytics/funnels", HandleAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("RunFunnel").WithSummary("Step-by-step conversion of visitors through a sequence of events");
        group.MapPost("/analytics/funnels/dropped", SaveDroppedAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .RequireAuthorization(Scopes.CustomersWrite)
            .WithName("SaveFunnelDropped").WithSummary("Save the customers who dropped at a funnel step as a segment");
    }

    /// <summary>A step as asked: the event type, the filter's text in the segment language, and its own window.</summary>
    public sealed record StepInput(string? Type, string? Where = null, int? WindowDays = null);

    /// <summary>A breakdown as asked: exactly one of a context column, a property of the entry event, or segment keys.</summary>
    public sealed record BreakdownInput(string? Context = null, string? Property = null, IReadOnlyList<string>? Segments = null);

    /// <summary>A funnel question as the API or the console asks it, before checking.</summary>
    public sealed record FunnelInput(
        IReadOnlyList<StepInput> Steps, DateOnly? From = null, DateOnly? To = null, int? WindowDays = null, string? Order = null,
        string? HoldConstant = null, BreakdownInput? Breakdown = null);

    /// <summary>A checked step: its filter for the store, the filter's canonical text, and its window in days.</summary>
    public sealed record CheckedStep(string Type, PropertyFilter? Where, string? WhereText, int WindowDays);

    /// <summary>A funnel question, checked: steps, local dates, window, order mode, the property held constant and the breakdown.</summary>
    public sealed record FunnelRequest(
        IReadOnlyList<CheckedStep> Steps, DateOnly From, DateOnly To, int WindowDays, string OrderName, FunnelOrder Order,
        string? HoldConstant, BreakdownInput? Breakdown);

    public static async Task<Results<Ok<FunnelView>, ValidationProblem>> HandleAsync(
        HttpContext http, ClaimsPrincipal caller, FlywheelDb db, FunnelQuery funnels, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(http.Request, errors, ct, KnownFields);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var workspaceId = caller.WorkspaceId();
        var request = await ReadAsync(document.RootElement, workspaceId, db, clock, errors, ct);
        if (request is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        return TypedResults.Ok(await funnels.RunAsync(workspaceId, request, ct));
    }

    public static async Task<Results<Ok<DroppedSegmentView>, ValidationProblem, ProblemHttpResult>> SaveDroppedAsync(
        HttpContext http, ClaimsPrincipal caller, FlywheelDb db, FunnelQuery funnels, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseKnownObjectAsync(http.Request, errors, ct, [.. KnownFields, "step", "segment_key", "segment_name"]);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var input = new JsonInput(document.RootElement, errors);
        var step = input.WholeNumber("step");
        var key = input.Text("segment_key");
        var name = input.Text("segment_name");
        var workspaceId = caller.WorkspaceId();
        var request = await ReadAsync(document.RootElement, workspaceId, db, clock, errors, ct);
        CheckDropped(request, step, key, name, errors);
        if (request is null || errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var saved = await funnels.SaveDroppedAsync(http.RequestServices, caller, request, step!.Value, key!, name ?? key!, ct);
        return saved.Refusal is { } refusal
            ? refusal.Status == StatusCodes.Status409Conflict
                ? Problems.Conflict(refusal.Message ?? "")
                : Problems.Validation(refusal.Field ?? "segment_key", refusal.Message ?? "")
            : TypedResults.Ok(saved.View!);
    }

    /// <summary>The fields of saving dropped visitors: the step (2 to the step count) and the segment's key and name.</summary>
    public static void CheckDropped(FunnelRequest? request, int? step, string? key, string? name, FieldErrors errors)
    {
        var steps = request?.Steps.Count ?? 10;
        if (step is null)
        {
            errors.Add("step", $"is required: the step (2 to {steps}) whose dropped visitors to save.");
        }
        else if (step < 2 || step > steps)
        {
            errors.Add("step", $"must be from 2 to {steps}: visitors drop at a step after the first.");
        }
        if (key is null)
        {
            errors.Add("segment_key", "is required: the new segment's key (lower-case letters, digits, '-' and '_').");
        }
        else if (key.Length > MaxNameLength || !key.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
        {
            errors.Add("segment_key", $"must be lower-case letters, digits, '-' and '_', at most {MaxNameLength} characters.");
        }
        if (name is { Length: > MaxNameLength })
        {
            errors.Add("segment_name", $"must be at most {MaxNameLength} characters.");
        }
    }

    /// <summary>Reads and checks a funnel body; null with field errors when something is wrong.</summary>
    private static async Task<FunnelRequest?> ReadAsync(
        JsonElement body, string workspaceId, FlywheelDb db, TimeProvider clock, FieldErrors errors, CancellationToken ct)
    {
        var input = new JsonInput(body, errors);
        var steps = ReadSteps(body, errors);
        var from = Fields.Date(input.Text("from"), "from", errors);
        var to = Fields.Date(input.Text("to"), "to", errors);
        var windowDays = input.WholeNumber("window_days");
        var orderText = input.Text("order");
        var hold = input.Text("hold_constant");
        if (hold is null && input.Has("hold_constant") && !errors.Has("hold_constant"))
        {
            errors.Add("hold_constant", "must be a property name; leave it out to hold nothing constant.");
        }
        var breakdown = ReadBreakdown(body, errors);
        if (errors.Any)
        {
            return null;
        }
        var zone = (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Zone;
        var now = clock.GetUtcNow();
        var request = Check(new FunnelInput(steps!, from, to, windowDays, orderText, hold, breakdown), LocalDays.DateOf(now, zone), zone, now, errors);
        if (request?.Breakdown?.Segments is { } keys)
        {
            foreach (var (key, i) in keys.Select((k, i) => (k, i)))
            {
                if (!await FunnelQuery.SegmentExistsAsync(db, workspaceId, key, ct))
                {
                    errors.Add($"breakdown.segments[{i}]", $"there is no segment with key '{key}'.");
                }
            }
        }
        return errors.Any ? null : request;
    }

    private static List<StepInput>? ReadSteps(JsonElement body, FieldErrors errors)
    {
        if (!body.TryGetProperty("steps", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            errors.Add("steps", "is required: 2 to 10 steps, each an event type or {\"type\", \"where\", \"window_days\"}, e.g. [\"product_view\", \"add_to_cart\", {\"type\": \"order_paid\", \"where\": \"amount >= 100\"}].");
            return null;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add("steps", "must be an array of event types or step objects.");
            return null;
        }
        var steps = new List<StepInput>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var field = $"steps[{i++}]";
            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    steps.Add(new StepInput(item.GetString()));
                    break;
                case JsonValueKind.Object:
                    foreach (var unknown in item.EnumerateObject().Where(p => !KnownStepFields.Contains(p.Name, StringComparer.Ordinal)))
                    {
                        errors.Add($"{field}.{unknown.Name}", $"is not a field of a step; expected {string.Join(", ", KnownStepFields)}.");
                    }
                    var step = new JsonInput(item, errors, field + ".");
                    var type = step.Text("type");
                    if (type is null && !errors.Has(field + ".type"))
                    {
                        errors.Add(field + ".type", "is required: the step's event type.");
                    }
                    steps.Add(new StepInput(type, step.Text("where"), step.WholeNumber("window_days")));
                    break;
                default:
                    errors.Add(field, "must be an event type or an object {\"type\", \"where\", \"window_days\"}.");
                    break;
            }
        }
        return steps;
    }

    private static BreakdownInput? ReadBreakdown(JsonElement body, FieldErrors errors)
    {
        if (!body.TryGetProperty("breakdown", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add("breakdown", "must be an object with one of context, property or segments.");
            return null;
        }
        foreach (var unknown in value.EnumerateObject().Where(p => !KnownBreakdownFields.Contains(p.Name, StringComparer.Ordinal)))
        {
            errors.Add($"breakdown.{unknown.Name}", $"is not a field of a breakdown; expected one of {string.Join(", ", KnownBreakdownFields)}.");
        }
        var input = new JsonInput(value, errors, "breakdown.");
        return new BreakdownInput(input.Text("context"), input.Text("property"), input.Strings("segments"));
    }

    /// <summary>Checks a funnel question the API or the console asks, filling in defaults; null with field errors when wrong.</summary>
    public static FunnelRequest? Check(FunnelInput input, DateOnly today, TimeZoneInfo zone, DateTimeOffset now, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        var steps = input.Steps;
        if (steps.Count is < 2 or > 10)
        {
            errors.Add("steps", $"has {steps.Count} steps; a funnel has 2 to 10.");
        }
        var window = input.WindowDays ?? 7;
        if (window is < 1 or > MaxWindowDays)
        {
            errors.Add("window_days", $"must be from 1 to {MaxWindowDays}.");
        }
        var checkedSteps = new List<CheckedStep>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var field = $"steps[{i}]";
            var typeField = step.Where is null && step.WindowDays is null ? field : field + ".type";
            if (step.Type is null || !EventTypes.IsValidName(step.Type))
            {
                errors.Add(typeField, $"'{step.Type}' is not an event type (lower-case letters, digits and '_').");
                continue;
            }
            if (step.WindowDays is { } own && (own < 1 || own > MaxWindowDays))
            {
                errors.Add(field + ".window_days", $"must be from 1 to {MaxWindowDays}.");
            }
            else if (step.WindowDays is not null && i == 0)
            {
                errors.Add(field + ".window_days", "applies to the steps after the first: the first step is the entry.");
            }
            PropertyFilter? filter = null;
            string? canonical = null;
            if (step.Where is { } where)
            {
                var read = EventWheres.Read(step.Type, where, zone, now);
                if (read.Filter is null)
                {
                    errors.Add(field + ".where", string.Join(" ", read.Errors.Select(e => e.ToString())));
                }
                else if (!Fits(read.Filter))
                {
                    errors.Add(field + ".where", "a number has more than 10 decimal places or 28 digits before the point.");
                }
                filter = read.Filter;
                canonical = read.Canonical;
            }
            checkedSteps.Add(new CheckedStep(step.Type, filter, canonical, step.WindowDays ?? window));
        }
        var name = input.Order ?? "ordered";
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
        if (input.HoldConstant is { } hold && !IsPropertyName(hold))
        {
            errors.Add("hold_constant", $"'{hold}' is not a property name (at most {MaxNameLength} characters, no control characters).");
        }
        CheckBreakdown(input.Breakdown, errors);
        var (start, end) = ReportRange.Resolve(input.From, input.To, today, 30);
        if (start > end)
        {
            errors.Add("from", $"{start:yyyy-MM-dd} is after 'to' ({end:yyyy-MM-dd}).");
        }
        else if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            errors.Add("to", $"the range has {end.DayNumber - start.DayNumber + 1} days; at most {MaxDays} are allowed.");
        }
        return errors.Any ? null : new FunnelRequest(checkedSteps, start, end, window, name, order!.Value, input.HoldConstant, input.Breakdown);
    }

    private static void CheckBreakdown(BreakdownInput? breakdown, FieldErrors errors)
    {
        if (breakdown is null)
        {
            return;
        }
        var given = (breakdown.Context is null ? 0 : 1) + (breakdown.Property is null ? 0 : 1) + (breakdown.Segments is null ? 0 : 1);
        if (given != 1)
        {
            errors.Add("breakdown", "needs exactly one of context, property or segments.");
            return;
        }
        if (breakdown.Context is { } context && !FunnelGrouping.ContextColumns.Contains(context))
        {
            errors.Add("breakdown.context", $"'{context}' is not one of {string.Join(", ", FunnelGrouping.ContextColumns)}.");
        }
        if (breakdown.Property is { } property && !IsPropertyName(property))
        {
            errors.Add("breakdown.property", $"'{property}' is not a property name (at most {MaxNameLength} characters, no control characters).");
        }
        if (breakdown.Segments is { } segments)
        {
            if (segments.Count is < 1 or > MaxSegments)
            {
                errors.Add("breakdown.segments", $"has {segments.Count} segment keys; give 1 to {MaxSegments}.");
            }
            foreach (var (key, i) in segments.Select((k, i) => (k, i)).Where(s => string.IsNullOrWhiteSpace(s.k) || s.k.Length > MaxNameLength))
            {
                errors.Add($"breakdown.segments[{i}]", $"'{key}' is not a segment key.");
            }
            if (segments.Distinct(StringComparer.Ordinal).Count() != segments.Count)
            {
                errors.Add("breakdown.segments", "names a segment more than once.");
            }
        }
    }

    private static bool IsPropertyName(string name) => name.Length is > 0 and <= MaxNameLength && !name.Any(char.IsControl);

    /// <summary>Whether the stores hold every number of the filter exactly (the store refuses the others).</summary>
    private static bool Fits(PropertyFilter filter) => filter switch
    {
        PropertyAll all => all.Filters.All(Fits),
        PropertyAny any => any.Filters.All(Fits),
        PropertyTest test => test.Values.OfType<decimal>().All(CustomerEventQueries.Fits),
        _ => true,
    };
}
