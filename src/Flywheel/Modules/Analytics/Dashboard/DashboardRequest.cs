using Flywheel.Modules.Analytics.Attribution;
using Flywheel.Modules.Analytics.Retention;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Analytics.Dashboard;

/// <summary>What the range is compared with: the same number of days just before it, or the same dates a year earlier.</summary>
public enum Comparison
{
    PreviousPeriod,
    LastYear,
}

/// <summary>
/// Whose figures the dashboard shows. <see cref="Segment"/> and <see cref="City"/> keep only those customers (anonymous
/// visitors leave every figure); <see cref="Source"/> keeps only sessions from that UTM source (traffic and conversion);
/// <see cref="Category"/> keeps only order lines of that category (sales). A metric a cut cannot apply to is left out
/// (null) rather than shown uncut. Cuts combine.
/// </summary>
public sealed record DashboardCut(string? Segment = null, string? City = null, string? Source = null, string? Category = null)
{
    public static readonly DashboardCut Everyone = new();

    public bool ByCustomers => Segment is not null || City is not null;
}

/// <summary>A checked dashboard question.</summary>
public sealed record DashboardRequest(DateOnly From, DateOnly To, CohortGrain Grain, Comparison Compare, DayOfWeek WeekStart, DashboardCut Cut)
{
    public const int MaxDays = 366;
    public const int DefaultDays = 30;

    public MarketingOptions Marketing { get; init; } = MarketingOptions.Default;

    /// <summary>How finely the series cut the range: local days, weeks (from the chosen day) or calendar months.</summary>
    public static readonly IReadOnlyDictionary<string, CohortGrain> Grains =
        new Dictionary<string, CohortGrain> { ["day"] = CohortGrain.Day, ["week"] = CohortGrain.Week, ["month"] = CohortGrain.Month };

    public static readonly IReadOnlyDictionary<string, Comparison> Comparisons =
        new Dictionary<string, Comparison> { ["previous_period"] = Comparison.PreviousPeriod, ["last_year"] = Comparison.LastYear };

    /// <summary>The dates compared with: as many days just before, or the same dates a year earlier (29 Feb → 28 Feb).</summary>
    public (DateOnly From, DateOnly To) ComparisonRange() => Compare == Comparison.LastYear
        ? (From.AddYears(-1), To.AddYears(-1))
        : (From.AddDays(-(To.DayNumber - From.DayNumber + 1)), From.AddDays(-1));

    /// <summary>
    /// Checks the text of a dashboard question as the API and the console receive it, filling in defaults (the 30 local
    /// days ending yesterday, by day, against the previous period, weeks from Monday, orders credited by last non-direct
    /// touch, the workspace's gross margin); null with field errors when wrong.
    /// </summary>
    public static DashboardRequest? Parse(
        string? from, string? to, string? grain, string? compare, string? weekStart, DashboardCut cut, DateOnly today, FieldErrors errors,
        string? model = null, string? grossMargin = null)
    {
        var m = Fields.Choice(model, "model", "last_non_direct", MarketingOptions.Models, errors);
        var margin = AttributionApi.Margin(grossMargin, errors);
        var fromDate = Fields.Date(from, "from", errors);
        var toDate = Fields.Date(to, "to", errors);
        var g = Fields.Choice(grain, "grain", "day", Grains, errors);
        var c = Fields.Choice(compare, "compare", "previous_period", Comparisons, errors);
        var w = Fields.Choice(weekStart, "week_start", "monday", Enum.GetValues<DayOfWeek>().ToDictionary(d => d.ToString().ToLowerInvariant(), d => d), errors);
        foreach (var (field, value) in new[] { ("segment", cut.Segment), ("city", cut.City), ("source", cut.Source), ("category", cut.Category) })
        {
            if (value is { } v && (v.Length == 0 || v.Length > 200))
            {
                errors.Add(field, "must be 1 to 200 characters; leave it out to keep everyone.");
            }
        }
        if (errors.Any)
        {
            return null;
        }
        var (start, end) = ReportRange.Resolve(fromDate, toDate, today, DefaultDays);
        if (start > end)
        {
            errors.Add("from", $"{start:yyyy-MM-dd} is after 'to' ({end:yyyy-MM-dd}).");
        }
        else if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            errors.Add("to", $"the range has {end.DayNumber - start.DayNumber + 1} days; at most {MaxDays} are allowed.");
        }
        else if (start.Year < 1971 || end.Year > 9000)
        {
            errors.Add("from", "must be between 1971-01-01 and 9000-12-31.");
        }
        return errors.Any ? null : new DashboardRequest(start, end, g, c, w, cut) { Marketing = new MarketingOptions(m, margin) };
    }
}
