namespace Flywheel.Platform.Counters;

/// <summary>
/// Hot counters: small, fast, shared numbers that must never be counted twice — flash-sale stock, frequency caps,
/// rate limits — and short-lived locks. Two engines: <see cref="MemoryCounters"/> in the process (one node) and
/// <see cref="RedisCounters"/> (many nodes sharing one Redis). Every operation is atomic on its own: no caller ever
/// reads a value and writes it back, so "check, then increment" races cannot happen.
/// </summary>
/// <remarks>
/// <para><b>Keys</b> are chosen by the caller and namespaced by workspace, then by module:
/// <c>&lt;workspace id&gt;:&lt;module&gt;:&lt;what&gt;[:&lt;part&gt;...]</c>, for example
/// <c>ws_1:promotions:flash-sale:{fs_9}:sku:tea:gate</c> or <c>ws_1:ingest:rate:key:k_3</c>. Keys not tied to a workspace
/// start with <c>_</c> (<c>_:platform:...</c>). A key holds one kind of thing: a counter, a token bucket, a lock or a
/// book (a set of names, see <see cref="AdmitAsync"/>).</para>
/// <para><b>Time-to-live.</b> A counter created with a TTL disappears once it has passed (and reads as 0 again);
/// a TTL given when the key already exists does not change its expiry, so a window counter keeps its window.
/// <see cref="SetAsync"/> replaces the value and the expiry. Token buckets expire once they would be full again,
/// and locks when their TTL passes, so nothing is left behind by a caller that dies.</para>
/// <para><b>Time</b> is the process's <see cref="TimeProvider"/> for the memory engine and the Redis server's clock
/// for Redis, so nodes with skewed clocks still agree.</para>
/// </remarks>
public interface ICounters
{
    /// <summary>Which engine this is, for logs: "memory" or "redis://host:port/db" (without the password).</summary>
    string Description { get; }

    /// <summary>Whether other processes see the same counters (Redis), so that several nodes may share the stores.</summary>
    bool SharedByNodes { get; }

    /// <summary>The counter's value; 0 when it does not exist or has expired.</summary>
    ValueTask<long> GetAsync(string key, CancellationToken ct = default);

    /// <summary>The values of many counters in one round trip, in the order of <paramref name="keys"/>; 0 for absent ones.</summary>
    ValueTask<long[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken ct = default);

    /// <summary>Sets many counters, without expiry, in one round trip (each set is atomic; the batch as a whole is not).</summary>
    ValueTask SetManyAsync(IReadOnlyList<KeyValuePair<string, long>> values, CancellationToken ct = default);

    /// <summary>Adds <paramref name="delta"/> (may be negative) unconditionally and returns the new value.</summary>
    /// <remarks>Expiry for a counter this call creates; an existing counter keeps its own.</remarks>
    ValueTask<long> AddAsync(string key, long delta, TimeSpan? ttl = null, CancellationToken ct = default);

    /// <summary>
    /// Adds <paramref name="delta"/> only if the result stays within [0, <paramref name="limit"/>]; otherwise changes
    /// nothing. This is the one operation flash-sale stock (<c>TryAdd(stock, -1, long.MaxValue)</c>) and caps
    /// (<c>TryAdd(sent, +1, 3, ttl: 1 day)</c>) need: under any concurrency, no more than the limit is ever granted.
    /// </summary>
    /// <remarks>Expiry for a counter this call creates; an existing counter keeps its own.</remarks>
    /// <returns>Whether it was added, and the value after the call (unchanged when refused).</returns>
    ValueTask<CounterUpdate> TryAddAsync(string key, long delta, long limit, TimeSpan? ttl = null, CancellationToken ct = default);

    /// <summary>
    /// An admission through a gate, in one round trip: adds 1 to the counter <see cref="Admission.Tally"/>; when
    /// <see cref="Admission.Name"/> is already in the book <see cref="Admission.Book"/>, takes nothing
    /// (<see cref="AdmissionVerdict.Seen"/>); otherwise takes <see cref="Admission.Units"/> from the counter
    /// <see cref="Admission.Gate"/> if it has that many, never below 0, and writes the name in the book before
    /// answering <see cref="AdmissionVerdict.Admitted"/>. So every name admitted is in the book for as long as the book
    /// lives, and a name not in a <see cref="AdmissionResult.BookComplete">complete</see> book was never admitted.
    /// </summary>
    /// <remarks>
    /// On Redis the whole is one script, atomic; on the memory engine each step is atomic, in the order above. On a
    /// Redis Cluster the three keys must share a hash slot (one <c>{tag}</c> in each). A book this call creates expires
    /// after <see cref="Admission.BookTtl"/>, its names and its completeness together.
    /// </remarks>
    ValueTask<AdmissionResult> AdmitAsync(Admission admission, CancellationToken ct = default);

