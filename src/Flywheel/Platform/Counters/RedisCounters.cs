using System.Globalization;
using StackExchange.Redis;

namespace Flywheel.Platform.Counters;

/// <summary>
/// Counters in Redis, shared by every node. Each operation is one command or one Lua script, which Redis runs
/// atomically, so each is a single round trip with no read-then-write gap between nodes. Expiry uses Redis TTLs and
/// token buckets the server's clock (TIME). Each operation touches one key, so the scripts also run on a Redis Cluster —
/// but for an admission, whose three keys the caller puts in one hash slot.
/// Counter values are exact within ±2^53 (Lua compares them as doubles before INCRBY adds them exactly).
/// </summary>
public sealed class RedisCounters(IConnectionMultiplexer redis, string description) : ICounters, IAsyncDisposable, IDisposable
{
    private const string AddScript = """
        local existed = redis.call('EXISTS', KEYS[1])
        local value = redis.call('INCRBY', KEYS[1], ARGV[1])
        if existed == 0 and tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return value
        """;

    // Returns {1, new value} or {0, current value}; the current value is returned as stored, so it stays exact.
    private const string TryAddScript = """
        local current = redis.call('GET', KEYS[1])
        local result = tonumber(current or '0') + tonumber(ARGV[1])
        if result < 0 or result > tonumber(ARGV[2]) then return {0, current or '0'} end
        local value = redis.call('INCRBY', KEYS[1], ARGV[1])
        if not current and tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
        return {1, value}
        """;

    // A hash {t = tokens, at = microseconds of the last take}; time is the server's. Returns {allowed, tokens left,
    // microseconds to wait}, numbers as strings because Redis would truncate a Lua number to an integer.
    private const string TakeScript = """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local wanted = tonumber(ARGV[3])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local state = redis.call('HMGET', KEYS[1], 't', 'at')
        local tokens = capacity
        if state[1] then
          tokens = math.min(capacity, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) / 1000000 * rate)
        end
        if tokens + tonumber(ARGV[4]) < wanted then
          return {0, string.format('%.17g', tokens), string.format('%.17g', (wanted - tokens) / rate * 1000000)}
        end
        local left = math.max(0, tokens - wanted)
        redis.call('HSET', KEYS[1], 't', string.format('%.17g', left), 'at', string.format('%d', now))
        redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((capacity - left) / rate * 1000)))
        return {1, string.format('%.17g', left), '0'}
        """;

    // KEYS: gate, tally, book; ARGV: units, the name's field, the book's TTL in ms. Returns {verdict, complete}: verdict
    // 1 admitted, 0 refused, 2 seen. A book is a hash: one field per name ("n:" + name) and the field "complete".
    private const string AdmitScript = """
        redis.call('INCR', KEYS[2])
        local complete = redis.call('HEXISTS', KEYS[3], 'complete')
        if redis.call('HEXISTS', KEYS[3], ARGV[2]) == 1 then return {2, complete} end
        if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then return {0, complete} end
        redis.call('DECRBY', KEYS[1], ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[2], 1)
        if redis.call('PTTL', KEYS[3]) < 0 then redis.call('PEXPIRE', KEYS[3], ARGV[3]) end
        return {1, complete}
        """;

    // KEYS: book; ARGV: the book's TTL in ms, then field, value pairs.
    private const string RecordScript = """
        redis.call('HSET', KEYS[1], unpack(ARGV, 2))
        if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return 1
        """;

    private const string CompleteField = "complete";

    private const string ExtendScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private readonly IDatabase db = redis.GetDatabase();

    public string Description { get; } = description;

    public bool SharedByNodes => true;

    public async ValueTask<long[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        var values = new long[keys.Count];
        // MGET in slices: one command per slice keeps a huge batch from holding the server for long.
        for (var start = 0; start < keys.Count; start += ManySlice)
        {
            var slice = new RedisKey[Math.Min(ManySlice, keys.Count - start)];
            for (var i = 0; i < slice.Length; i++)
            {
                slice[i] = keys[start + i];
            }
            var got = await db.StringGetAsync(slice);
            for (var i = 0; i < got.Length; i++)
            {
                values[start + i] = got[i].IsNull ? 0 : (long)got[i];
            }
        }
        return values;
    }

    public async ValueTask SetManyAsync(IReadOnlyList<KeyValuePair<string, long>> values, CancellationToken ct = default)
    {
        for (var start = 0; start < values.Count; start += ManySlice)
        {
            var slice = new KeyValuePair<RedisKey, RedisValue>[Math.Min(ManySlice, values.Count - start)];
            for (var i = 0; i < slice.Length; i++)
            {
                slice[i] = new(values[start + i].Key, values[start + i].Value);
            }
            await db.StringSetAsync(slice);
        }
    }

    private const int ManySlice = 10_000;

    public async ValueTask<long> GetAsync(string key, CancellationToken ct = default)
    {
        var value = await db.StringGetAsync(key);
        return value.IsNull ? 0 : (long)value;
    }

    public async ValueTask<long> AddAsync(string key, long delta, TimeSpan? ttl = null, CancellationToken ct = default)
    {
        CounterArguments.Ttl(ttl);
        var result = await db.ScriptEvaluateAsync(AddScript, [key], [delta, Milliseconds(ttl)]);
        return (long)result;
    }

