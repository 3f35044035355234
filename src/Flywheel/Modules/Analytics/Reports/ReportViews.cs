using System.Text.Json;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>A subscription as the API shows it. The webhook secret is shown only when it is made (create, rotate).</summary>
public sealed record SubscriptionView(
    string Id, string Name, string Cadence, string SendAt, string Locale, string TimeZone, string? Background, string? Goals,
    IReadOnlyDictionary<string, decimal> Targets, string? WebhookUrl, string? WebhookSecret, bool FileDrop, string? FileDropFolder,
    bool Enabled, DateTimeOffset? NextRunAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static SubscriptionView From(ReportSubscription s, string timeZone, string? folder, bool showSecret = false) => new(
        s.Id, s.Name, s.Cadence, s.SendAt, s.Locale, timeZone, s.Background, s.Goals, ReportTargets.Parse(s.Targets), s.WebhookUrl,
        showSecret ? s.WebhookSecret : null, s.FileDrop, s.FileDrop ? folder : null, s.Enabled, s.NextRunAt, s.CreatedAt, s.UpdatedAt);
}

/// <summary>What the audit log keeps of a subscription: everything but the secret.</summary>
public sealed record SubscriptionAuditView(
    string Name, string Cadence, string SendAt, string Locale, string? Background, string? Goals, string Targets, string? WebhookUrl,
    bool FileDrop, bool Enabled)
{
    public static SubscriptionAuditView From(ReportSubscription s) =>
        new(s.Name, s.Cadence, s.SendAt, s.Locale, s.Background, s.Goals, s.Targets, s.WebhookUrl, s.FileDrop, s.Enabled);
}

public sealed record RunLinks(string Report, string Html, string Download, IReadOnlyDictionary<string, string> Charts);

/// <summary>A report run as the API shows it; <see cref="Figures"/> only when one run is asked for.</summary>
public sealed record RunView(
    string Id, string SubscriptionId, string Trigger, string PeriodFrom, string PeriodTo, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt, string? Error, string? FilePath, string WebhookStatus, int WebhookAttempts, string? WebhookError,
    RunLinks? Links, JsonElement? Figures)
{
    public static RunView From(ReportRun r, bool withFigures = false) => new(
        r.Id, r.SubscriptionId, r.Trigger, r.PeriodFrom, r.PeriodTo, r.Status, r.CreatedAt, r.FinishedAt, r.Error, r.FilePath,
        r.WebhookStatus, r.WebhookAttempts, r.WebhookError,
        r.Status == ReportRunStatus.Done
            ? new RunLinks(ReportLinks.Run(r.Id), ReportLinks.Html(r.Id), ReportLinks.Html(r.Id) + "?download=true",
                ReportCharts.Names.ToDictionary(n => n, n => ReportLinks.Chart(r.Id, n)))
            : null,
        withFigures && r.Summary is not null ? JsonDocument.Parse(r.Summary).RootElement.Clone() : null);
}

internal static class SubscriptionLookups
{
    public static async Task<string> TimeZoneAsync(FlywheelDb db, string workspaceId, CancellationToken ct) =>
        (await WorkspaceSettings.LoadAsync(db, workspaceId, ct)).Zone.Id;
}
