using Flywheel.Platform.Cluster;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Platform.State;

/// <summary>
/// Follows the event store in sequence order and applies events to state-store rows. Each range of events and the
/// projection's checkpoint are saved in one transaction, so every event is applied exactly once, also across crashes;
/// a stopped projection catches up from its checkpoint. Woken by each load into the event store.
/// Among several nodes, one applies at a time — the holder of the projection's lease; the others follow its checkpoint
/// so that their readers can wait for their own writes. The transaction moves the checkpoint only from where it read
/// it, so even a node that lost its lease without noticing cannot apply a range twice.
/// </summary>
public abstract class EventProjection(StateStore state, IEventStore events, IngestPipeline pipeline, ClusterNode node, ILogger logger) : BackgroundService
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

    /// <summary>
    /// Called before applying resumes from a checkpoint another node may have moved (on taking the lease): caches of
    /// what is stored must be forgotten.
    /// </summary>
    protected virtual void StoredElsewhere()
    {
    }

    /// <summary>
    /// Called before the transaction that applies <paramref name="batch"/> opens: the place to wait for other projections
    /// or take locks that must not be waited for while holding the store's write lock. What it returns is disposed once
    /// the batch is committed or has failed.
    /// </summary>
    protected virtual Task<IAsyncDisposable?> PrepareAsync(IReadOnlyList<EventRecord> batch, long throughSeq, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable?>(null);

    /// <summary>Waits until this projection has applied every event up to <paramref name="seq"/>.</summary>
    public Task WaitForSeqAsync(long seq, CancellationToken ct) => applied.WaitAsync(seq, ct);

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
            await EnsureCheckpointAsync(stoppingToken);
            if (node.SharedByNodes)
            {
                await Task.WhenAll(node.WhileLeaderAsync("projection:" + Name, ApplyLoadedAsync, stoppingToken), FollowCheckpointAsync(stoppingToken));
            }
            else
            {
                await ApplyLoadedAsync(stoppingToken);
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

    /// <summary>Applies what is loaded, from the stored checkpoint on, until <paramref name="ct"/> is cancelled.</summary>
    private async Task ApplyLoadedAsync(CancellationToken ct)
    {
        StoredElsewhere();
        applied.Advance(await ReadCheckpointAsync(ct));
        while (!ct.IsCancellationRequested)
        {
            var from = AppliedSeq;
            var loaded = pipeline.LoadedSeq;
            if (loaded <= from)
            {
                await wake.WaitAsync(TimeSpan.FromSeconds(5), ct);
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
                    batch = await events.ReadRangeAsync(from, through, Selection, ct);
                }
                var held = await PrepareAsync(batch, through, ct);
                try
                {
                    await SaveAsync(batch, from, through, ct);
                }
                finally
                {
                    if (held is not null)
                    {
                        await held.DisposeAsync();
                    }
                }
            }
            catch (CheckpointMovedException)
            {
                logger.LogWarning("Projection {Name}: another node applied events after #{Seq}; continuing from its checkpoint", Name, from);
                StoredElsewhere();
                applied.Advance(await ReadCheckpointAsync(ct));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Projection {Name} failed after event #{Seq}; retrying", Name, from);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    /// <summary>Among several nodes: keeps <see cref="AppliedSeq"/> up with the checkpoint, whichever node moves it.</summary>
    private async Task FollowCheckpointAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(node.Options.PollInterval, ct);
            try
            {
                applied.Advance(await ReadCheckpointAsync(ct));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Projection {Name}: could not read the checkpoint", Name);
            }
        }
    }

    private async Task<long> ReadCheckpointAsync(CancellationToken ct)
    {
        await using var db = state.Open();
        return (await db.ProjectionCheckpoints.AsNoTracking().FirstAsync(c => c.Name == Name, ct)).Position;
    }

    /// <summary>Makes the checkpoint row on first start, so that every save is an update of it.</summary>
    private async Task EnsureCheckpointAsync(CancellationToken ct)
    {
        await using var db = state.Open();
        if (await db.ProjectionCheckpoints.AnyAsync(c => c.Name == Name, ct))
        {
            return;
        }
        db.ProjectionCheckpoints.Add(new ProjectionCheckpoint { Name = Name, Position = 0 });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node made it at the same moment.
        }
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task SaveAsync(IReadOnlyList<EventRecord> batch, long from, long through, CancellationToken ct)
    {
        await using var db = state.Open();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // First, so that on PostgreSQL a second writer waits here on the row lock, then finds the checkpoint moved.
        var moved = await db.ProjectionCheckpoints.Where(c => c.Name == Name && c.Position == from)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Position, through), ct);
        if (moved == 0)
        {
            throw new CheckpointMovedException();
        }
        if (batch.Count > 0)
        {
            await ApplyAsync(db, batch, ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        Committed();
        applied.Advance(through);
    }

    private sealed class CheckpointMovedException : Exception;

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