    public async ValueTask<CounterUpdate> TryAddAsync(string key, long delta, long limit, TimeSpan? ttl = null, CancellationToken ct = default)
    {
        CounterArguments.Limit(limit);
        CounterArguments.Ttl(ttl);
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(TryAddScript, [key], [delta, limit, Milliseconds(ttl)]))!;
        return new CounterUpdate((long)result[0] == 1, (long)result[1]);
    }

    public async ValueTask<AdmissionResult> AdmitAsync(Admission admission, CancellationToken ct = default)
    {
        CounterArguments.Admission(admission);
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(
            AdmitScript, [admission.Gate, admission.Tally, admission.Book], [admission.Units, NameField(admission.Name), Milliseconds(admission.BookTtl)]))!;
        var verdict = (long)result[0] switch
        {
            1 => AdmissionVerdict.Admitted,
            2 => AdmissionVerdict.Seen,
            _ => AdmissionVerdict.Refused,
        };
        return new AdmissionResult(verdict, (long)result[1] == 1);
    }

    public async ValueTask RecordAsync(string book, IReadOnlyList<string> names, bool complete, TimeSpan ttl, CancellationToken ct = default)
    {
        CounterArguments.Ttl(ttl);
        var fields = names.Select(NameField).Append(complete ? CompleteField : null).OfType<string>().ToArray();
        // In slices, the mark last: a book is never marked complete before every name is in it. A slice stays well
        // within the arguments a Lua call unpacks at once.
        for (var start = 0; start < fields.Length; start += RecordSlice)
        {
            var slice = fields.AsSpan(start, Math.Min(RecordSlice, fields.Length - start));
            var args = new RedisValue[1 + (2 * slice.Length)];
            args[0] = Milliseconds(ttl);
            for (var i = 0; i < slice.Length; i++)
            {
                args[1 + (2 * i)] = slice[i];
                args[2 + (2 * i)] = 1;
            }
            await db.ScriptEvaluateAsync(RecordScript, [book], args);
        }
    }

    private const int RecordSlice = 1_000;

    public async ValueTask<bool> IsCompleteAsync(string book, CancellationToken ct = default) => await db.HashExistsAsync(book, CompleteField);

    public async ValueTask SetAsync(string key, long value, TimeSpan? ttl = null, CancellationToken ct = default)
    {
        CounterArguments.Ttl(ttl);
        await db.StringSetAsync(key, value, ttl, When.Always);
    }

    public async ValueTask<bool> DeleteAsync(string key, CancellationToken ct = default) => await db.KeyDeleteAsync(key);

    public async ValueTask<TokenTake> TryTakeAsync(string key, double capacity, double refillPerSecond, double tokens = 1, CancellationToken ct = default)
    {
        CounterArguments.Bucket(capacity, refillPerSecond, tokens);
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(
            TakeScript, [key], [Number(capacity), Number(refillPerSecond), Number(tokens), Number(TokenBucket.Tolerance)]))!;
        var allowed = (long)result[0] == 1;
        var left = double.Parse((string)result[1]!, CultureInfo.InvariantCulture);
        var waitMicroseconds = double.Parse((string)result[2]!, CultureInfo.InvariantCulture);
        return new TokenTake(allowed, left, allowed ? TimeSpan.Zero : RoundUp(waitMicroseconds));
    }

    public async ValueTask<CounterLock?> TryLockAsync(string key, TimeSpan ttl, CancellationToken ct = default)
    {
        CounterArguments.Ttl(ttl);
        var owner = CounterLock.NewOwner();
        // SET NX PX: taken only when absent, and expiring on its own.
        var taken = await db.StringSetAsync(key, owner, ttl, When.NotExists);
        return taken ? new CounterLock(this, key, owner) : null;
    }

    public async ValueTask<bool> ExtendLockAsync(string key, string owner, TimeSpan ttl, CancellationToken ct = default)
    {
        CounterArguments.Ttl(ttl);
        return (long)await db.ScriptEvaluateAsync(ExtendScript, [key], [owner, Milliseconds(ttl)]) == 1;
    }

    public async ValueTask<bool> ReleaseLockAsync(string key, string owner, CancellationToken ct = default) =>
        (long)await db.ScriptEvaluateAsync(ReleaseScript, [key], [owner]) == 1;

    public async ValueTask DisposeAsync() => await redis.DisposeAsync();

    public void Dispose() => redis.Dispose();

    /// <summary>A TTL in whole milliseconds, rounded up so that it never expires early; 0 for none.</summary>
    private static long Milliseconds(TimeSpan? ttl) => ttl is { } t ? Math.Max(1, (long)Math.Ceiling(t.TotalMilliseconds)) : 0;

    /// <summary>A name's field in a book: prefixed, so that no name can be taken for the mark "complete".</summary>
    private static string NameField(string name) => "n:" + name;

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static TimeSpan RoundUp(double microseconds) =>
        TimeSpan.FromTicks(Math.Max(1, (long)Math.Ceiling(microseconds * (TimeSpan.TicksPerSecond / 1_000_000.0))));
}