    /// <summary>
    /// Writes <paramref name="names"/> in the book <paramref name="book"/> (creating it, to expire after
    /// <paramref name="ttl"/>; an existing book keeps its expiry), and when <paramref name="complete"/> then marks it
    /// complete — the caller vouches that every name it must hold is in it from then on.
    /// </summary>
    ValueTask RecordAsync(string book, IReadOnlyList<string> names, bool complete, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>Whether the book exists and is marked complete.</summary>
    ValueTask<bool> IsCompleteAsync(string book, CancellationToken ct = default);

    /// <summary>Sets the counter's value and its expiry (none when <paramref name="ttl"/> is null).</summary>
    ValueTask SetAsync(string key, long value, TimeSpan? ttl = null, CancellationToken ct = default);

    /// <summary>Removes the key, whatever it holds; true when it existed.</summary>
    ValueTask<bool> DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// Takes <paramref name="tokens"/> from a token bucket holding at most <paramref name="capacity"/> tokens (the
    /// burst) and refilled continuously at <paramref name="refillPerSecond"/>. A bucket seen for the first time is full.
    /// A refused take removes nothing; its <see cref="TokenTake.RetryAfter"/> says when enough tokens will be there.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="tokens"/> is not positive or exceeds <paramref name="capacity"/> (it could never be granted), or
    /// the capacity or rate is not positive.
    /// </exception>
    ValueTask<TokenTake> TryTakeAsync(string key, double capacity, double refillPerSecond, double tokens = 1, CancellationToken ct = default);

    /// <summary>
    /// Takes the lock named <paramref name="key"/> for <paramref name="ttl"/> unless someone else holds it; null when
    /// held. The lock expires on its own after the TTL, so a holder that dies blocks others only that long; a holder
    /// that needs longer calls <see cref="CounterLock.ExtendAsync"/> in time.
    /// </summary>
    ValueTask<CounterLock?> TryLockAsync(string key, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>Sets the lock's TTL to <paramref name="ttl"/> from now if <paramref name="owner"/> still holds it.</summary>
    ValueTask<bool> ExtendLockAsync(string key, string owner, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>Releases the lock if <paramref name="owner"/> still holds it; a lock since taken by another is left alone.</summary>
    ValueTask<bool> ReleaseLockAsync(string key, string owner, CancellationToken ct = default);
}

public static class CounterLocking
{
    /// <summary>
    /// Takes the lock named <paramref name="key"/>, waiting (5 ms, growing to 100 ms between tries) while another holds
    /// it; for work that must run one at a time but may wait its turn. The pauses are real time, whatever clock the
    /// caller's business time comes from: a clock stopped in a test must not stop the wait for a lock.
    /// </summary>
    public static async Task<CounterLock> LockAsync(this ICounters counters, string key, TimeSpan ttl, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await counters.TryLockAsync(key, ttl, ct) is { } held)
            {
                return held;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100, 5 * attempt)), ct);
        }
    }
}

/// <summary>The outcome of <see cref="ICounters.TryAddAsync"/>.</summary>
public readonly record struct CounterUpdate(bool Succeeded, long Value);

/// <summary>
/// What <see cref="ICounters.AdmitAsync"/> is asked: the <see cref="Units"/> to take from the counter <see cref="Gate"/>,
/// the counter <see cref="Tally"/> of every call, and the <see cref="Book"/> of names admitted, where the caller's
/// <see cref="Name"/> (an idempotency key, say) is looked up and written; a book created expires after <see cref="BookTtl"/>.
/// </summary>
public sealed record Admission(string Gate, long Units, string Tally, string Book, string Name, TimeSpan BookTtl);

public enum AdmissionVerdict
{
    /// <summary>The units were taken and the name written in the book.</summary>
    Admitted,

    /// <summary>The gate had too few units; nothing was taken or written.</summary>
    Refused,

    /// <summary>The name was already in the book; nothing was taken.</summary>
    Seen,
}

/// <summary>The outcome of <see cref="ICounters.AdmitAsync"/>, and whether the book was complete when it was read.</summary>
public readonly record struct AdmissionResult(AdmissionVerdict Verdict, bool BookComplete);

/// <summary>The outcome of <see cref="ICounters.TryTakeAsync"/>: <see cref="RetryAfter"/> is zero when allowed.</summary>
public readonly record struct TokenTake(bool Allowed, double Remaining, TimeSpan RetryAfter);

/// <summary>
/// A lock held under a random <see cref="Owner"/> token: only this token releases or extends it, so a holder whose lock
/// expired and was taken by another cannot release the other's lock. Disposing releases it.
/// </summary>
public sealed class CounterLock(ICounters counters, string key, string owner) : IAsyncDisposable
{
    public string Key { get; } = key;
    public string Owner { get; } = owner;

    /// <summary>Sets the TTL to <paramref name="ttl"/> from now; false when the lock was lost (expired).</summary>
    public ValueTask<bool> ExtendAsync(TimeSpan ttl, CancellationToken ct = default) => counters.ExtendLockAsync(Key, Owner, ttl, ct);

    /// <summary>Releases the lock; false when it had already expired (and may be held by another).</summary>
    public ValueTask<bool> ReleaseAsync(CancellationToken ct = default) => counters.ReleaseLockAsync(Key, Owner, ct);

    public async ValueTask DisposeAsync() => await ReleaseAsync();

    /// <summary>A new owner token: unguessable, so no other holder can forge it.</summary>
    internal static string NewOwner() => Guid.NewGuid().ToString("N");
}

/// <summary>Argument checks both engines share, so they refuse the same calls the same way.</summary>
internal static class CounterArguments
{
    public static void Limit(long limit)
    {
        if (limit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must not be negative.");
        }
    }

    public static void Ttl(TimeSpan? ttl)
    {
        if (ttl is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "A TTL must be positive.");
        }
    }

    public static void Admission(Admission admission)
    {
        if (admission.Units <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(admission), admission.Units, "An admission takes a positive number of units.");
        }
        Ttl(admission.BookTtl);
    }

    public static void Bucket(double capacity, double refillPerSecond, double tokens)
    {
        if (!(capacity > 0) || !(refillPerSecond > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), $"A token bucket needs a positive capacity and refill rate (got {capacity}, {refillPerSecond}/s).");
        }
        if (!(tokens > 0) || tokens > capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, $"Tokens taken at once must be positive and at most the capacity ({capacity}).");
        }
    }
}
