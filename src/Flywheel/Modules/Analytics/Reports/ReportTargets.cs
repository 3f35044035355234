using System.Text.Json;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// Targets per metric: a JSON object such as {"gmv": 100000.00, "paid_orders": 500, "conversion_rate": 0.03}. Money in
/// major units of the workspace currency, counts as whole numbers, rates as fractions from 0 to 1; every target is a
/// floor (the metric should be at least this).
/// </summary>
public static class ReportTargets
{
    private static readonly HashSet<string> Rates = ["conversion_rate", "repurchase_rate"];
    private static readonly HashSet<string> Money = ["gmv", "aov"];

    /// <summary>Reads a request's targets, adding errors under targets.&lt;metric&gt;; null when absent or wrong.</summary>
    public static Dictionary<string, decimal>? Read(JsonElement element, FieldErrors errors)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("targets", "must be an object of metric → target, e.g. {\"gmv\": 100000.00}.");
            return null;
        }
        var targets = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
        {
            var field = $"targets.{p.Name}";
            if (!ReportMaker.Metrics.Contains(p.Name))
            {
                errors.Add(field, $"is not a report metric; expected one of {string.Join(", ", ReportMaker.Metrics)}.");
                continue;
            }
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDecimal(out var value) || value < 0)
            {
                errors.Add(field, "must be a number, 0 or more.");
                continue;
            }
            if (Rates.Contains(p.Name) && value > 1)
            {
                errors.Add(field, "is a rate: a fraction from 0 to 1 (0.03 for 3 %).");
                continue;
            }
            if (!Rates.Contains(p.Name) && !Money.Contains(p.Name) && value != decimal.Truncate(value))
            {
                errors.Add(field, "is a count: a whole number.");
                continue;
            }
            targets[p.Name] = value;
        }
        return errors.Any ? null : targets;
    }

    public static Dictionary<string, decimal> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, decimal>>(json) ?? [];

    public static string Serialize(IReadOnlyDictionary<string, decimal> targets) =>
        JsonSerializer.Serialize(targets.OrderBy(t => ReportMaker.Metrics.ToList().IndexOf(t.Key)).ToDictionary(t => t.Key, t => t.Value));
}
