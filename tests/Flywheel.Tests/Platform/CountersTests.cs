using System.Collections.Concurrent;
using Flywheel.Platform.Counters;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Platform;

/// <summary>
/// The contract of <see cref="ICounters"/>, written once and run on both engines: in memory with a fake clock, and on
/// a real redis-server, where time is the server's and passes for real. Waits there are kept to about a second, and
/// long enough that a busy machine pausing between two calls does not change the outcome.
/// </summary>
public sealed class CountersTests(RedisServer redis) : IClassFixture<RedisServer>
{
    public static TheoryData<string> Engines => ["memory", "redis"];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TryAdd_UnderConcurrentBuyers_SellsExactlyTheStock(string engine)
    {
        // SPEC §6: 100,000 attempts for 1,000 units sell exactly 1,000. Scaled to 20,000 attempts so that the test stays
        // short; what matters is that attempts far outnumber the stock and run at once.
        await using var e = await OpenAsync(engine);
        const int stock = 1_000, attempts = 20_000, buyers = 64;
        await e.Counters.SetAsync(e.Key("stock"), stock);
        var sold = new ConcurrentBag<long>();
        var next = 0;
        var workers = Enumerable.Range(0, buyers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= attempts)
            {
                var update = await e.Counters.TryAddAsync(e.Key("stock"), -1, long.MaxValue);
                if (update.Succeeded)
                {
                    sold.Add(update.Value);
                }
            }
        }));
        await Task.WhenAll(workers);

        Assert.Equal(stock, sold.Count);
        // Each unit went to exactly one buyer: the stock left after each sale is different every time, 999 down to 0.
        Assert.Equal(Enumerable.Range(0, stock).Select(i => (long)i), sold.Order());
        Assert.Equal(0, await e.Counters.GetAsync(e.Key("stock")));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TryAdd_OutsideZeroToLimit_ChangesNothing(string engine)
    {
        await using var e = await OpenAsync(engine);
        var cap = e.Key("cap");

        Assert.Equal(new CounterUpdate(false, 0), await e.Counters.TryAddAsync(cap, -1, 3));
        Assert.Equal(new CounterUpdate(false, 0), await e.Counters.TryAddAsync(cap, 4, 3));
        Assert.Equal(new CounterUpdate(true, 2), await e.Counters.TryAddAsync(cap, 2, 3));
        Assert.Equal(new CounterUpdate(true, 3), await e.Counters.TryAddAsync(cap, 1, 3));
        Assert.Equal(new CounterUpdate(false, 3), await e.Counters.TryAddAsync(cap, 1, 3));
        Assert.Equal(new CounterUpdate(false, 3), await e.Counters.TryAddAsync(cap, -4, 3));
        Assert.Equal(new CounterUpdate(true, 0), await e.Counters.TryAddAsync(cap, -3, 3));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await e.Counters.TryAddAsync(cap, 1, -1));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Admit_TakesUnitsOncePerName_CountsEveryCall_AndTrustsOnlyACompleteBook(string engine)
    {
        await using var e = await OpenAsync(engine);
        var ttl = TimeSpan.FromMinutes(10);
        Admission Of(string name, long units = 1) => new(e.Key("gate"), units, e.Key("tally"), e.Key("book"), name, ttl);
        await e.Counters.SetAsync(e.Key("gate"), 3);

        Assert.Equal(new AdmissionResult(AdmissionVerdict.Admitted, false), await e.Counters.AdmitAsync(Of("a", 2)));
        // "a" again takes nothing: the gate keeps 3 − 2 = 1.
        Assert.Equal(new AdmissionResult(AdmissionVerdict.Seen, false), await e.Counters.AdmitAsync(Of("a", 2)));
        Assert.Equal(new AdmissionResult(AdmissionVerdict.Refused, false), await e.Counters.AdmitAsync(Of("b", 2)));
        Assert.Equal(1, await e.Counters.GetAsync(e.Key("gate")));
        // A refused name is not written: with the unit it asks for, it is admitted.
        Assert.Equal(new AdmissionResult(AdmissionVerdict.Admitted, false), await e.Counters.AdmitAsync(Of("b")));
        Assert.False(await e.Counters.IsCompleteAsync(e.Key("book")));

        await e.Counters.RecordAsync(e.Key("book"), ["x", "y"], complete: true, ttl);
        Assert.True(await e.Counters.IsCompleteAsync(e.Key("book")));
        Assert.Equal(new AdmissionResult(AdmissionVerdict.Seen, true), await e.Counters.AdmitAsync(Of("x")));
        Assert.Equal(new AdmissionResult(AdmissionVerdict.Seen, true), await e.Counters.AdmitAsync(Of("a")));
        Assert.Equal(new AdmissionResult(AdmissionVerdict.Refused, true), await e.Counters.AdmitAsync(Of("c")));
        // Calls: a, a, b, b, x, a, c = 7, whatever each was answered.
        Assert.Equal(7, await e.Counters.GetAsync(e.Key("tally")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await e.Counters.AdmitAsync(Of("d", 0)));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Admit_UnderConcurrentCallers_AdmitsExactlyTheUnits_AndEveryAdmittedNameIsSeenAfter(string engine)
    {
        await using var e = await OpenAsync(engine);
        const int units = 500, calls = 5_000;
        var ttl = TimeSpan.FromMinutes(10);
        Admission Of(int n) => new(e.Key("gate"), 1, e.Key("tally"), e.Key("book"), $"key-{n}", ttl);
        await e.Counters.SetAsync(e.Key("gate"), units);
        var admitted = new ConcurrentBag<int>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            for (var n = Interlocked.Increment(ref next); n < calls; n = Interlocked.Increment(ref next))
            {
                if ((await e.Counters.AdmitAsync(Of(n))).Verdict == AdmissionVerdict.Admitted)
                {
                    admitted.Add(n);
                }
            }
        })));

        Assert.Equal(units, admitted.Count);
        Assert.Equal(0, await e.Counters.GetAsync(e.Key("gate")));
        Assert.Equal(calls, await e.Counters.GetAsync(e.Key("tally")));
        foreach (var n in admitted.Take(50))
        {
            Assert.Equal(AdmissionVerdict.Seen, (await e.Counters.AdmitAsync(Of(n))).Verdict);
        }
        var refused = Enumerable.Range(0, calls).Except(admitted).First();
        Assert.Equal(AdmissionVerdict.Refused, (await e.Counters.AdmitAsync(Of(refused))).Verdict);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Book_ExpiresAsAWhole_NamesAndCompletenessTogether(string engine)
    {
        await using var e = await OpenAsync(engine);
        var book = e.Key("book");
        await e.Counters.SetAsync(e.Key("gate"), 5);
        await e.Counters.RecordAsync(book, ["a"], complete: true, TimeSpan.FromSeconds(1));
        // A later write keeps the book's expiry rather than extending it to an hour.
        await e.Counters.RecordAsync(book, ["b"], complete: false, TimeSpan.FromHours(1));

        await e.WaitAsync(TimeSpan.FromMilliseconds(1_200));
        Assert.False(await e.Counters.IsCompleteAsync(book));
        // "b" is gone with the book, so it is admitted again (taking a unit), into a new book that is not complete.
        var again = await e.Counters.AdmitAsync(new Admission(e.Key("gate"), 1, e.Key("tally"), book, "b", TimeSpan.FromHours(1)));
        Assert.Equal(new AdmissionResult(AdmissionVerdict.Admitted, false), again);
        Assert.Equal(4, await e.Counters.GetAsync(e.Key("gate")));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AddSetGetDelete_BehaveAsOneNumber(string engine)
    {
        await using var e = await OpenAsync(engine);
        var key = e.Key("n");

        Assert.Equal(0, await e.Counters.GetAsync(key));
        Assert.Equal(5, await e.Counters.AddAsync(key, 5));
        Assert.Equal(3, await e.Counters.AddAsync(key, -2));
        await e.Counters.SetAsync(key, 42);
        Assert.Equal(42, await e.Counters.GetAsync(key));
        Assert.True(await e.Counters.DeleteAsync(key));
        Assert.False(await e.Counters.DeleteAsync(key));
        Assert.Equal(0, await e.Counters.GetAsync(key));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Counter_WithTtl_ExpiresWhenItsWindowEnds_AndLaterAddsKeepTheWindow(string engine)
    {
        await using var e = await OpenAsync(engine);
        var window = e.Key("window");
        var permanent = e.Key("permanent");

        await e.Counters.AddAsync(window, 1, TimeSpan.FromSeconds(1));
        Assert.Equal(new CounterUpdate(true, 2), await e.Counters.TryAddAsync(window, 1, 10, TimeSpan.FromHours(1)));
        await e.Counters.SetAsync(permanent, 7, TimeSpan.FromSeconds(1));
        await e.Counters.SetAsync(permanent, 8);

        await e.WaitAsync(TimeSpan.FromMilliseconds(1100));

        Assert.Equal(0, await e.Counters.GetAsync(window));
        Assert.Equal(8, await e.Counters.GetAsync(permanent));
        Assert.Equal(1, await e.Counters.AddAsync(window, 1));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TokenBucket_EmptyBucket_RefusesUntilItRefills(string engine)
    {
        await using var e = await OpenAsync(engine);
        var bucket = e.Key("bucket");
        // Capacity 3, 2 tokens/s: three takes at once, then one more every 500 ms.
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await e.Counters.TryTakeAsync(bucket, 3, 2)).Allowed);
        }

        var refused = await e.Counters.TryTakeAsync(bucket, 3, 2);
        Assert.False(refused.Allowed);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(500));

        // A timer may fire a millisecond or so before its time on a busy machine, while Redis counts microseconds: wait
        // the advised time plus 20 ms (0.04 of a token, so the next take is still refused).
        await e.WaitAsync(refused.RetryAfter + TimeSpan.FromMilliseconds(20));
        var granted = await e.Counters.TryTakeAsync(bucket, 3, 2);
        Assert.True(granted.Allowed);
        Assert.Equal(TimeSpan.Zero, granted.RetryAfter);
        Assert.False((await e.Counters.TryTakeAsync(bucket, 3, 2)).Allowed);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await e.Counters.TryTakeAsync(bucket, 3, 2, tokens: 4));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TokenBucket_TakingSeveralTokens_WaitsForAllOfThem(string engine)
    {
        await using var e = await OpenAsync(engine);
        var bucket = e.Key("bucket");

        Assert.True((await e.Counters.TryTakeAsync(bucket, 100, 100, tokens: 100)).Allowed);
        var refused = await e.Counters.TryTakeAsync(bucket, 100, 100, tokens: 50);

        // 50 tokens at 100/s: 500 ms, less whatever refilled between the two calls.
        Assert.False(refused.Allowed);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500));
        Assert.InRange(refused.Remaining, 0, 25);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Lock_IsExclusive_AndReleasedOnlyByItsOwner(string engine)
    {
        await using var e = await OpenAsync(engine);
        var key = e.Key("lock");

        var held = await e.Counters.TryLockAsync(key, TimeSpan.FromMinutes(1));
        Assert.NotNull(held);
        Assert.Null(await e.Counters.TryLockAsync(key, TimeSpan.FromMinutes(1)));
        Assert.False(await e.Counters.ReleaseLockAsync(key, "someone-else"));
        Assert.False(await e.Counters.ExtendLockAsync(key, "someone-else", TimeSpan.FromMinutes(1)));
        Assert.Null(await e.Counters.TryLockAsync(key, TimeSpan.FromMinutes(1)));

        await held.DisposeAsync();

        await using var next = await e.Counters.TryLockAsync(key, TimeSpan.FromMinutes(1));
        Assert.NotNull(next);
        Assert.NotEqual(held.Owner, next.Owner);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Lock_TakenAtOnceByManyCallers_GoesToExactlyOne(string engine)
    {
        await using var e = await OpenAsync(engine);
        var key = e.Key("lock");
        using var go = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            go.Wait();
            return await e.Counters.TryLockAsync(key, TimeSpan.FromMinutes(1));
        })).ToArray();
        go.Set();
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r is not null);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Lock_OfAHolderThatDied_ExpiresAfterItsTtl_AndTheOldHolderCannotTouchTheNewLock(string engine)
    {
        await using var e = await OpenAsync(engine);
        var key = e.Key("lock");

        var dead = await e.Counters.TryLockAsync(key, TimeSpan.FromMilliseconds(200));
        Assert.NotNull(dead);
        await e.WaitAsync(TimeSpan.FromMilliseconds(300));
        var alive = await e.Counters.TryLockAsync(key, TimeSpan.FromSeconds(1));
        Assert.NotNull(alive);

        Assert.False(await dead.ExtendAsync(TimeSpan.FromMinutes(1)));
        Assert.False(await dead.ReleaseAsync());
        Assert.Null(await e.Counters.TryLockAsync(key, TimeSpan.FromMinutes(1)));

        // Extended in time, the lock outlives its first TTL.
        Assert.True(await alive.ExtendAsync(TimeSpan.FromMinutes(1)));
        await e.WaitAsync(TimeSpan.FromMilliseconds(1100));
        Assert.Null(await e.Counters.TryLockAsync(key, TimeSpan.FromMinutes(1)));
        Assert.True(await alive.ReleaseAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Key_HoldingALock_IsNotReadAsACounter(string engine)
    {
        await using var e = await OpenAsync(engine);
        var key = e.Key("lock");
        await using var held = await e.Counters.TryLockAsync(key, TimeSpan.FromMinutes(1));

        await Assert.ThrowsAnyAsync<Exception>(async () => await e.Counters.AddAsync(key, 1));
    }

    [Fact]
    public async Task Memory_ExpiredEntries_AreSweptOut()
    {
        var clock = new FakeTimeProvider();
        using var counters = new MemoryCounters(clock);
        await counters.AddAsync("ws_1:test:a", 1, TimeSpan.FromSeconds(1));
        await counters.TryTakeAsync("ws_1:test:b", 10, 10);
        await using (await counters.TryLockAsync("ws_1:test:c", TimeSpan.FromSeconds(1)))
        {
        }
        await counters.TryLockAsync("ws_1:test:d", TimeSpan.FromSeconds(1));
        await counters.AddAsync("ws_1:test:kept", 1);
        Assert.Equal(4, counters.Count);

        clock.Advance(MemoryCounters.SweepInterval);

        Assert.Equal(1, counters.Count);
    }

    [Fact]
    public void Settings_ParseTheDocumentedForms()
    {
        Assert.Null(CountersSetup.Parse(null).Redis);
        Assert.Null(CountersSetup.Parse("memory:").Redis);
        var redis = CountersSetup.Parse("redis://:s3cret@cache.internal:6380/2");
        Assert.Equal("redis://cache.internal:6380/2", redis.Description);
        Assert.Equal("s3cret", redis.Redis!.Password);
        Assert.Equal(2, redis.Redis.DefaultDatabase);
        Assert.Equal("redis://localhost:6379/0", CountersSetup.Parse("redis://localhost").Description);

        foreach (var bad in (string[])["redis://", "mongodb://db:27017", "redis://host/x", "redis://host/99", "nonsense"])
        {
            var ex = Assert.Throws<FormatException>(() => CountersSetup.Parse(bad));
            Assert.Contains("Flywheel:Stores:Counters", ex.Message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("s3cret", Assert.Throws<FormatException>(() => CountersSetup.Parse("redis://:s3cret@host/x")).Message, StringComparison.Ordinal);
    }

    private async Task<Engine> OpenAsync(string engine)
    {
        var prefix = $"ws_test{Guid.NewGuid():N}:counters-test:";
        if (engine == "memory")
        {
            var clock = new FakeTimeProvider();
            return new Engine(new MemoryCounters(clock), prefix, t =>
            {
                clock.Advance(t);
                return Task.CompletedTask;
            });
        }
        var counters = CountersSetup.Open(redis.Uri, TimeProvider.System);
        await counters.GetAsync(prefix + "ping");
        return new Engine(counters, prefix, t => Task.Delay(t));
    }

    /// <summary>An engine under test, with a key prefix of the test's own and the way time passes for it.</summary>
    private sealed record Engine(ICounters Counters, string Prefix, Func<TimeSpan, Task> Wait) : IAsyncDisposable
    {
        public string Key(string name) => Prefix + name;

        public Task WaitAsync(TimeSpan t) => Wait(t);

        public async ValueTask DisposeAsync()
        {
            switch (Counters)
            {
                case IAsyncDisposable a:
                    await a.DisposeAsync();
                    break;
                case IDisposable d:
                    d.Dispose();
                    break;
            }
        }
    }
}
