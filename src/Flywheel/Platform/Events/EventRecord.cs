namespace Flywheel.Platform.Events;

/// <summary>The marketing context of an event: where the visitor came from and on what.</summary>
public sealed record EventContext
{
    public static readonly EventContext Empty = new();

    public string? Channel { get; init; }
    public string? UtmSource { get; init; }
    public string? UtmMedium { get; init; }
    public string? UtmCampaign { get; init; }
    public string? UtmContent { get; init; }
    public string? UtmTerm { get; init; }
    public string? Referrer { get; init; }
    public string? Url { get; init; }
    public string? Device { get; init; }
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
}

/// <summary>
/// An event as stored. <see cref="Seq"/> is assigned by the ingest log, strictly increasing in the order events
/// were made durable; projections into the state store follow it. Timestamps are UTC with millisecond precision.
/// </summary>
public sealed record EventRecord
{
    public long Seq { get; init; }
    public required string WorkspaceId { get; init; }
    public required string EventId { get; init; }
    /// <summary>
    /// The key that makes an event unique within its workspace: the event id, except for order events, which are
    /// keyed by order id so that an order counts once whichever way it arrived (see <see cref="DedupKeys"/>).
    /// </summary>
    public required string DedupKey { get; init; }

    /// <summary>The 128-bit hash of (workspace, dedup key) that the dedup index keeps; computed once per event.</summary>
    public UInt128 DedupHash => dedupHash ??= DedupKeys.Hash(WorkspaceId, DedupKey);

    private UInt128? dedupHash;
    public required string Type { get; init; }
    public string? CustomerId { get; init; }
    public string? AnonymousId { get; init; }
    public DateTime Timestamp { get; init; }
    public DateTime ReceivedAt { get; init; }
    /// <summary>The event's properties as a JSON object text.</summary>
    public string Properties { get; init; } = "{}";
    public EventContext Context { get; init; } = EventContext.Empty;
}
