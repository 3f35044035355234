using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Platform.State;

/// <summary>
/// Follows the event store in sequence order and applies events to state-store rows. Each batch and the projection's
/// checkpoint are saved in one transaction, so every event is applied exactly once, also across crashes; a stopped
/// projection catches up from its checkpoint. Woken by each load into the event store.
/// </summary>
public abstract class EventProjection(StateStore state, IEventStore events, IngestPipeline pipeline, ILogger logger) : BackgroundService
{
    private const int BatchSize = 20_000;
    private readonly SemaphoreSlim wake = new(0);
    private long applied;

    /// <summary>The checkpoint's name; stable forever once deployed.</summary>
    protected abstract string Name { get; }

    /// <summary>The highest sequence number applied so far.</summary>
    public long AppliedSeq => Interlocked.Read(ref applied);

    /// <summary>Applies a batch (ascending sequence numbers) to <paramref name="db"/>; the caller saves and commits.</summary>
    protected abstract Task ApplyAsync(FlywheelDb db, IReadOnlyList<EventRecord> batch, CancellationToken ct);

    /// <summary>Waits until every event loaded before the call has been applied.</summary>
    public async Task WaitForAppliedAsync(CancellationToken ct)
    {
        await pipeline.WaitForLoadedAsync(ct);
        var target = pipeline.LoadedSeq;
        while (AppliedSeq < target)
        {
            wake.Release();
            await Task.Delay(10, ct);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        pipeline.Loaded += OnLoaded;
        try
        {
            await using (var db = state.Open())
            {
                applied = (await db.ProjectionCheckpoints.AsNoTracking().FirstOrDefaultAsync(c => c.Name == Name, stoppingToken))?.Position ?? 0;
            }
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = await events.ReadAfterAsync(AppliedSeq, BatchSize, stoppingToken);
                if (batch.Count == 0)
                {
                    await wake.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
                    continue;
                }
                try
                {
                    await SaveAsync(batch, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Projection {Name} failed at event #{Seq}; retrying", Name, batch[0].Seq);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            pipeline.Loaded -= OnLoaded;
        }
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task SaveAsync(IReadOnlyList<EventRecord> batch, CancellationToken ct)
    {
        await using var db = state.Open();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ApplyAsync(db, batch, ct);
        var last = batch[^1].Seq;
        var checkpoint = await db.ProjectionCheckpoints.FirstOrDefaultAsync(c => c.Name == Name, ct);
        if (checkpoint is null)
        {
            db.ProjectionCheckpoints.Add(new ProjectionCheckpoint { Name = Name, Position = last });
        }
        else
        {
            checkpoint.Position = last;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        Interlocked.Exchange(ref applied, last);
    }

    private void OnLoaded(long seq) => wake.Release();
}
