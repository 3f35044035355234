using System.Net;
using Flywheel.Platform.Counters;
using Flywheel.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Flywheel.Tests.Platform;

/// <summary>The ingestion rate limit per API key, on both counters engines, and how start-up treats the counters setting.</summary>
public sealed class IngestRateLimitTests(RedisServer redis) : IClassFixture<RedisServer>
{
    public static TheoryData<string> Engines => ["memory", "redis"];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Key_OverItsRateLimit_Gets429WithRetryAfter_ThenIsServedOnceTheBucketRefills(string engine)
    {
        // 1 event/s with a burst of 2. On the memory engine the clock stands still, so the third event is refused; on
        // Redis time passes for real and a slow machine may have refilled a token meanwhile, hence "until refused".
        var settings = new Dictionary<string, string?>
        {
            ["Flywheel:Ingest:RateLimitPerSecond"] = "1",
            ["Flywheel:Ingest:RateLimitBurst"] = "2",
        };
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Func<TimeSpan, Task> wait;
        Action<WebApplicationBuilder>? configure = null;
        if (engine == "redis")
        {
            settings["Flywheel:Stores:Counters"] = redis.Uri;
            wait = t => Task.Delay(t);
        }
        else
        {
            // Named, so that the production test run keeps this case on memory too.
            settings["Flywheel:Stores:Counters"] = "memory:";
            configure = b => b.Services.AddSingleton<TimeProvider>(clock);
            wait = t =>
            {
                clock.Advance(t);
                return Task.CompletedTask;
            };
        }
        await using var app = await FlywheelApp.StartAsync(settings, configure);

        Assert.Equal(HttpStatusCode.OK, (await app.PostEventsAsync(Event("e1"), Event("e2"))).StatusCode);
        HttpResponseMessage refused;
        var sent = 2;
        do
        {
            refused = await app.PostEventsAsync(Event($"e{++sent}"));
        }
        while (refused.StatusCode == HttpStatusCode.OK && sent < 10);

        if (engine == "memory")
        {
            Assert.Equal(3, sent);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // At most one second to wait for one token at 1/s, in whole seconds.
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        var problem = await FlywheelApp.ReadJsonAsync(refused);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal(1, problem.GetProperty("retry_after_seconds").GetInt32());
        // The limit is the public key's: the secret key of the same workspace still sends.
        using (var secret = app.CreateClient(app.SecretKey))
        {
            var other = await secret.PostAsJsonAsync("/api/v1/events/batch", new { events = new[] { Event("s1") } });
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        await wait(refused.Headers.RetryAfter!.Delta!.Value);

        Assert.Equal(HttpStatusCode.OK, (await app.PostEventsAsync(Event($"e{sent}"))).StatusCode);
    }

    [Fact]
    public async Task Start_WithACountersSettingThatDoesNotParse_FailsNamingTheSetting()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => FlywheelApp.StartAsync(
            new Dictionary<string, string?> { ["Flywheel:Stores:Counters"] = "mongodb://cache:27017" }));

        Assert.IsType<OptionsValidationException>(ex);
        Assert.Contains(CountersSetup.Setting, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithAnUnreachableRedis_FailsNamingTheSetting()
    {
        // Port 1 on loopback: nothing listens there.
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => FlywheelApp.StartAsync(
            new Dictionary<string, string?> { ["Flywheel:Stores:Counters"] = "redis://127.0.0.1:1" }));

        Assert.Contains(CountersSetup.Setting, ex.Message, StringComparison.Ordinal);
        Assert.Contains("redis://127.0.0.1:1/0", ex.Message, StringComparison.Ordinal);
    }

    private static object Event(string id) => new { event_id = id, type = "page_view", customer_id = "c1" };
}
