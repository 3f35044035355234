using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Flywheel.Platform.Counters;

/// <summary>
/// Picks the counters engine from <c>Flywheel:Stores:Counters</c>: <c>memory:</c> (the default when unset) or
/// <c>redis://[[user]:password@]host[:port][/db]</c> (<c>rediss://</c> for TLS). A setting that does not parse, or a
/// Redis that cannot be reached, stops start-up with a message naming the setting.
/// </summary>
public static class CountersSetup
{
    public const string Setting = "Flywheel:Stores:Counters";
    private const int DefaultRedisPort = 6379;

    public static IServiceCollection AddCounters(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<FlywheelOptions>, CountersSettingValidation>();
        services.AddSingleton(sp =>
            Open(sp.GetRequiredService<IOptions<FlywheelOptions>>().Value.Stores.Counters, sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<CountersStartup>();
        return services;
    }

    /// <summary>What a counters URI asks for: the in-process engine (<see cref="Redis"/> null) or a Redis server.</summary>
    public sealed record Target(string Description, ConfigurationOptions? Redis);

    /// <summary>Reads the setting; a <see cref="FormatException"/> says what is wrong with it (never showing a password).</summary>
    public static Target Parse(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri) || uri.Trim() is var m && (m.Equals("memory:", StringComparison.OrdinalIgnoreCase) || m.Equals("memory://", StringComparison.OrdinalIgnoreCase)))
        {
            return new Target("memory", null);
        }
        if (!Uri.TryCreate(uri.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("redis" or "rediss"))
        {
            throw Invalid(uri, "expected memory: or redis://[:password@]host[:port][/db]");
        }
        if (string.IsNullOrEmpty(parsed.Host))
        {
            throw Invalid(uri, "the Redis host is missing");
        }
        if (parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            throw Invalid(uri, "query options are not supported");
        }
        var path = parsed.AbsolutePath.Trim('/');
        var database = 0;
        if (path.Length > 0 && (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database > 15))
        {
            throw Invalid(uri, $"the path must be a database number from 0 to 15, not '{path}'");
        }
        var port = parsed.IsDefaultPort || parsed.Port < 0 ? DefaultRedisPort : parsed.Port;
        var options = new ConfigurationOptions
        {
            EndPoints = { { parsed.DnsSafeHost, port } },
            DefaultDatabase = database,
            Ssl = parsed.Scheme == "rediss",
            ClientName = "flywheel",
            // Start-up fails on an unreachable server instead of serving with counters that do not work; once
            // connected, the multiplexer reconnects by itself.
            AbortOnConnectFail = true,
            ConnectTimeout = 5000,
            // While the connection is down, operations fail at once instead of queueing: a request waiting on a
            // counter is better answered (or let through, as the rate limit does) than held for seconds.
            BacklogPolicy = BacklogPolicy.FailFast,
        };
        if (parsed.UserInfo.Length > 0)
        {
            var colon = parsed.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? "" : parsed.UserInfo[..colon]);
            options.Password = Uri.UnescapeDataString(colon < 0 ? parsed.UserInfo : parsed.UserInfo[(colon + 1)..]);
            options.User = user.Length > 0 ? user : null;
        }
        var host = parsed.HostNameType == UriHostNameType.IPv6 ? $"[{parsed.DnsSafeHost}]" : parsed.DnsSafeHost;
        return new Target($"{parsed.Scheme}://{host}:{port}/{database}", options);
    }

    /// <summary>The engine <paramref name="uri"/> names, connected; <paramref name="clock"/> is the memory engine's time.</summary>
    public static ICounters Open(string? uri, TimeProvider clock)
    {
        var target = Parse(uri);
        return target.Redis is null ? new MemoryCounters(clock) : Connect(target);
    }

    private static RedisCounters Connect(Target target)
    {
        try
        {
            return new RedisCounters(ConnectionMultiplexer.Connect(target.Redis!), target.Description);
        }
        catch (RedisConnectionException ex)
        {
            // The client's own message advises a setting Flywheel deliberately does not use; the failure type is enough.
            throw new InvalidOperationException(
                $"{Setting}: cannot connect to Redis at {target.Description} ({ex.FailureType}); is it running and reachable from here?", ex);
        }
    }

    private static FormatException Invalid(string uri, string why) => new($"{Setting} is '{Redact(uri)}': {why}.");

    /// <summary>The URI as configured, with any password replaced, so that it can appear in errors and logs.</summary>
    private static string Redact(string uri)
    {
        var at = uri.LastIndexOf('@');
        var start = uri.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && start >= 0 && at > start ? uri[..(start + 3)] + "***" + uri[at..] : uri;
    }

    /// <summary>Fails start-up on a setting that does not parse, before anything tries to use the counters.</summary>
    private sealed class CountersSettingValidation : IValidateOptions<FlywheelOptions>
    {
        public ValidateOptionsResult Validate(string? name, FlywheelOptions options)
        {
            try
            {
                Parse(options.Stores.Counters);
                return ValidateOptionsResult.Success;
            }
            catch (FormatException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}

/// <summary>Connects the counters engine as the host starts (so an unreachable Redis stops it) and says which it is.</summary>
internal sealed class CountersStartup(IServiceProvider services, ILogger<CountersStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var counters = services.GetRequiredService<ICounters>();
        logger.LogInformation("Hot counters: {Counters}", counters.Description);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
