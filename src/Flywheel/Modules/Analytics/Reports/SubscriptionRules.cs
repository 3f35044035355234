using System.Security.Cryptography;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>What every change of a report subscription must respect, and the lookups the endpoints share.</summary>
public static class SubscriptionRules
{
    public const string DefaultSendAt = "09:00";

    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static Task<ReportSubscription?> FindAsync(FlywheelDb db, string workspaceId, string id, CancellationToken ct) =>
        db.ReportSubscriptions.FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Id == id, ct);

    public static ProblemHttpResult NotFound(string id) => Problems.NotFound($"No report subscription '{id}' in this workspace.");

    public static ProblemHttpResult NameTaken(string name) => Problems.Conflict($"A report subscription named '{name}' already exists.");

    public static Task<bool> NameTakenAsync(FlywheelDb db, string workspaceId, string name, string? exceptId, CancellationToken ct) =>
        db.ReportSubscriptions.AnyAsync(s => s.WorkspaceId == workspaceId && s.Name == name && s.Id != exceptId, ct);

    /// <summary>The next due time of an enabled subscription after <paramref name="now"/>; null when it is disabled.</summary>
    public static DateTimeOffset? NextRunAt(ReportSubscription s, TimeZoneInfo zone, DateTimeOffset now) =>
        s.Enabled ? ReportSchedule.NextDue(s.Cadence, TimeOnly.ParseExact(s.SendAt, "HH:mm", System.Globalization.CultureInfo.InvariantCulture), zone, now) : null;
}
