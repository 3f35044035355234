using System.Text.Json.Nodes;
using Flywheel.Modules.Promotions.Model;
using Flywheel.Modules.Promotions.Pricing;
using Flywheel.Platform;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Promotions.Definitions;

/// <summary>What a group-buy or bargain campaign has in common: its name, status, SKU, time limit, window and stacking.</summary>
public sealed record CampaignTerms(
    string Name, string Status, string Sku, int TimeLimitHours, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, IReadOnlyList<PromotionClass> CombinesWith)
{
    /// <summary>Whether customers may start something now: active, and within the window.</summary>
    public static bool Live(string status, DateTimeOffset? startsAt, DateTimeOffset? endsAt, DateTimeOffset now) =>
        status == PromotionStatus.Active && (startsAt is null || startsAt <= now) && (endsAt is null || now < endsAt);

    /// <summary>The deadline of something started now: the time limit, but never after the campaign's end.</summary>
    public static DateTimeOffset Deadline(int hours, DateTimeOffset? endsAt, DateTimeOffset now)
    {
        var limit = now.AddHours(hours);
        return endsAt is { } end && end < limit ? end : limit;
    }
}

/// <summary>Reads and writes <see cref="CampaignTerms"/>, each mistake named by its field.</summary>
public static class CampaignFields
{
    public const int MaxTimeLimitHours = 720;

    public static readonly string[] Fields = ["name", "status", "sku", "time_limit_hours", "starts_at", "ends_at", "combines_with"];

    public static CampaignTerms? Read(JsonInput j, TimeZoneInfo zone)
    {
        var errors = j.Errors;
        var name = Platform.Api.Fields.Required(j.Text("name"), "name", 200, errors);
        var status = j.Text("status") ?? PromotionStatus.Draft;
        if (!PromotionStatus.All.Contains(status))
        {
            errors.Add("status", $"'{status}' is not one of {string.Join(", ", PromotionStatus.All)}.");
        }
        var sku = Platform.Api.Fields.Required(j.Text("sku"), "sku", 200, errors);
        var hours = j.WholeNumber("time_limit_hours") ?? 24;
        if (hours is < 1 or > MaxTimeLimitHours)
        {
            errors.Add("time_limit_hours", $"must be from 1 to {MaxTimeLimitHours} hours.");
        }
        var startsAt = Instant(j, "starts_at", zone);
        var endsAt = Instant(j, "ends_at", zone);
        if (startsAt is { } s && endsAt is { } e && e <= s)
        {
            errors.Add("ends_at", "must be after starts_at.");
        }
        var combines = new List<PromotionClass>();
        foreach (var (entry, i) in (j.Strings("combines_with") ?? []).Select((e, i) => (e, i)))
        {
            if (entry == "item")
            {
                errors.Add($"combines_with[{i}]", "cannot be item: the price is itself the item price of its line; list order and/or shipping.");
            }
            else if (DefinitionJson.Classes.TryGetValue(entry, out var c))
            {
                combines.Add(c);
            }
            else
            {
                errors.Add($"combines_with[{i}]", $"'{entry}' is not one of order, shipping.");
            }
        }
        return errors.Any ? null : new CampaignTerms(name!, status, sku!, hours, startsAt, endsAt, combines.Distinct().ToList());
    }

    /// <summary>As stored: class names separated by commas ("order,shipping").</summary>
    public static string Stored(IReadOnlyList<PromotionClass> classes) => string.Join(',', classes.Select(DefinitionJson.Name));

    public static IReadOnlyList<PromotionClass> Classes(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => DefinitionJson.Classes[n]).ToList();

    public static JsonArray Names(string stored) =>
        new(stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => (JsonNode)JsonValue.Create(n)).ToArray());

    private static DateTimeOffset? Instant(JsonInput j, string name, TimeZoneInfo zone)
    {
        if (j.Text(name) is not { } text)
        {
            return null;
        }
        if (Instants.TryParse(text, zone, out var value))
        {
            return value;
        }
        j.Errors.Add(name, $"'{text}' is not a date-time (ISO 8601, e.g. 2026-11-11T00:00:00+08:00).");
        return null;
    }
}
