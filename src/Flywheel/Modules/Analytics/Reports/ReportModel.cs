using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// A workspace's subscription to a periodic report: its cadence and local send time, the targets its metrics are held
/// against, the text that opens it, and where it is delivered (the file drop and/or a webhook).
/// </summary>
public sealed class ReportSubscription
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; set; }
    /// <summary>weekly, monthly or quarterly (<see cref="ReportCadences"/>).</summary>
    public required string Cadence { get; set; }
    /// <summary>Local time of day (HH:mm, workspace time zone) the report is made on its day.</summary>
    public required string SendAt { get; set; }
    /// <summary>en or zh-CN: the language the report is written in.</summary>
    public required string Locale { get; set; }
    public string? Background { get; set; }
    public string? Goals { get; set; }
    /// <summary>Targets by metric, a JSON object of numbers (money in major units).</summary>
    public string Targets { get; set; } = "{}";
    public string? WebhookUrl { get; set; }
    /// <summary>The key webhook bodies are signed with (HMAC-SHA256); made when the subscription is.</summary>
    public required string WebhookSecret { get; set; }
    public bool FileDrop { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>When the next scheduled report is due (UTC); null while disabled.</summary>
    public DateTimeOffset? NextRunAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One report made for a subscription and period. A scheduled run carries <see cref="ScheduleKey"/> (the subscription and
/// its due time), unique per workspace: whichever node inserts it first makes the report, so a due report runs once.
/// </summary>
public sealed class ReportRun
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string SubscriptionId { get; init; }
    /// <summary>schedule or manual.</summary>
    public required string Trigger { get; init; }
    public string? ScheduleKey { get; init; }
    /// <summary>First and last local date covered (yyyy-MM-dd).</summary>
    public required string PeriodFrom { get; init; }
    public required string PeriodTo { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>running, done or failed.</summary>
    public required string Status { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }
    /// <summary>The report as a self-contained HTML page (charts embedded).</summary>
    public string? Html { get; set; }
    /// <summary>The report's figures as JSON: what the webhook sends and the API shows.</summary>
    public string? Summary { get; set; }
    /// <summary>Where the file drop put the report; null when the subscription has no file drop.</summary>
    public string? FilePath { get; set; }
    /// <summary>none, pending, delivered or failed.</summary>
    public string WebhookStatus { get; set; } = "none";
    public int WebhookAttempts { get; set; }
    public DateTimeOffset? WebhookNextAt { get; set; }
    public string? WebhookError { get; set; }
    public List<ReportChart> Charts { get; init; } = [];
}

/// <summary>A chart of a report as a PNG image.</summary>
public sealed class ReportChart
{
    public required string RunId { get; init; }
    public required string Name { get; init; }
    public required byte[] Png { get; init; }
}

internal sealed class ReportSubscriptionConfiguration : IEntityTypeConfiguration<ReportSubscription>
{
    public void Configure(EntityTypeBuilder<ReportSubscription> b)
    {
        b.ToTable("ana_report_subscriptions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Cadence).HasMaxLength(20);
        b.Property(x => x.SendAt).HasMaxLength(5);
        b.Property(x => x.Locale).HasMaxLength(10);
        b.Property(x => x.Background).HasMaxLength(4000);
        b.Property(x => x.Goals).HasMaxLength(4000);
        b.Property(x => x.Targets).HasMaxLength(4000);
        b.Property(x => x.WebhookUrl).HasMaxLength(2000);
        b.Property(x => x.WebhookSecret).HasMaxLength(100);
        b.HasIndex(x => new { x.WorkspaceId, x.Name }).IsUnique();
        b.HasIndex(x => x.NextRunAt);
    }
}

internal sealed class ReportRunConfiguration : IEntityTypeConfiguration<ReportRun>
{
    public void Configure(EntityTypeBuilder<ReportRun> b)
    {
        b.ToTable("ana_report_runs");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(40);
        b.Property(x => x.WorkspaceId).HasMaxLength(40);
        b.Property(x => x.SubscriptionId).HasMaxLength(40);
        b.Property(x => x.Trigger).HasMaxLength(20);
        b.Property(x => x.ScheduleKey).HasMaxLength(100);
        b.Property(x => x.PeriodFrom).HasMaxLength(10);
        b.Property(x => x.PeriodTo).HasMaxLength(10);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.Error).HasMaxLength(2000);
        b.Property(x => x.FilePath).HasMaxLength(1000);
        b.Property(x => x.WebhookStatus).HasMaxLength(20);
        b.Property(x => x.WebhookError).HasMaxLength(2000);
        // Nulls are distinct in a unique index on SQLite and PostgreSQL alike: manual runs never clash.
        b.HasIndex(x => new { x.WorkspaceId, x.ScheduleKey }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.SubscriptionId, x.CreatedAt });
        b.HasIndex(x => new { x.WebhookStatus, x.WebhookNextAt });
        b.HasMany(x => x.Charts).WithOne().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReportChartConfiguration : IEntityTypeConfiguration<ReportChart>
{
    public void Configure(EntityTypeBuilder<ReportChart> b)
    {
        b.ToTable("ana_report_charts");
        b.HasKey(x => new { x.RunId, x.Name });
        b.Property(x => x.RunId).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(40);
    }
}
