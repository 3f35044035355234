using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Import;
using Flywheel.Modules.Marketing.Contracts;
using Flywheel.Modules.Marketing.Model;

namespace Flywheel.Modules.Marketing.Spend;

/// <summary>
/// The checks a spend row passes, the same for JSON and CSV: a local date (yyyy-MM-dd), a channel of 1–200 characters,
/// optional campaign and creative, spend of 0 or more in the workspace currency with no more decimals than it has, and
/// whole impressions and clicks of 0 or more (0 when absent), clicks no more than impressions when impressions are given.
/// </summary>
public static class SpendRules
{
    public static readonly IReadOnlyList<string> Columns = ["date", "channel", "campaign", "creative", "spend", "impressions", "clicks"];

    public static readonly IReadOnlyList<string> RequiredColumns = ["date", "channel", "spend"];

    /// <summary>Raw text and numbers as they arrived; null when absent.</summary>
    public sealed record Input(string? Date, string? Channel, string? Campaign, string? Creative, decimal? Spend, long? Impressions, long? Clicks);

    /// <summary>The checked row, or null when <paramref name="errors"/> (this row's own) has any.</summary>
    public static SpendFigures? Validate(Input input, string currency, FieldErrors errors, string prefix = "")
    {
        DateOnly date = default;
        if (string.IsNullOrWhiteSpace(input.Date))
        {
            errors.Add(prefix + "date", "is required: the workspace-local day (yyyy-MM-dd).");
        }
        else if (!Instants.TryParseDate(input.Date.Trim(), out date))
        {
            errors.Add(prefix + "date", $"'{input.Date}' is not a date (yyyy-MM-dd, e.g. 2026-11-01).");
        }
        var channel = Fields.Required(input.Channel, prefix + "channel", SpendLimits.Name, errors);
        var campaign = Fields.Optional(input.Campaign, prefix + "campaign", SpendLimits.Name, errors) ?? "";
        var creative = Fields.Optional(input.Creative, prefix + "creative", SpendLimits.Name, errors) ?? "";
        if (input.Spend is null)
        {
            errors.Add(prefix + "spend", $"is required: what was spent that day, in {currency}.");
        }
        var spend = Fields.Money(input.Spend, currency, prefix + "spend", errors);
        var impressions = Count(input.Impressions, prefix + "impressions", errors);
        var clicks = Count(input.Clicks, prefix + "clicks", errors);
        if (impressions > 0 && clicks > impressions)
        {
            errors.Add(prefix + "clicks", $"{clicks} is more than the {impressions} impressions.");
        }
        return errors.Any || channel is null || spend is null
            ? null
            : new SpendFigures(date, channel, campaign, creative, spend.Value, impressions, clicks);
    }

    public static Input FromJson(JsonInput json) => new(
        json.Text("date"), json.Text("channel"), json.Text("campaign"), json.Text("creative"), json.Number("spend"),
        json.LongNumber("impressions"), json.LongNumber("clicks"));

    public static Input FromCsv(CsvRow row) => new(
        row.Text("date"), row.Text("channel"), row.Text("campaign"), row.Text("creative"), row.Number("spend"),
        row.LongNumber("impressions"), row.LongNumber("clicks"));

    private static long Count(long? value, string field, FieldErrors errors)
    {
        if (value < 0)
        {
            errors.Add(field, "must not be negative.");
            return 0;
        }
        return value ?? 0;
    }
}
