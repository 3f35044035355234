using System.Text.Json;
using Flywheel.Platform.Events;

namespace Flywheel.Modules.Customers.Ingestion;

/// <summary>An event as a client sent it, before validation: any field may be missing or malformed.</summary>
public sealed record IncomingEvent
{
    public string? EventId { get; init; }
    public string? Type { get; init; }
    public string? CustomerId { get; init; }
    public string? AnonymousId { get; init; }
    /// <summary>ISO 8601 text; null means "now".</summary>
    public string? Timestamp { get; init; }
    /// <summary><see cref="Timestamp"/> already parsed by a reader that could do it cheaply; null means "parse the text".</summary>
    public DateTimeOffset? ParsedTimestamp { get; init; }
    /// <summary>The properties object; Undefined when absent.</summary>
    public JsonElement Properties { get; init; }
    public EventContext Context { get; init; } = EventContext.Empty;
}
