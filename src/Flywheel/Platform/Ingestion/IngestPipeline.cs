using System.Threading.Channels;
using Flywheel.Platform.Cluster;
using Flywheel.Platform.Counters;
using Flywheel.Platform.Events;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Flywheel.Platform.Ingestion;

/// <summary>What happened to a submitted group of events.</summary>
public readonly record struct IngestResult(int Stored, int Duplicates);

/// <summary>
/// A range of events just loaded into the event store: (<paramref name="AfterSeq"/>, <paramref name="ThroughSeq"/>].
/// <paramref name="Events"/> is the live feed of that range when projections asked for one (events of the types they
/// need whole are the very records loaded; others are lean copies, as <see cref="EventSelection.PropertiesOf"/>
/// describes), so a projection that keeps up need not read the range back; null otherwise.
/// </summary>
public sealed record LoadedRange(long AfterSeq, long ThroughSeq, IReadOnlyList<EventRecord>? Events);

/// <summary>Thrown when the writer is behind; the API answers 429 with Retry-After.</summary>
public sealed class IngestOverloadedException(TimeSpan retryAfter) : Exception("The event writer is behind; retry later.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

public sealed class IngestOptions
{
    public const string Section = "Flywheel:Ingest";

    /// <summary>Most events accepted but not yet loaded into the event store before new requests get 429.</summary>
    public int MaxBacklog { get; set; } = 1_000_000;

    /// <summary>Events per load into the event store: one DuckDB row group, which DuckDB writes compressed and directly.</summary>
    public int LoadBatch { get; set; } = 122_880;

    /// <summary>Longest an accepted event waits before it is loaded (and visible to queries and projections).</summary>
    public TimeSpan LoadDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Events per second each API key (or console user) may send, as a token bucket in the hot counters; 0 turns the
    /// limit off. The default is far above what one node ingests, so it only stops a runaway client.
    /// </summary>
    public int RateLimitPerSecond { get; set; } = 1_000_000;

    /// <summary>Events a key may send at once after being idle (the bucket's size); 0 means one second's worth.</summary>
    public int RateLimitBurst { get; set; }
}

/// <summary>
/// The way every event enters Flywheel. Two single-threaded stages:
/// the <b>writer</b> drops duplicates, numbers the group, appends it to the fsync'ed <see cref="IngestLog"/>, and only
/// then completes the submitters' tasks — so a 2xx means durable; the <b>loader</b> moves accepted events into the
/// event store in large batches and advances <see cref="LoadedSeq"/>.
/// <para><b>Alone</b> (in-process counters), the node's numbers are the store's sequence numbers; the dedup index
/// covers every event ever accepted; on start, events in the log beyond what the store holds are loaded again (exactly
/// once: the store's highest sequence number is the checkpoint).</para>
/// <para><b>Among several nodes</b> (shared counters), the log numbers are the node's own. The loader takes the
/// installation's load lock, gives the batch the store's next sequence numbers — so numbers stay gap-free and become
/// visible in order whichever node loads — drops events another node stored already (<see cref="SharedClaims"/>),
/// commits, and records in the counters how far through its log it has loaded; that mark is where a restart resumes.
/// The writer drops duplicates it can prove stored; one in flight on another node is dropped by the loader. A poller
/// follows the loads of other nodes so that projections see them. See docs/adr/0005.</para>
/// </summary>
public sealed class IngestPipeline : IHostedService, IAsyncDisposable
{
    private readonly IEventStore store;
    private readonly ClusterNode node;
    private readonly ICounters counters;
    private readonly IngestOptions options;
    private readonly ILogger<IngestPipeline> logger;
    private readonly IngestLog log;
    private readonly DedupIndex dedup = new();
    private readonly Channel<Submission> submissions = Channel.CreateUnbounded<Submission>(new() { SingleReader = true });
    private readonly Channel<IReadOnlyList<EventRecord>> accepted = Channel.CreateUnbounded<IReadOnlyList<EventRecord>>(new() { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource stopping = new();
    private TaskCompletionSource flushRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? writerTask;
    private Task? loaderTask;
    private Task? pollerTask;
    private bool disposed;
    // Numbers in the ingest log: the store's sequence numbers when alone, the node's own among several.
    private long nextSeq = 1;
    private long backlog;
    private long acceptedSeq;
    private readonly SequenceWaiters loadedLocal = new();
    private readonly SequenceWaiters loaded = new();
    private SharedClaims? claims;

    private readonly Counter storedEvents;
    private readonly Counter duplicateEvents;

    public IngestPipeline(IEventStore store, ClusterNode node, ICounters counters, IOptions<FlywheelOptions> flywheel,
        IOptions<IngestOptions> options, CollectorRegistry metrics, ILogger<IngestPipeline> logger)
    {
        var factory = Metrics.WithCustomRegistry(metrics);
        storedEvents = factory.CreateCounter("flywheel_events_stored_total", "Events made durable by the ingest log.");
        duplicateEvents = factory.CreateCounter("flywheel_events_duplicates_total", "Events dropped as duplicates of events already stored.");
        var backlogGauge = factory.CreateGauge("flywheel_ingest_backlog_events", "Events accepted but not yet loaded into the event store.");
        var loadedGauge = factory.CreateGauge("flywheel_events_loaded_seq", "Sequence number of the last event loaded into the event store.");
        metrics.AddBeforeCollectCallback(() =>
        {
            backlogGauge.Set(Interlocked.Read(ref backlog));
            loadedGauge.Set(LoadedSeq);
        });
        this.store = store;
        this.node = node;
        this.counters = counters;
        this.options = options.Value;
        this.logger = logger;
        log = new IngestLog(Path.Combine(flywheel.Value.FullDataDir, "ingest-log"));
    }

    /// <summary>The highest sequence number loaded into the event store (by any node, as far as this one knows).</summary>
    public long LoadedSeq => loaded.Reached;

    /// <summary>Raised (on the loader) after each load; projections wake on it and may take its live feed.</summary>
    public event Action<LoadedRange>? Loaded;

    /// <summary>
    /// Asks the loader to keep a live feed of each load: events of <paramref name="wholeTypes"/> whole (null: every
    /// type whole), all others lean. Loads before the first request carry no feed.
    /// </summary>
    public void RequestFeed(IReadOnlyCollection<string>? wholeTypes)
    {
        lock (feedLock)
        {
            if (wholeTypes is null)
            {
                feedAllWhole = true;
            }
            else
            {
                feedWholeTypes = new HashSet<string>(feedWholeTypes.Concat(wholeTypes), StringComparer.Ordinal);
            }
            feedWanted = true;
        }
    }

    private readonly Lock feedLock = new();
    private volatile bool feedWanted;
    private volatile bool feedAllWhole;
    private volatile HashSet<string> feedWholeTypes = new(StringComparer.Ordinal);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        var stored = await store.GetLoadedSeqAsync(cancellationToken);
        long resumeAfter;
        if (node.SharedByNodes)
        {
            claims = new SharedClaims(counters, store, node);
            resumeAfter = await counters.GetAsync(NodeLoadedKey, cancellationToken);
        }
        else
        {
            resumeAfter = stored;
            await store.ForEachDedupHashAsync(h => dedup.Add(h), cancellationToken);
        }
        var replay = new List<EventRecord>();
        foreach (var e in log.Replay(resumeAfter))
        {
            replay.Add(e);
            dedup.Add(e.DedupHash);
        }
        loadedLocal.Advance(resumeAfter);
        loaded.Advance(stored);
        nextSeq = Math.Max(resumeAfter, replay.Count > 0 ? replay[^1].Seq : 0) + 1;
        acceptedSeq = nextSeq - 1;
        if (replay.Count > 0)
        {
            logger.LogInformation("Replaying {Count} events from the ingest log after a restart", replay.Count);
            backlog = replay.Count;
            accepted.Writer.TryWrite(replay);
        }
        logger.LogInformation("Event store holds events up to #{Seq}; {Dedup}", stored,
            claims is null ? $"dedup index has {dedup.Count} keys" : "duplicates are found through the shared counters");
        writerTask = Task.Factory.StartNew(() => WriteLoopAsync(stopping.Token), TaskCreationOptions.LongRunning).Unwrap();
        loaderTask = Task.Factory.StartNew(() => LoadLoopAsync(stopping.Token), TaskCreationOptions.LongRunning).Unwrap();
        if (claims is not null)
        {
            pollerTask = FollowOtherNodesAsync(stopping.Token);
        }
    }

    /// <summary>How far through its own ingest log this node has loaded; kept in the shared counters.</summary>
    private string NodeLoadedKey => node.Key($"ingest:node:{node.NodeId}:loaded");

    /// <summary>
    /// Makes events durable and returns once they are; duplicates of anything accepted before (or earlier in the
    /// same group) are dropped and counted. Events need <see cref="EventRecord.Seq"/> unset.
    /// </summary>
    public async ValueTask<IngestResult> SubmitAsync(IReadOnlyList<EventRecord> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return new IngestResult(0, 0);
        }
        if (Interlocked.Read(ref backlog) + events.Count > options.MaxBacklog)
        {
            throw new IngestOverloadedException(TimeSpan.FromSeconds(1));
        }
        Interlocked.Add(ref backlog, events.Count);
        foreach (var e in events)
        {
            // Hash on the caller's thread, in parallel across requests, not on the single writer.
            _ = e.DedupHash;
        }
        var submission = new Submission(events);
        if (!submissions.Writer.TryWrite(submission))
        {
            Interlocked.Add(ref backlog, -events.Count);
            throw new InvalidOperationException("Ingestion is shutting down.");
        }
        // Not cancellable once queued: the outcome (durable or not) must be what the caller is told.
        return await submission.Done.Task;
    }

    /// <summary>
    /// Waits until everything acknowledged before the call is loaded into the event store, asking the loader not to
    /// wait for a full batch. Reads call it so that they see their own writes.
    /// </summary>
    public Task WaitForLoadedAsync(CancellationToken ct)
    {
        var wait = loadedLocal.WaitAsync(Interlocked.Read(ref acceptedSeq), ct);
        if (!wait.IsCompleted)
        {
            Volatile.Read(ref flushRequested).TrySetResult();
        }
        return wait;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        submissions.Writer.TryComplete();
        if (writerTask is not null)
        {
            await writerTask.WaitAsync(cancellationToken);
        }
        accepted.Writer.TryComplete();
        Volatile.Read(ref flushRequested).TrySetResult();
        if (loaderTask is not null)
        {
            await loaderTask.WaitAsync(cancellationToken);
        }
        await stopping.CancelAsync();
        if (pollerTask is not null)
        {
            await pollerTask.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync();
        }
        log.Dispose();
        stopping.Dispose();
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        var group = new List<Submission>();
        var candidates = new List<EventRecord>();
        var owners = new List<Submission>();
        var records = new List<EventRecord>();
        while (await submissions.Reader.WaitToReadAsync(ct))
        {
            group.Clear();
            candidates.Clear();
            owners.Clear();
            records.Clear();
            while (candidates.Count < options.LoadBatch && submissions.Reader.TryRead(out var s))
            {
                group.Add(s);
                foreach (var e in s.Events)
                {
                    if (dedup.Add(e.DedupHash))
                    {
                        candidates.Add(e);
                        owners.Add(s);
                    }
                }
            }
            try
            {
                var stored = claims is null ? null : await claims.FindStoredAsync(candidates, loaded.Reached, ct);
                for (var i = 0; i < candidates.Count; i++)
                {
                    if (stored?.Contains(i) != true)
                    {
                        records.Add(candidates[i] with { Seq = nextSeq++ });
                        owners[i].Stored++;
                    }
                }
                log.Append(records);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing of this group is durable: forget its keys and numbers, fail its submitters.
                foreach (var e in candidates)
                {
                    dedup.Remove(e.DedupHash);
                }
                nextSeq -= records.Count;
                foreach (var s in group)
                {
                    Interlocked.Add(ref backlog, -s.Events.Count);
                    s.Done.TrySetException(ex);
                }
                logger.LogError(ex, "Could not accept a group of {Count} events", candidates.Count);
                continue;
            }
            Interlocked.Exchange(ref acceptedSeq, nextSeq - 1);
            var duplicates = 0;
            foreach (var s in group)
            {
                duplicates += s.Events.Count - s.Stored;
            }
            if (duplicates > 0)
            {
                Interlocked.Add(ref backlog, -duplicates);
            }
            if (records.Count > 0)
            {
                accepted.Writer.TryWrite(records.ToArray());
            }
            storedEvents.Inc(records.Count);
            duplicateEvents.Inc(duplicates);
            foreach (var s in group)
            {
                s.Done.TrySetResult(new IngestResult(s.Stored, s.Events.Count - s.Stored));
            }
        }
    }

    /// <summary>
    /// Gathers accepted groups into a load — alone, handing each to an open append at once, so events die young instead
    /// of waiting in memory — and completes it when a row group is full, the delay has passed, a reader asked for a
    /// flush, or ingestion stops.
    /// </summary>
    private async Task LoadLoopAsync(CancellationToken ct)
    {
        var reader = accepted.Reader;
        var completed = false;
        while (!completed && await reader.WaitToReadAsync(ct))
        {
            var feed = feedWanted ? new Feed(feedAllWhole, feedWholeTypes) : null;
            await using var load = claims is null ? new PendingLoad(store, logger, feed) : (Load)new SharedLoad(feed);
            var deadline = Task.Delay(options.LoadDelay, ct);
            while (true)
            {
                while (load.Count < options.LoadBatch && reader.TryRead(out var records))
                {
                    load.Add(records);
                }
                if (load.Count >= options.LoadBatch)
                {
                    break;
                }
                var flush = Volatile.Read(ref flushRequested).Task;
                var more = reader.WaitToReadAsync(ct).AsTask();
                if (await Task.WhenAny(more, deadline, flush) == more)
                {
                    if (!await more)
                    {
                        completed = true;
                        break;
                    }
                    continue;
                }
                while (reader.TryRead(out var records))
                {
                    load.Add(records);
                }
                break;
            }
            if (load.Count == 0)
            {
                continue;
            }
            var range = load is PendingLoad alone ? await CompleteAloneAsync(alone, ct) : await CompleteSharedAsync((SharedLoad)load, ct);
            OnLoaded(load.Count, load.Last, range);
        }
    }

    private async Task<LoadedRange> CompleteAloneAsync(PendingLoad load, CancellationToken ct)
    {
        if (!await load.TryCommitAsync(ct))
        {
            await load.DisposeAsync();
            await ReloadAsync(load.Last, ct);
        }
        return new LoadedRange(load.First - 1, load.Last, load.Events);
    }

    /// <summary>After a failed commit: the events are safe in the ingest log, so load them from there until it works.</summary>
    private async Task ReloadAsync(long through, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await using var append = store.BeginAppend();
                foreach (var chunk in log.Read(loadedLocal.Reached, through).Chunk(4096))
                {
                    append.Append(chunk);
                }
                await append.CommitAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Reloading events up to #{Seq} failed; retrying", through);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    /// <summary>
    /// Among several nodes: under the installation's load lock, numbers the batch after what the store holds, drops what
    /// is stored already, claims and commits the rest, and records how far through the log this node has loaded. Tried
    /// again until it works: the events are in memory and safe in the ingest log meanwhile.
    /// </summary>
    private async Task<LoadedRange> CompleteSharedAsync(SharedLoad load, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await using var lease = await node.TakeAsync("ingest:load", ct);
                using var held = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);
                var mark = await store.PrepareAppendAsync(held.Token);
                var stored = await claims!.FindStoredAsync(load.Records, mark, held.Token);
                var survivors = new List<EventRecord>(load.Records.Count - stored.Count);
                for (var i = 0; i < load.Records.Count; i++)
                {
                    if (!stored.Contains(i))
                    {
                        survivors.Add(load.Records[i] with { Seq = mark + survivors.Count + 1 });
                    }
                }
                // Accepted on this node while another had it in flight: durable twice, stored once.
                duplicateEvents.Inc(stored.Count);
                if (survivors.Count > 0)
                {
                    await claims.ClaimAsync(survivors, held.Token);
                    await using var append = store.BeginAppend();
                    append.Append(survivors);
                    await append.CommitAsync(held.Token);
                }
                await counters.SetAsync(NodeLoadedKey, load.Last, null, held.Token);
                return new LoadedRange(mark, mark + survivors.Count, load.Feed?.KeepAll(survivors));
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogError(ex, "Loading {Count} events into the event store failed; retrying", load.Count);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    /// <summary>Among several nodes: notices what the others loaded, so that projections on this node see it too.</summary>
    private async Task FollowOtherNodesAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(node.Options.PollInterval, ct);
                var stored = await store.GetLoadedSeqAsync(ct);
                var known = loaded.Reached;
                if (stored > known)
                {
                    loaded.Advance(stored);
                    Loaded?.Invoke(new LoadedRange(known, stored, null));
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not read how far the event store is loaded");
            }
        }
    }

    private void OnLoaded(int count, long lastInLog, LoadedRange range)
    {
        Interlocked.Add(ref backlog, -count);
        if (Volatile.Read(ref flushRequested).Task.IsCompleted)
        {
            Volatile.Write(ref flushRequested, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        loaded.Advance(range.ThroughSeq);
        if (loadedLocal.Advance(lastInLog))
        {
            // Readers still wait for later events: load them without waiting for a full batch either.
            Volatile.Read(ref flushRequested).TrySetResult();
        }
        try
        {
            log.Truncate(lastInLog);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not remove loaded ingest log segments");
        }
        Loaded?.Invoke(range);
    }

    /// <summary>Accepted events gathered for one load into the event store.</summary>
    private abstract class Load : IAsyncDisposable
    {
        public int Count { get; private set; }

        /// <summary>The log numbers of the first and last event.</summary>
        public long First { get; private set; }

        public long Last { get; private set; }

        public void Add(IReadOnlyList<EventRecord> records)
        {
            if (Count == 0)
            {
                First = records[0].Seq;
            }
            Count += records.Count;
            Last = records[^1].Seq;
            Take(records);
        }

        protected abstract void Take(IReadOnlyList<EventRecord> records);

        public abstract ValueTask DisposeAsync();
    }

    /// <summary>Among several nodes: the events are kept until the load lock is held, since only then are they numbered.</summary>
    private sealed class SharedLoad(Feed? feed) : Load
    {
        private readonly List<EventRecord> records = [];

        public List<EventRecord> Records => records;

        public Feed? Feed => feed;

        protected override void Take(IReadOnlyList<EventRecord> batch) => records.AddRange(batch);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Alone: an open append to the event store and what was handed to it; a failure only marks it for a reload.</summary>
    private sealed class PendingLoad(IEventStore store, ILogger logger, Feed? feed) : Load
    {
        private readonly List<EventRecord>? events = feed is null ? null : [];
        private IEventAppend? append;
        private bool failed;

        public IReadOnlyList<EventRecord>? Events => events;

        protected override void Take(IReadOnlyList<EventRecord> records)
        {
            if (events is not null)
            {
                foreach (var r in records)
                {
                    events.Add(feed!.Keep(r));
                }
            }
            if (failed)
            {
                return;
            }
            try
            {
                append ??= store.BeginAppend();
                append.Append(records);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed = true;
                logger.LogError(ex, "Appending to the event store failed; the events will be reloaded from the ingest log");
            }
        }

        public async Task<bool> TryCommitAsync(CancellationToken ct)
        {
            if (failed || append is null)
            {
                return false;
            }
            try
            {
                await append.CommitAsync(ct);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Committing {Count} events to the event store failed; reloading them from the ingest log", Count);
                return false;
            }
        }

        public override async ValueTask DisposeAsync()
        {
            if (append is not null)
            {
                await append.DisposeAsync();
                append = null;
            }
        }
    }

    /// <summary>What the live feed keeps of an event: the record itself for the wanted types, else a lean copy.</summary>
    private sealed class Feed(bool allWhole, HashSet<string> wholeTypes)
    {
        public List<EventRecord> KeepAll(IReadOnlyList<EventRecord> records) => records.Select(Keep).ToList();

        public EventRecord Keep(EventRecord e) => allWhole || wholeTypes.Contains(e.Type)
            ? e
            : new EventRecord
            {
                Seq = e.Seq,
                WorkspaceId = e.WorkspaceId,
                EventId = "",
                DedupKey = "",
                Type = e.Type,
                CustomerId = e.CustomerId,
                AnonymousId = e.AnonymousId,
                Timestamp = e.Timestamp,
                ReceivedAt = e.Timestamp,
            };
    }

    private sealed class Submission(IReadOnlyList<EventRecord> events)
    {
        public IReadOnlyList<EventRecord> Events { get; } = events;
        public int Stored { get; set; }
        public TaskCompletionSource<IngestResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
