using Flywheel.Platform;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// Runs reports: claims each due scheduled report exactly once, makes it, drops it in the folder and queues its webhook,
/// and sends queued webhooks with retries. Claiming is one transaction that inserts the run under its unique schedule
/// key and moves the subscription's next due time on only if nobody moved it meanwhile, so two nodes (or two loops of
/// one) never run the same due report twice.
/// </summary>
public sealed class ReportRunner(StateStore state, ReportMaker maker, ReportDelivery delivery, TimeProvider clock, ILogger<ReportRunner> logger)
{
    /// <summary>A run still "running" this long after it was claimed lost its maker (a crash): it is made again.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Runs what is due now: scheduled reports, remakes of stuck runs, and webhook attempts. Returns when something will
    /// next be due (null when nothing is scheduled).
    /// </summary>
    public async Task<DateTimeOffset?> RunDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<ReportSubscription> due;
        await using (var db = state.Open())
        {
            due = await db.ReportSubscriptions.AsNoTracking().Where(s => s.Enabled && s.NextRunAt != null && s.NextRunAt <= now)
                .OrderBy(s => s.NextRunAt).ToListAsync(ct);
        }
        foreach (var s in due)
        {
            if (await ClaimAsync(s, ct) is { } run)
            {
                await MakeAsync(run.Id, ct);
            }
        }
        await RemakeStuckAsync(ct);
        await SendWebhooksAsync(ct);
        await using var read = state.Open();
        var nextRun = await read.ReportSubscriptions.Where(s => s.Enabled && s.NextRunAt != null).MinAsync(s => s.NextRunAt, ct);
        var nextWebhook = await read.ReportRuns.Where(r => r.WebhookStatus == ReportRunStatus.Pending).MinAsync(r => r.WebhookNextAt, ct);
        return nextRun is null ? nextWebhook : nextWebhook is null || nextRun < nextWebhook ? nextRun : nextWebhook;
    }

    /// <summary>Inserts the scheduled run of <paramref name="s"/>'s due time and moves its next due time on; null when another claimed it.</summary>
    private async Task<ReportRun?> ClaimAsync(ReportSubscription s, CancellationToken ct)
    {
        var dueAt = s.NextRunAt!.Value;
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, s.WorkspaceId, ct);
        var (from, to) = ReportSchedule.PeriodBefore(s.Cadence, LocalDays.DateOf(dueAt, settings.Zone));
        var now = clock.GetUtcNow();
        // After a long stop only the latest due report is made; the ones missed meanwhile are skipped, not sent late in a burst.
        var next = ReportSchedule.NextDue(s.Cadence, TimeOnly.Parse(s.SendAt, System.Globalization.CultureInfo.InvariantCulture), settings.Zone,
            now > dueAt ? now : dueAt);
        var run = NewRun(s, ReportRunTriggers.Schedule, from, to, now, $"{s.Id}@{dueAt.UtcTicks}");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var moved = await db.ReportSubscriptions.Where(x => x.Id == s.Id && x.NextRunAt == dueAt && x.Enabled)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.NextRunAt, next), ct);
            if (moved == 0)
            {
                return null;
            }
            db.ReportRuns.Add(run);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return run;
        }
        catch (DbUpdateException)
        {
            // The schedule key is taken: another node claimed this due report first.
            return null;
        }
    }

    public static ReportRun NewRun(ReportSubscription s, string trigger, DateOnly from, DateOnly to, DateTimeOffset now, string? scheduleKey) => new()
    {
        Id = Ids.New("rrun"),
        WorkspaceId = s.WorkspaceId,
        SubscriptionId = s.Id,
        Trigger = trigger,
        ScheduleKey = scheduleKey,
        PeriodFrom = from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        PeriodTo = to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        CreatedAt = now,
        Status = ReportRunStatus.Running,
    };

    /// <summary>Makes a claimed run's report, stores it, drops it in the folder and queues its webhook.</summary>
    public async Task MakeAsync(string runId, CancellationToken ct)
    {
        await using var db = state.Open();
        var run = await db.ReportRuns.Include(r => r.Charts).FirstAsync(r => r.Id == runId, ct);
        var s = await db.ReportSubscriptions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == run.SubscriptionId, ct);
        if (s is null)
        {
            return;
        }
        try
        {
            var made = await maker.MakeAsync(s, run.Id, DateOnly.Parse(run.PeriodFrom, System.Globalization.CultureInfo.InvariantCulture),
                DateOnly.Parse(run.PeriodTo, System.Globalization.CultureInfo.InvariantCulture), ct);
            run.Html = made.Html;
            run.Summary = ReportMaker.Serialize(made.Figures);
            run.Charts.Clear();
            run.Charts.AddRange(made.Charts.Select(c => new ReportChart { RunId = run.Id, Name = c.Name, Png = c.Png }));
            if (s.FileDrop)
            {
                run.FilePath = await delivery.DropAsync(run, made, ct);
            }
            run.Status = ReportRunStatus.Done;
            run.Error = null;
            if (s.WebhookUrl is not null)
            {
                run.WebhookStatus = ReportRunStatus.Pending;
                run.WebhookNextAt = clock.GetUtcNow();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Report run {Run} failed", run.Id);
            run.Status = ReportRunStatus.Failed;
            run.Error = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
        }
        run.FinishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    private async Task RemakeStuckAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow() - StuckAfter;
        List<string> stuck;
        await using (var db = state.Open())
        {
            stuck = await db.ReportRuns.Where(r => r.Status == ReportRunStatus.Running && r.CreatedAt < before).Select(r => r.Id).ToListAsync(ct);
        }
        foreach (var id in stuck)
        {
            logger.LogWarning("Report run {Run} was left unfinished; making it again", id);
            await MakeAsync(id, ct);
        }
    }

    /// <summary>How long an attempt holds its run: a node that dies mid-attempt leaves it to be tried again after this.</summary>
    public static readonly TimeSpan AttemptHold = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Sends each queued webhook whose attempt is due; a failure waits by <see cref="ReportDelivery.Backoff"/>. Each attempt
    /// is claimed first (its count moved on only if nobody else moved it), so two senders never post the same attempt.
    /// </summary>
    public async Task SendWebhooksAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = state.Open();
        var pending = await db.ReportRuns.AsNoTracking().Where(r => r.WebhookStatus == ReportRunStatus.Pending && r.WebhookNextAt <= now)
            .OrderBy(r => r.WebhookNextAt).Select(r => new { r.Id, r.SubscriptionId, r.WebhookAttempts }).ToListAsync(ct);
        foreach (var p in pending)
        {
            var hold = clock.GetUtcNow() + AttemptHold;
            var attempt = p.WebhookAttempts + 1;
            var claimed = await db.ReportRuns
                .Where(r => r.Id == p.Id && r.WebhookStatus == ReportRunStatus.Pending && r.WebhookAttempts == p.WebhookAttempts)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.WebhookAttempts, attempt).SetProperty(r => r.WebhookNextAt, hold), ct);
            if (claimed == 0)
            {
                continue;
            }
            var run = await db.ReportRuns.AsNoTracking().FirstAsync(r => r.Id == p.Id, ct);
            var s = await db.ReportSubscriptions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == p.SubscriptionId, ct);
            string? error;
            if (s?.WebhookUrl is null)
            {
                error = "The subscription no longer has a webhook.";
                attempt = ReportDelivery.MaxAttempts;
            }
            else
            {
                error = await delivery.PostAsync(s.WebhookUrl, s.WebhookSecret, run.Id, ReportDelivery.Body(run, run.Summary!, run.Html!), ct);
                error = error is { Length: > 2000 } ? error[..2000] : error;
            }
            var (status, next) = error is null ? (ReportRunStatus.Delivered, (DateTimeOffset?)null)
                : attempt >= ReportDelivery.MaxAttempts ? (ReportRunStatus.Failed, null)
                : (ReportRunStatus.Pending, clock.GetUtcNow() + ReportDelivery.Backoff[attempt - 1]);
            await db.ReportRuns.Where(r => r.Id == p.Id && r.WebhookAttempts == attempt)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.WebhookStatus, status).SetProperty(r => r.WebhookNextAt, next)
                    .SetProperty(r => r.WebhookError, error), ct);
        }
    }
}

public static class ReportRunTriggers
{
    public const string Schedule = "schedule";
    public const string Manual = "manual";
}

public static class ReportRunStatus
{
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string None = "none";
}
