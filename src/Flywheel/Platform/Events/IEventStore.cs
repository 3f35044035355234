namespace Flywheel.Platform.Events;

/// <summary>
/// The columnar event store. Embedded: DuckDB. The interface is what a distributed columnar engine must answer;
/// everything else (dedup, durability before acknowledgement) happens in the ingest pipeline in front of it.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Creates tables if missing.</summary>
    Task InitializeAsync(CancellationToken ct);

    /// <summary>The highest sequence number stored (0 when empty). Loading resumes after it.</summary>
    Task<long> GetLoadedSeqAsync(CancellationToken ct);

    /// <summary>Stores events (already deduplicated, sequence numbers ascending) atomically: all or none.</summary>
    Task AppendAsync(IReadOnlyList<EventRecord> events, CancellationToken ct);

    /// <summary>Calls <paramref name="visit"/> with the dedup hash of every stored event (used to rebuild the dedup index on start).</summary>
    Task ForEachDedupHashAsync(Action<UInt128> visit, CancellationToken ct);

    /// <summary>Events with sequence numbers above <paramref name="afterSeq"/>, ascending, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<EventRecord>> ReadAfterAsync(long afterSeq, int limit, CancellationToken ct);

    /// <summary>A customer's events, newest first; <paramref name="beforeSeq"/> continues a previous page.</summary>
    Task<IReadOnlyList<EventRecord>> GetCustomerTimelineAsync(string workspaceId, string customerId, long? beforeSeq, int limit, CancellationToken ct);

    /// <summary>Counts of stored events by type whose timestamp is in [fromUtc, toUtc).</summary>
    Task<IReadOnlyDictionary<string, long>> CountByTypeAsync(string workspaceId, DateTime fromUtc, DateTime toUtc, CancellationToken ct);
}
