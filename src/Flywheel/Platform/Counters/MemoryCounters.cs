using System.Collections.Concurrent;

namespace Flywheel.Platform.Counters;

/// <summary>
/// The embedded engine: counters in this process, for one node. Lock-free: each key holds an immutable entry that
/// an operation replaces by compare-and-swap, retrying when another thread got there first, so every operation is
/// atomic without a lock. Expired entries read as absent at once and are swept out periodically.
/// </summary>
public sealed class MemoryCounters : ICounters, IDisposable
{
    /// <summary>How often expired entries are removed; until then they only take memory, never a wrong answer.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private const long Never = long.MaxValue;
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly TimeProvider clock;
    private readonly ITimer sweeper;

    public MemoryCounters(TimeProvider clock)
    {
        this.clock = clock;
        // One shot, re-armed after each sweep: a clock that jumps wakes it once, not once per interval skipped.
        sweeper = clock.CreateTimer(_ => SweepAndRearm(), null, SweepInterval, Timeout.InfiniteTimeSpan);
    }

    public string Description => "memory";

    public bool SharedByNodes => false;

    /// <summary>Keys held, expired ones not yet swept included.</summary>
    internal int Count => entries.Count;

    public ValueTask<long> GetAsync(string key, CancellationToken ct = default)
    {
        entries.TryGetValue(key, out var current);
        return ValueTask.FromResult(Live<Counter>(key, current, Now())?.Value ?? 0);
    }

    public async ValueTask<long[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        var values = new long[keys.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = await GetAsync(keys[i], ct);
        }
        return values;
    }

    public async ValueTask SetManyAsync(IReadOnlyList<KeyValuePair<string, long>> values, CancellationToken ct = default)
    {
        foreach (var (key, value) in values)
        {
            await SetAsync(key, value, null, ct);
        }
    }

    public ValueTask<long> AddAsync(string key, long delta, TimeSpan? ttl = null, CancellationToken ct = default)
    {
        CounterArguments.Ttl(ttl);
        while (true)
        {
            var now = Now();
            entries.TryGetValue(key, out var current);
            var counter = Live<Counter>(key, current, now);
            var next = counter is null ? new Counter(delta, Expiry(now, ttl)) : new Counter(checked(counter.Value + delta), counter.ExpiresAt);
            if (Replace(key, current, next))
            {
                return ValueTask.FromResult(next.Value);
            }
        }
    }

    public ValueTask<CounterUpdate> TryAddAsync(string key, long delta, long limit, TimeSpan? ttl = null, CancellationToken ct = default)
    {
        CounterArguments.Limit(limit);
        CounterArguments.Ttl(ttl);
        while (true)
        {
            var now = Now();
            entries.TryGetValue(key, out var current);
            var counter = Live<Counter>(key, current, now);
            var value = counter?.Value ?? 0;
            var result = value + delta;
            // Overflow cannot pass the range check: a wrapped sum is compared as if it were outside [0, limit].
            var overflowed = (delta > 0 && result < value) || (delta < 0 && result > value);
            if (overflowed || result < 0 || result > limit)
            {
                return ValueTask.FromResult(new CounterUpdate(false, value));
            }
            var next = new Counter(result, counter?.ExpiresAt ?? Expiry(now, ttl));
            if (Replace(key, current, next))
            {
                return ValueTask.FromResult(new CounterUpdate(true, result));
            }
        }
    }

    public async ValueTask<AdmissionResult> AdmitAsync(Admission admission, CancellationToken ct = default)
    {
        CounterArguments.Admission(admission);
        await AddAsync(admission.Tally, 1, null, ct);
        var book = OpenBook(admission.Book, admission.BookTtl);
        // Completeness is read before the name: a book marked complete already shows every name written before the mark.
        var complete = book.Complete;
        if (book.Names.ContainsKey(admission.Name))
        {
            return new AdmissionResult(AdmissionVerdict.Seen, complete);
        }
        if (!(await TryAddAsync(admission.Gate, -admission.Units, long.MaxValue, null, ct)).Succeeded)
        {
            return new AdmissionResult(AdmissionVerdict.Refused, complete);
        }
        book.Names.TryAdd(admission.Name, 0);
        return new AdmissionResult(AdmissionVerdict.Admitted, complete);
    }

