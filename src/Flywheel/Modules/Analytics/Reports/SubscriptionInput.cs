using System.Globalization;
using System.Text.Json;
using Flywheel.Platform.Api;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// The fields of a report subscription as a request gives them, read and checked field by field. On a change
/// (PATCH) absent fields are null and left as they are; "" (or JSON null) clears background, goals and webhook_url.
/// </summary>
public sealed record SubscriptionInput(
    string? Name, string? Cadence, TimeOnly? SendAt, string? Locale, string? Background, string? Goals,
    Dictionary<string, decimal>? Targets, string? WebhookUrl, bool? FileDrop, bool? Enabled, bool RotateSecret)
{
    public static readonly string[] CreateFields =
        ["name", "cadence", "send_at", "locale", "background", "goals", "targets", "webhook_url", "file_drop", "enabled"];

    public static readonly string[] ChangeFields = [.. CreateFields, "rotate_secret"];

    public static SubscriptionInput Read(JsonElement body, FieldErrors errors)
    {
        var j = new JsonInput(body, errors);
        var name = JsonInput.Change(body, "name", errors);
        if (name is not null && (name.Length == 0 || name.Length > 200))
        {
            errors.Add("name", "must be 1 to 200 characters.");
        }
        var cadence = j.Text("cadence");
        if (cadence is not null && !ReportCadences.All.Contains(cadence))
        {
            errors.Add("cadence", $"'{cadence}' is not one of {string.Join(", ", ReportCadences.All)}.");
        }
        TimeOnly? sendAt = null;
        if (j.Text("send_at") is { } text)
        {
            if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
            {
                sendAt = t;
            }
            else
            {
                errors.Add("send_at", $"'{text}' is not a local time of day HH:mm (e.g. 09:00).");
            }
        }
        var locale = j.Text("locale");
        if (locale is not null && !ReportText.Locales.Contains(locale))
        {
            errors.Add("locale", $"'{locale}' is not one of {string.Join(", ", ReportText.Locales)}.");
        }
        var background = Long(JsonInput.Change(body, "background", errors), "background", errors);
        var goals = Long(JsonInput.Change(body, "goals", errors), "goals", errors);
        var targets = body.TryGetProperty("targets", out var t2) ? ReportTargets.Read(t2, errors) : null;
        var webhook = JsonInput.Change(body, "webhook_url", errors);
        if (webhook is { Length: > 0 } && (webhook.Length > 2000 || !Uri.TryCreate(webhook, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add("webhook_url", "must be an absolute http or https URL of at most 2000 characters.");
        }
        return new SubscriptionInput(name, cadence, sendAt, locale, background, goals, targets, webhook, j.Bool("file_drop"), j.Bool("enabled"),
            j.Bool("rotate_secret") ?? false);
    }

    private static string? Long(string? text, string field, FieldErrors errors)
    {
        if (text is { Length: > 4000 })
        {
            errors.Add(field, "must be at most 4000 characters.");
        }
        return text;
    }
}
