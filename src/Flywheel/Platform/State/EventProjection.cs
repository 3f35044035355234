using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Platform.State;

/// <summary>
/// Follows the event store in sequence order and applies events to state-store rows. Each range of events and the
/// projection's checkpoint are saved in one transaction, so every event is applied exactly once, also across crashes;
/// a stopped projection catches up from its checkpoint. Woken by each load into the event store.
/// </summary>
public abstract class EventProjection(StateStore state, IEventStore events, IngestPipeline pipeline, ILogger logger) : BackgroundService
{
    /// <summary>
    /// Most sequence numbers per step. When a projection keeps up, a step is what one load brought (at most 122,880
    /// events); when it is behind, large steps let it fold many events of one customer into one write.
    /// </summary>
    private const long Step = 250_000;

    /// <summary>Live feeds not yet applied; past this many loads the oldest are dropped and read back instead.</summary>
    private const int MaxLiveLoads = 8;

    private readonly SemaphoreSlim wake = new(0);
    private readonly System.Collections.Concurrent.ConcurrentQueue<LoadedRange> live = new();
    private readonly SequenceWaiters applied = new();

    /// <summary>The checkpoint's name; stable forever once deployed.</summary>
    protected abstract string Name { get; }

    /// <summary>The events this projection reads.</summary>
    protected abstract EventSelection Selection { get; }

    /// <summary>The highest sequence number applied so far.</summary>
    public long AppliedSeq => applied.Reached;

    /// <summary>Applies a batch (ascending sequence numbers, possibly empty) to <paramref name="db"/>; the caller saves and commits.</summary>
    protected abstract Task ApplyAsync(FlywheelDb db, IReadOnlyList<EventRecord> batch, CancellationToken ct);

    /// <summary>Called after the batch last applied was committed: the moment caches of what is stored may learn it.</summary>
    protected virtual void Committed()
    {
    }

    /// <summary>Waits until every event acknowledged before the call has been applied.</summary>
    public async Task WaitForAppliedAsync(CancellationToken ct)
    {
        await pipeline.WaitForLoadedAsync(ct);
        var wait = applied.WaitAsync(pipeline.LoadedSeq, ct);
        if (!wait.IsCompleted)
        {
            wake.Release();
        }
        await wait;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        pipeline.Loaded += OnLoaded;
        // Events of the types this projection reads whole come whole in the live feed; the rest lean.
        pipeline.RequestFeed(Selection.PropertiesOf ?? Selection.Types);
        try
        {
            await using (var db = state.Open())
            {
                applied.Advance((await db.ProjectionCheckpoints.AsNoTracking().FirstOrDefaultAsync(c => c.Name == Name, stoppingToken))?.Position ?? 0);
            }
            while (!stoppingToken.IsCancellationRequested)
            {
                var from = AppliedSeq;
                var loaded = pipeline.LoadedSeq;
                if (loaded <= from)
                {
                    await wake.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
                    continue;
                }
                try
                {
                    IReadOnlyList<EventRecord> batch;
                    long through;
                    if (TakeLive(from) is { } range)
                    {
                        through = range.ThroughSeq;
                        batch = Selection.Types is null ? range.Events! : range.Events!.Where(e => Selection.Types.Contains(e.Type)).ToList();
                    }
                    else
                    {
                        // Behind the live feed (after a start, or when it was dropped): read the range back, up to where
                        // the feed resumes.
                        through = Math.Min(from + Step, live.TryPeek(out var next) && next.AfterSeq > from ? next.AfterSeq : loaded);
                        batch = await events.ReadRangeAsync(from, through, Selection, stoppingToken);
                    }
                    await SaveAsync(batch, through, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Projection {Name} failed after event #{Seq}; retrying", Name, from);
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

    private async Task SaveAsync(IReadOnlyList<EventRecord> batch, long through, CancellationToken ct)
    {
        await using var db = state.Open();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (batch.Count > 0)
        {
            await ApplyAsync(db, batch, ct);
        }
        var checkpoint = await db.ProjectionCheckpoints.FirstOrDefaultAsync(c => c.Name == Name, ct);
        if (checkpoint is null)
        {
            db.ProjectionCheckpoints.Add(new ProjectionCheckpoint { Name = Name, Position = through });
        }
        else
        {
            checkpoint.Position = through;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        Committed();
        applied.Advance(through);
    }

    /// <summary>The live feed of the range right after <paramref name="from"/>, if the loader offered it.</summary>
    private LoadedRange? TakeLive(long from)
    {
        while (live.TryPeek(out var range))
        {
            if (range.ThroughSeq <= from)
            {
                live.TryDequeue(out _);
                continue;
            }
            if (range.AfterSeq == from && live.TryDequeue(out _))
            {
                return range;
            }
            return null;
        }
        return null;
    }

    private void OnLoaded(LoadedRange range)
    {
        if (range.Events is not null)
        {
            live.Enqueue(range);
            while (live.Count > MaxLiveLoads)
            {
                live.TryDequeue(out _);
            }
        }
        wake.Release();
    }
}
