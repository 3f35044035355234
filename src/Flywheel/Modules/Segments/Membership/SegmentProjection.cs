using Flywheel.Modules.Customers.Contracts;
using Flywheel.Platform.Cluster;
using Flywheel.Platform.Events;
using Flywheel.Platform.Ingestion;
using Flywheel.Platform.State;

namespace Flywheel.Modules.Segments.Membership;

/// <summary>
/// Real-time membership: for every batch of new events, the customers they name have their stored traits recomputed
/// and are re-evaluated in every segment of their workspace, in the transaction that moves this projection's
/// checkpoint, so a batch is applied exactly once. Before the batch it waits for the projections that keep profiles
/// and orders current to have applied the same events (a new order must be in the traits the segments read), and takes
/// the workspaces' membership locks, which must not be waited for while the state store's write lock is held.
/// </summary>
public sealed class SegmentProjection(
    StateStore state, IEventStore events, IngestPipeline pipeline, ClusterNode node, SegmentMembership membership,
    SegmentChangePublisher publisher, IServiceProvider services, TimeProvider clock, ILogger<SegmentProjection> logger)
    : EventProjection(state, events, pipeline, node, logger)
{
    public const string Checkpoint = "segments.membership";

    // Every type, lean: only who an event names matters here.
    private static readonly EventSelection Reads = new(PropertiesOf: [EventTypes.Identify]);

    protected override string Name => Checkpoint;

    protected override EventSelection Selection => Reads;

    protected override async Task<IAsyncDisposable?> PrepareAsync(IReadOnlyList<EventRecord> batch, long throughSeq, CancellationToken ct)
    {
        foreach (var upstream in services.GetServices<EventProjection>())
        {
            await upstream.WaitForSeqAsync(throughSeq, ct);
        }
        var locks = new Locks();
        foreach (var workspace in Named(batch).Keys.Order(StringComparer.Ordinal))
        {
            locks.Held.Add(await membership.LockAsync(workspace, ct));
        }
        return locks;
    }

    protected override async Task ApplyAsync(FlywheelDb db, IReadOnlyList<EventRecord> batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var (workspace, customers) in Named(batch))
        {
            await StoredTraitTable.RefreshAsync(db, workspace, customers, now, ct);
            await membership.RefreshAsync(db, workspace, customers, now, ct);
        }
    }

    protected override void Committed() => publisher.Nudge();

    private static Dictionary<string, HashSet<string>> Named(IReadOnlyList<EventRecord> batch)
    {
        var named = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var e in batch)
        {
            if (e.CustomerId is null || EventTypes.IsMembershipChange(e.Type))
            {
                continue;
            }
            if (!named.TryGetValue(e.WorkspaceId, out var customers))
            {
                named[e.WorkspaceId] = customers = new HashSet<string>(StringComparer.Ordinal);
            }
            customers.Add(e.CustomerId);
        }
        return named;
    }

    private sealed class Locks : IAsyncDisposable
    {
        public List<Platform.Counters.CounterLock> Held { get; } = [];

        public async ValueTask DisposeAsync()
        {
            foreach (var held in Held)
            {
                await held.DisposeAsync();
            }
        }
    }
}
