using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

[assembly: AssemblyFixture(typeof(Flywheel.Tests.Support.ClickHouseServer.Lifetime))]

namespace Flywheel.Tests.Support;

/// <summary>
/// ClickHouse servers started from the machine's own binary (Debian's clickhouse-server; FLYWHEEL_CLICKHOUSE names another),
/// never the system service: each is a child process on free loopback ports with a generated configuration in a temporary
/// directory. <see cref="OneNode"/> is one server; <see cref="TwoShards"/> is two servers named as the two shards of
/// <see cref="ClusterName"/> in both of their remote_servers sections. Starting costs seconds, so they are shared by
/// the whole test run and killed when it ends; each test asks for a fresh database with <see cref="NewDatabaseAsync"/>.
/// </summary>
public sealed class ClickHouseServer : IAsyncDisposable
{
    public const string OverrideVariable = "FLYWHEEL_CLICKHOUSE";
    public const string ClusterName = "flywheel_two_shards";

    private static readonly Lazy<Task<ClickHouseServer>> SingleServer = new(() => StartAsync(1));
    private static readonly Lazy<Task<ClickHouseServer>> ClusterServers = new(() => StartAsync(2));
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    private readonly List<Node> nodes;

    private ClickHouseServer(List<Node> nodes)
    {
        this.nodes = nodes;
    }

    private sealed record Node(Process Process, int HttpPort, int TcpPort, string Directory, StringBuilder Output);

    /// <summary>The HTTP addresses of the servers.</summary>
    public IReadOnlyList<Uri> Hosts => [.. nodes.Select(n => new Uri($"http://127.0.0.1:{n.HttpPort}/"))];

    /// <summary>The one-node server; skips the test (fails on CI) when ClickHouse is not installed.</summary>
    public static Task<ClickHouseServer> OneNode() => Get(SingleServer);

    /// <summary>The two-shard cluster; skips the test (fails on CI) when ClickHouse is not installed.</summary>
    public static Task<ClickHouseServer> TwoShards() => Get(ClusterServers);

    private static Task<ClickHouseServer> Get(Lazy<Task<ClickHouseServer>> server)
    {
        if (FindBinary() is null)
        {
            Requirement.Missing(
                $"No ClickHouse server found: install it (apt-get install clickhouse-server) or set {OverrideVariable} to its binary.");
        }
        return server.Value;
    }

