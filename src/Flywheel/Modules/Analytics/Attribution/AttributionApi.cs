using System.Security.Claims;
using System.Text.Json;
using Flywheel.Modules.Marketing.Contracts;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// GET /api/v1/analytics/attribution?from&amp;to&amp;lookback_days&amp;half_life_days&amp;gross_margin: the shop's paid orders of
/// the local dates [from, to] attributed to the channels of the visits before them, under every model side by side, with
/// each channel's spend over those dates and its ROAS and ROI under every model.
/// GET /api/v1/analytics/attribution/sankey?from&amp;to&amp;lookback_days&amp;paths&amp;include_non_converting&amp;max_steps: the most
/// frequent of the same paths laid out as a Sankey diagram.
/// POST /api/v1/analytics/attribution/paths: the same for paths an analyst brings, in the ChannelAttribution layout
/// (<c>path;total_conversions;total_conversion_value;total_null</c>), optionally with spend per channel and a gross
/// margin for ROI and ROAS. Models and rules: docs/attribution.md.
/// </summary>
public static class AttributionApi
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;
    public const int MaxLookbackDays = 90;

    /// <summary>Largest uploaded path text; a ChannelAttribution export of 10,000 paths is about 0.5 MB.</summary>
    public const int MaxPathText = 20_000_000;

    public sealed record CreditView(double Conversions, decimal Value, decimal? Roi, decimal? Roas);

    public sealed record ChannelView(string Channel, decimal? Spend, IReadOnlyDictionary<string, CreditView> ByModel);

    public sealed record ComparisonView(long Conversions, decimal Value, IReadOnlyList<string> Models, IReadOnlyList<ChannelView> Channels);

    public sealed record OrderAttributionView(
        DateOnly From, DateOnly To, string TimeZone, string Currency, int LookbackDays, double HalfLifeDays, int Orders,
        int OrdersWithoutTouches, int NonConvertingVisitors, decimal? GrossMargin, ComparisonView Attribution);

    public sealed record SankeyView(
        DateOnly From, DateOnly To, string TimeZone, int LookbackDays, int TopPaths, bool IncludeNonConverting, int MaxSteps, SankeyLayout Sankey);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/analytics/attribution", GetAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetAttribution").WithSummary("Paid orders of a date range attributed to channels under every model, with spend, ROAS and ROI");
        group.MapGet("/analytics/attribution/sankey", GetSankeyAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("GetAttributionSankey").WithSummary("The most frequent channel paths of a date range as a Sankey diagram");
        group.MapPost("/analytics/attribution/paths", PostPathsAsync).RequireAuthorization(Scopes.AnalyticsRead)
            .WithName("AttributePaths").WithSummary("Attribute paths in the ChannelAttribution layout under every model");
    }

    public static async Task<Results<Ok<OrderAttributionView>, ValidationProblem>> GetAsync(
        string? from, string? to, [FromQuery(Name = "lookback_days")] string? lookbackDays, [FromQuery(Name = "half_life_days")] string? halfLifeDays,
        [FromQuery(Name = "gross_margin")] string? grossMargin,
        ClaimsPrincipal caller, FlywheelDb db, OrderAttributionQuery query, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var halfLife = Fields.WholeNumber(halfLifeDays, "half_life_days", 7, 1, 365, errors);
        var margin = Margin(grossMargin, errors);
        var range = await RangeAsync(from, to, lookbackDays, caller.WorkspaceId(), db, clock, errors, ct);
        if (range is not { } r)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var settings = new AttributionSettings(TimeSpan.FromDays(halfLife));
        var a = await query.GetAsync(caller.WorkspaceId(), r.Start, r.End, r.Lookback, settings, ct, margin);
        return TypedResults.Ok(new OrderAttributionView(a.From, a.To, a.TimeZone, a.Currency, a.LookbackDays, halfLife, a.Orders,
            a.OrdersWithoutTouches, a.NonConvertingVisitors, a.GrossMargin, View(a.Comparison)));
    }

    public static async Task<Results<Ok<SankeyView>, ValidationProblem>> GetSankeyAsync(
        string? from, string? to, [FromQuery(Name = "lookback_days")] string? lookbackDays, string? paths,
        [FromQuery(Name = "include_non_converting")] string? includeNonConverting, [FromQuery(Name = "max_steps")] string? maxSteps,
        ClaimsPrincipal caller, FlywheelDb db, OrderAttributionQuery query, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var options = new SankeyOptions
        {
            TopPaths = Fields.WholeNumber(paths, "paths", 10, 1, SankeyOptions.MaxTopPaths, errors),
            MaxSteps = Fields.WholeNumber(maxSteps, "max_steps", 5, 1, SankeyOptions.MaxMaxSteps, errors),
            IncludeNonConverting = Fields.Choice(includeNonConverting, "include_non_converting", "false", Booleans, errors),
        };
        var range = await RangeAsync(from, to, lookbackDays, caller.WorkspaceId(), db, clock, errors, ct);
        if (range is not { } r)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var built = await query.PathsAsync(caller.WorkspaceId(), r.Start, r.End, r.Lookback, ct);
        var layout = ChannelPathSankey.Layout(built.Paths.Select(p => p.Path), options);
        return TypedResults.Ok(new SankeyView(built.From, built.To, built.Workspace.Zone.Id, built.LookbackDays, options.TopPaths,
            options.IncludeNonConverting, options.MaxSteps, layout));
    }

    /// <summary>A gross_margin query parameter: null when absent (the workspace's own then applies).</summary>
    public static decimal? Margin(string? text, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var margin))
        {
            errors.Add("gross_margin", $"'{text}' is not a number (gross profit / revenue, e.g. 0.35).");
            return null;
        }
        if (GrossMargin.Check(margin) is { } problem)
        {
            errors.Add("gross_margin", problem);
            return null;
        }
        return margin;
    }

    private static readonly Dictionary<string, bool> Booleans = new(StringComparer.Ordinal) { ["true"] = true, ["false"] = false };

    /// <summary>The local dates asked about (the 30 days ending today by default) and the lookback; null with errors when wrong.</summary>
    private static async Task<(DateOnly Start, DateOnly End, int Lookback)?> RangeAsync(
        string? from, string? to, string? lookbackDays, string workspaceId, FlywheelDb db, TimeProvider clock, FieldErrors errors, CancellationToken ct)
    {
        var fromDate = Fields.Date(from, "from", errors);
        var toDate = Fields.Date(to, "to", errors);
        var lookback = Fields.WholeNumber(lookbackDays, "lookback_days", 30, 1, MaxLookbackDays, errors);
        if (errors.Any)
        {
            return null;
        }
        var zone = (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Zone;
        var (start, end) = ReportRange.Resolve(fromDate, toDate, LocalDays.DateOf(clock.GetUtcNow(), zone), DefaultDays);
        if (start > end)
        {
            errors.Add("from", $"{start:yyyy-MM-dd} is after 'to' ({end:yyyy-MM-dd}).");
        }
        else if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            errors.Add("to", $"the range has {end.DayNumber - start.DayNumber + 1} days; at most {MaxDays} are allowed.");
        }
        return errors.Any ? null : (start, end, lookback);
    }

    public static async Task<Results<Ok<ComparisonView>, ValidationProblem>> PostPathsAsync(HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        using var document = await JsonInput.ParseObjectAsync(http.Request, errors, ct);
        if (document is null)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var input = new JsonInput(document.RootElement, errors);
        var text = input.Text("paths");
        if (text is null && !errors.Has("paths"))
        {
            errors.Add("paths", "is required: the paths as text, header path;total_conversions;total_conversion_value;total_null.");
        }
        else if (text?.Length > MaxPathText)
        {
            errors.Add("paths", $"has {text.Length:N0} characters; at most {MaxPathText:N0} are accepted.");
        }
        var spend = Spend(input, errors);
        var margin = input.Number("gross_margin");
        if (margin is not null and (<= 0 or > 1))
        {
            errors.Add("gross_margin", "must be above 0 and at most 1 (gross profit / revenue).");
        }
        if (spend is not null && margin is null && !errors.Has("gross_margin"))
        {
            errors.Add("gross_margin", "is required with spend: ROI is attributed gross profit less cost, over cost.");
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        IReadOnlyList<ConversionPath> paths;
        try
        {
            paths = ChannelAttributionText.Parse(text!);
        }
        catch (AttributionInputException ex)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["paths"] = [.. ex.Errors.Select(e => e.ToString())] },
                "The paths could not be read; nothing was attributed.");
        }
        // The layout has no times, so time decay cannot weigh its touches.
        var models = OrderAttributionQuery.Models.Where(m => m != AttributionModel.TimeDecay).ToList();
        var comparison = AttributionComparison.Of(paths, models, spend: spend is null ? null : new ChannelSpend(spend, margin!.Value));
        return TypedResults.Ok(View(comparison));
    }

    /// <summary>The model's name in the API: first_touch, last_non_direct, position_based, ...</summary>
    public static string Name(AttributionModel model) => JsonNamingPolicy.SnakeCaseLower.ConvertName(model.ToString());

    private static ComparisonView View(AttributionComparison c)
    {
        var first = c.Models.Count > 0 ? c.Models[0] : null;
        return new ComparisonView(first?.TotalConversions ?? 0, first?.TotalValue ?? 0m, [.. c.Models.Select(m => Name(m.Model))],
            [.. c.Channels.Select(ch => new ChannelView(ch.Channel, ch.Spend,
                ch.ByModel.ToDictionary(m => Name(m.Model), m => new CreditView(m.Conversions, m.Value, m.Roi, m.Roas))))]);
    }

    private static Dictionary<string, decimal>? Spend(JsonInput input, FieldErrors errors)
    {
        if (!input.Element.TryGetProperty("spend", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("spend", "must be an object of channel: amount spent.");
            return null;
        }
        var spend = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDecimal(out var amount) || amount < 0)
            {
                errors.Add($"spend.{p.Name}", "must be a number, 0 or more.");
                continue;
            }
            spend[p.Name] = amount;
        }
        return spend;
    }
}