    public ValueTask RecordAsync(string book, IReadOnlyList<string> names, bool complete, TimeSpan ttl, CancellationToken ct = default)
    {
        CounterArguments.Ttl(ttl);
        var open = OpenBook(book, ttl);
        foreach (var name in names)
        {
            open.Names.TryAdd(name, 0);
        }
        if (complete)
        {
            open.Complete = true;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsCompleteAsync(string book, CancellationToken ct = default)
    {
        entries.TryGetValue(book, out var current);
        return ValueTask.FromResult(Live<Book>(book, current, Now())?.Complete ?? false);
    }

    public ValueTask SetAsync(string key, long value, TimeSpan? ttl = null, CancellationToken ct = default)
    {
        CounterArguments.Ttl(ttl);
        entries[key] = new Counter(value, Expiry(Now(), ttl));
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteAsync(string key, CancellationToken ct = default) =>
        ValueTask.FromResult(entries.TryRemove(key, out var removed) && removed.IsLive(Now()));

    public ValueTask<TokenTake> TryTakeAsync(string key, double capacity, double refillPerSecond, double tokens = 1, CancellationToken ct = default)
    {
        CounterArguments.Bucket(capacity, refillPerSecond, tokens);
        while (true)
        {
            var now = Now();
            entries.TryGetValue(key, out var current);
            var bucket = Live<Bucket>(key, current, now);
            var available = bucket is null
                ? capacity
                : Math.Min(capacity, bucket.Tokens + (clock.GetElapsedTime(bucket.RefilledAt, now).TotalSeconds * refillPerSecond));
            if (available + TokenBucket.Tolerance < tokens)
            {
                return ValueTask.FromResult(new TokenTake(false, available, TokenBucket.RetryAfter(tokens - available, refillPerSecond)));
            }
            var left = Math.Max(0, available - tokens);
            // Once full again the bucket is the same as no bucket, so it need not be kept any longer.
            var next = new Bucket(left, now, Expiry(now, TokenBucket.RetryAfter(capacity - left, refillPerSecond)));
            if (Replace(key, current, next))
            {
                return ValueTask.FromResult(new TokenTake(true, left, TimeSpan.Zero));
            }
        }
    }

    public ValueTask<CounterLock?> TryLockAsync(string key, TimeSpan ttl, CancellationToken ct = default)
    {
        CounterArguments.Ttl(ttl);
        while (true)
        {
            var now = Now();
            entries.TryGetValue(key, out var current);
            if (Live<Held>(key, current, now) is not null)
            {
                return ValueTask.FromResult<CounterLock?>(null);
            }
            var next = new Held(CounterLock.NewOwner(), Expiry(now, ttl));
            if (Replace(key, current, next))
            {
                return ValueTask.FromResult<CounterLock?>(new CounterLock(this, key, next.Owner));
            }
        }
    }

    public ValueTask<bool> ExtendLockAsync(string key, string owner, TimeSpan ttl, CancellationToken ct = default)
    {
        CounterArguments.Ttl(ttl);
        while (true)
        {
            var now = Now();
            entries.TryGetValue(key, out var current);
            if (Live<Held>(key, current, now) is not { } held || held.Owner != owner)
            {
                return ValueTask.FromResult(false);
            }
            if (entries.TryUpdate(key, new Held(owner, Expiry(now, ttl)), held))
            {
                return ValueTask.FromResult(true);
            }
        }
    }

    public ValueTask<bool> ReleaseLockAsync(string key, string owner, CancellationToken ct = default)
    {
        while (true)
        {
            entries.TryGetValue(key, out var current);
            if (Live<Held>(key, current, Now()) is not { } held || held.Owner != owner)
            {
                return ValueTask.FromResult(false);
            }
            // Removes this very entry only: if it was replaced meanwhile, look again.
            if (entries.TryRemove(KeyValuePair.Create(key, (Entry)held)))
            {
                return ValueTask.FromResult(true);
            }
        }
    }

    public void Dispose() => sweeper.Dispose();

    /// <summary>The live book under <paramref name="key"/>, or a new empty one expiring after <paramref name="ttl"/>.</summary>
    private Book OpenBook(string key, TimeSpan ttl)
    {
        while (true)
        {
            var now = Now();
            entries.TryGetValue(key, out var current);
            if (Live<Book>(key, current, now) is { } book)
            {
                return book;
            }
            var created = new Book(Expiry(now, ttl));
            if (Replace(key, current, created))
            {
                return created;
            }
        }
    }

    private void SweepAndRearm()
    {
        Sweep();
        try
        {
            sweeper.Change(SweepInterval, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed while sweeping: nothing more to sweep.
        }
    }

    private void Sweep()
    {
        var now = Now();
        foreach (var (key, entry) in entries)
        {
            if (!entry.IsLive(now))
            {
                // Only the expired entry itself: one written since under the same key stays.
                entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }

    private long Now() => clock.GetTimestamp();

    private long Expiry(long now, TimeSpan? ttl)
    {
        if (ttl is not { } t)
        {
            return Never;
        }
        var units = t.TotalSeconds * clock.TimestampFrequency;
        return units >= Never - now ? Never : now + (long)Math.Ceiling(units);
    }

    /// <summary>Compare-and-swap: replaces exactly the entry that was read (or adds when there was none).</summary>
    private bool Replace(string key, Entry? current, Entry next) =>
        current is null ? entries.TryAdd(key, next) : entries.TryUpdate(key, next, current);

    /// <summary>The entry as a <typeparamref name="T"/>, or null when there is none or it has expired.</summary>
    private static T? Live<T>(string key, Entry? entry, long now) where T : Entry
    {
        if (entry is null || !entry.IsLive(now))
        {
            return null;
        }
        return entry as T ?? throw new InvalidOperationException($"The key '{key}' holds {entry.Kind}, not {Entry.KindOf<T>()}.");
    }

    // Entries are immutable (but for a book's names) and compared by reference, which is what makes compare-and-swap on them sound.
    private abstract class Entry(long expiresAt)
    {
        public long ExpiresAt { get; } = expiresAt;

        public bool IsLive(long now) => now < ExpiresAt;

        public string Kind => KindOf(GetType());

        public static string KindOf<T>() => KindOf(typeof(T));

        private static string KindOf(Type type) =>
            type == typeof(Counter) ? "a counter" : type == typeof(Bucket) ? "a token bucket" : type == typeof(Book) ? "a book" : "a lock";
    }

    private sealed class Counter(long value, long expiresAt) : Entry(expiresAt)
    {
        public long Value { get; } = value;
    }

    private sealed class Bucket(double tokens, long refilledAt, long expiresAt) : Entry(expiresAt)
    {
        public double Tokens { get; } = tokens;
        public long RefilledAt { get; } = refilledAt;
    }

    /// <summary>
    /// A set of names. Unlike the other entries its contents change in place — names are only ever added, and the mark
    /// only ever set — so that writing one name does not copy thousands; the entry itself is still replaced only by
    /// compare-and-swap, and it expires as a whole.
    /// </summary>
    private sealed class Book(long expiresAt) : Entry(expiresAt)
    {
        private volatile bool complete;

        public ConcurrentDictionary<string, byte> Names { get; } = new(StringComparer.Ordinal);

        public bool Complete
        {
            get => complete;
            set => complete = value;
        }
    }

    private sealed class Held(string owner, long expiresAt) : Entry(expiresAt)
    {
        public string Owner { get; } = owner;
    }
}

/// <summary>Token-bucket arithmetic shared by the engines.</summary>
internal static class TokenBucket
{
    /// <summary>Slack for floating-point refill: a caller that waited exactly the advised delay is let through.</summary>
    public const double Tolerance = 1e-9;

    /// <summary>How long until <paramref name="missing"/> tokens have refilled, rounded up to a whole tick.</summary>
    public static TimeSpan RetryAfter(double missing, double refillPerSecond)
    {
        var ticks = Math.Ceiling(missing / refillPerSecond * TimeSpan.TicksPerSecond);
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks(Math.Max(1, (long)ticks));
    }
}