    /// <summary>A new, empty database on every node, and the event-store URI that reaches it.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        foreach (var host in Hosts)
        {
            await ExecuteAsync(host, $"CREATE DATABASE {name}");
        }
        return Uri(name);
    }

    public string Uri(string database) => nodes.Count == 1
        ? $"clickhouse://127.0.0.1:{nodes[0].HttpPort}/{database}"
        : $"clickhouse://{string.Join(",", nodes.Select(n => $"127.0.0.1:{n.HttpPort}"))}/{database}?cluster={ClusterName}";

    /// <summary>Runs a statement on every node (what the tests do behind the store's back).</summary>
    public async Task ExecuteOnEachAsync(string sql)
    {
        foreach (var host in Hosts)
        {
            await ExecuteAsync(host, sql);
        }
    }

    /// <summary>Runs a query on the first node and returns its TabSeparated answer.</summary>
    public Task<string> QueryAsync(string sql) => ExecuteAsync(Hosts[0], sql + " FORMAT TabSeparated");

    private static async Task<string> ExecuteAsync(Uri host, string sql)
    {
        using var response = await Http.PostAsync(host, new StringContent(sql));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"ClickHouse refused '{sql}': {text}");
        }
        return text;
    }

    private static string? FindBinary()
    {
        var configured = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : null;
        }
        return new[] { "/usr/bin/clickhouse-server", "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse" }.FirstOrDefault(File.Exists)
            ?? ChildProcess.FindOnPath("clickhouse-server") ?? ChildProcess.FindOnPath("clickhouse");
    }

    private static async Task<ClickHouseServer> StartAsync(int count)
    {
        var binary = FindBinary()!;
        var ports = FreePorts(count * 3);
        var shards = string.Concat(Enumerable.Range(0, count).Select(i =>
            $"<shard><replica><host>127.0.0.1</host><port>{ports[i * 3 + 1]}</port></replica></shard>"));
        var nodes = new List<Node>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var dir = Directory.CreateTempSubdirectory("flywheel-clickhouse-").FullName;
                var (httpPort, tcpPort, interserverPort) = (ports[i * 3], ports[i * 3 + 1], ports[i * 3 + 2]);
                await File.WriteAllTextAsync(Path.Combine(dir, "config.xml"), $"""
                    <?xml version="1.0"?>
                    <yandex>
                      <logger><level>warning</level><console>1</console></logger>
                      <http_port>{httpPort}</http_port>
                      <tcp_port>{tcpPort}</tcp_port>
                      <interserver_http_port>{interserverPort}</interserver_http_port>
                      <interserver_http_host>127.0.0.1</interserver_http_host>
                      <listen_host>127.0.0.1</listen_host>
                      <path>{dir}/data/</path>
                      <tmp_path>{dir}/tmp/</tmp_path>
                      <user_files_path>{dir}/user_files/</user_files_path>
                      <format_schema_path>{dir}/format_schemas/</format_schema_path>
                      <users_config>{dir}/users.xml</users_config>
                      <default_profile>default</default_profile>
                      <default_database>default</default_database>
                      <timezone>UTC</timezone>
                      <mark_cache_size>268435456</mark_cache_size>
                      <remote_servers><{ClusterName}>{shards}</{ClusterName}></remote_servers>
                    </yandex>
                    """);
                await File.WriteAllTextAsync(Path.Combine(dir, "users.xml"), """
                    <?xml version="1.0"?>
                    <yandex>
                      <profiles><default><max_threads>2</max_threads></default></profiles>
                      <users>
                        <default>
                          <password></password>
                          <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                          <profile>default</profile>
                          <quota>default</quota>
                        </default>
                      </users>
                      <quotas><default></default></quotas>
                    </yandex>
                    """);
                nodes.Add(Launch(binary, dir, httpPort, tcpPort));
            }
            foreach (var node in nodes)
            {
                await WaitForPingAsync(node);
            }
        }
        catch
        {
            foreach (var node in nodes)
            {
                Stop(node);
            }
            throw;
        }
        return new ClickHouseServer(nodes);
    }

    private static Node Launch(string binary, string dir, int httpPort, int tcpPort)
    {
        // The multi-call binary (/usr/bin/clickhouse) needs the "server" verb; clickhouse-server is a link that implies it.
        var start = new ProcessStartInfo(binary) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileName(binary) == "clickhouse")
        {
            start.ArgumentList.Add("server");
        }
        start.ArgumentList.Add($"--config-file={Path.Combine(dir, "config.xml")}");
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        void Collect(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        }
        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Node(process, httpPort, tcpPort, dir, output);
    }

    private static async Task WaitForPingAsync(Node node)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            if (node.Process.HasExited)
            {
                break;
            }
            try
            {
                if ((await client.GetStringAsync(new Uri($"http://127.0.0.1:{node.HttpPort}/ping"))).StartsWith("Ok", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        string output;
        lock (node.Output)
        {
            output = node.Output.ToString();
        }
        throw new InvalidOperationException($"ClickHouse on port {node.HttpPort} did not answer /ping: {output}");
    }

    /// <summary>Ports the OS hands out for port 0, all held at once so that none is handed out twice.</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        foreach (var l in listeners)
        {
            l.Start();
        }
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners)
        {
            l.Stop();
        }
        return ports;
    }

    private static void Stop(Node node)
    {
        try
        {
            if (!node.Process.HasExited)
            {
                node.Process.Kill(entireProcessTree: true);
                node.Process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        node.Process.Dispose();
        try
        {
            Directory.Delete(node.Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
    }

    private int disposed;

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            foreach (var node in nodes)
            {
                Stop(node);
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Stops the run's servers, if tests started them, while the runner is still running: stopping them from a
    /// process-exit handler instead would keep the finished process alive, and the runner then reports it as hung.
    /// </summary>
    public sealed class Lifetime : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var servers in new[] { SingleServer, ClusterServers })
            {
                if (servers.IsValueCreated && servers.Value.IsCompletedSuccessfully)
                {
                    await (await servers.Value).DisposeAsync();
                }
            }
        }
    }
}
