namespace Flywheel.Platform.Ingestion;

/// <summary>
/// A sequence number that only moves forward (events loaded, events applied) and the callers waiting for it to reach
/// theirs, released as it advances.
/// </summary>
public sealed class SequenceWaiters
{
    private readonly Lock gate = new();
    private readonly List<(long Seq, TaskCompletionSource Done)> waiting = [];
    private long reached;

    public long Reached => Interlocked.Read(ref reached);

    /// <summary>Completes once <see cref="Reached"/> is at least <paramref name="target"/>.</summary>
    public Task WaitAsync(long target, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (reached >= target)
            {
                return Task.CompletedTask;
            }
            waiting.Add((target, done));
        }
        return done.Task.WaitAsync(ct);
    }

    /// <summary>Moves up to <paramref name="seq"/> (never back) and releases who waited for it; true when others still wait.</summary>
    public bool Advance(long seq)
    {
        lock (gate)
        {
            if (seq > reached)
            {
                Interlocked.Exchange(ref reached, seq);
            }
            seq = reached;
            waiting.RemoveAll(w =>
            {
                if (w.Seq > seq)
                {
                    return false;
                }
                w.Done.TrySetResult();
                return true;
            });
            return waiting.Count > 0;
        }
    }
}
