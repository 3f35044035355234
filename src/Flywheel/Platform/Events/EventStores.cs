using System.Text.RegularExpressions;

namespace Flywheel.Platform.Events;

/// <summary>Picks the event store from <c>Flywheel:Stores:Events</c>: DuckDB embedded (default) or ClickHouse.</summary>
public static partial class EventStores
{
    public const string Setting = "Flywheel:Stores:Events";

    /// <summary>The store the setting names; a setting that is not a usable URI stops start-up with a message naming it.</summary>
    public static IEventStore Create(FlywheelOptions options, ILogger logger)
    {
        var uri = options.Stores.Events;
        if (string.IsNullOrWhiteSpace(uri))
        {
            var path = Path.Combine(options.FullDataDir, "events.duckdb");
            logger.LogInformation("Events stored in DuckDB at {Path}", path);
            return new DuckDbEventStore(path);
        }
        if (uri.StartsWith("duckdb://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = uri["duckdb://".Length..];
            if (rest.Length == 0)
            {
                throw Invalid(uri, "a DuckDB URI needs a file path: duckdb:///path/events.duckdb");
            }
            var path = Path.GetFullPath(rest, options.FullDataDir);
            logger.LogInformation("Events stored in DuckDB at {Path}", path);
            return new DuckDbEventStore(path);
        }
        if (uri.StartsWith("clickhouse://", StringComparison.OrdinalIgnoreCase))
        {
            var endpoint = ClickHouseEndpoint.Parse(uri);
            logger.LogInformation("Events stored in ClickHouse: {Endpoint}", endpoint);
            return new ClickHouseEventStore(endpoint);
        }
        throw Invalid(uri, "the scheme must be duckdb:// or clickhouse://");
    }

    internal static InvalidOperationException Invalid(string uri, string why) =>
        new($"{Setting} = '{Redact(uri)}' is not usable: {why}.");

    /// <summary>The URI without its password, for messages and logs.</summary>
    internal static string Redact(string uri) => Password().Replace(uri, "$1:***@");

    [GeneratedRegex("^([a-z]+://[^:/@]+):[^@]*@", RegexOptions.IgnoreCase)]
    private static partial Regex Password();
}

/// <summary>
/// Where ClickHouse is: <c>clickhouse://[user[:password]@]host:port[,host:port...]/database[?cluster=name]</c>. Several hosts
/// need a cluster: its name in the servers' <c>remote_servers</c>, over which a Distributed table spreads the events.
/// </summary>
public sealed partial record ClickHouseEndpoint(IReadOnlyList<Uri> Hosts, string Database, string? Cluster, string? User, string? Password)
{
    public static ClickHouseEndpoint Parse(string uri)
    {
        var rest = uri["clickhouse://".Length..];
        string? query = null;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var database = slash < 0 ? "" : rest[(slash + 1)..];
        string? user = null, password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = authority[..at];
            authority = authority[(at + 1)..];
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? credentials : credentials[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(credentials[(colon + 1)..]);
        }
        var hosts = new List<Uri>();
        foreach (var host in authority.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate("http://" + host + "/", UriKind.Absolute, out var http) || http.Host.Length == 0 || host.Contains('/', StringComparison.Ordinal))
            {
                throw EventStores.Invalid(uri, $"'{host}' is not a host:port");
            }
            hosts.Add(http);
        }
        if (!Identifier().IsMatch(database))
        {
            throw EventStores.Invalid(uri, "the path must name the database (letters, digits, underscores): clickhouse://host:8123/flywheel");
        }
        string? cluster = null;
        foreach (var pair in (query ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv[0] == "cluster" && kv.Length == 2 && Identifier().IsMatch(kv[1]))
            {
                cluster = kv[1];
            }
            else
            {
                throw EventStores.Invalid(uri, $"unknown or malformed option '{pair}' (only cluster=name)");
            }
        }
        if (hosts.Count > 1 && cluster is null)
        {
            throw EventStores.Invalid(uri, "several hosts need ?cluster=name, the cluster of their remote_servers");
        }
        return new ClickHouseEndpoint(hosts, database, cluster, user, password);
    }

    public override string ToString() =>
        $"{string.Join(", ", Hosts.Select(h => h.Authority))} database {Database}" + (Cluster is null ? "" : $" (Distributed over cluster {Cluster})");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
