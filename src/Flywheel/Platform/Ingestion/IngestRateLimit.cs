using Flywheel.Platform.Counters;
using Microsoft.Extensions.Options;

namespace Flywheel.Platform.Ingestion;

/// <summary>
/// Events per second per API key (or console user), as a token bucket in the hot counters: with Redis the limit holds
/// across every node, in memory per node. It protects the shared stores from one runaway client; the backlog limit in
/// <see cref="IngestPipeline"/> protects this node's loader and stays per node, since each node has its own log and loader.
/// </summary>
public sealed class IngestRateLimit(ICounters counters, IOptions<IngestOptions> options, ILogger<IngestRateLimit> logger)
{
    private readonly IngestOptions options = options.Value;

    /// <summary>The bucket's size: the configured burst, else one second's worth (never below one full batch).</summary>
    public double Burst => options.RateLimitBurst > 0 ? options.RateLimitBurst : Math.Max(options.RateLimitPerSecond, 1000);

    /// <summary>
    /// Takes <paramref name="events"/> from the bucket of <paramref name="actor"/> ("key:&lt;id&gt;" or "user:&lt;id&gt;",
    /// as <see cref="Auth.Caller.Actor"/> gives it); null when allowed, else how long to wait.
    /// </summary>
    public async ValueTask<TimeSpan?> TryAcquireAsync(string workspaceId, string actor, int events, CancellationToken ct)
    {
        if (options.RateLimitPerSecond <= 0 || events <= 0)
        {
            return null;
        }
        // A batch larger than the burst could never be granted; it is let through once the bucket is full instead.
        var tokens = Math.Min(events, Burst);
        TokenTake take;
        try
        {
            take = await counters.TryTakeAsync($"{workspaceId}:ingest:rate:{actor}", Burst, options.RateLimitPerSecond, tokens, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ArgumentException)
        {
            // Events are made durable locally whatever the counters do: an unreachable counters store must not stop
            // ingestion, so the limit is not applied while it is down.
            logger.LogWarning(ex, "The ingest rate limit could not be checked on {Counters}; the request is let through", counters.Description);
            return null;
        }
        return take.Allowed ? null : take.RetryAfter;
    }
}
