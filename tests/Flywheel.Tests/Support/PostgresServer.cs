using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

[assembly: AssemblyFixture(typeof(Flywheel.Tests.Support.PostgresServer.Lifetime))]

namespace Flywheel.Tests.Support;

/// <summary>
/// A real PostgreSQL server from the machine's binaries (Debian's /usr/lib/postgresql/N/bin), in a temporary directory
/// on a free loopback port, shared by the whole test run and started on first use; each caller gets a fresh database
/// of its own. As root (CI containers), the server runs as the <c>postgres</c> system user, because initdb and the
/// server refuse to run as root. Durability is switched off: the data is thrown away after the run.
/// </summary>
public sealed class PostgresServer
{
    private const string Superuser = "flywheel";
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string root;
    private readonly string bin;
    private readonly string? runAs;
    private readonly Process process;
    private readonly StringBuilder log = new();

    private PostgresServer(string root, string bin, string? runAs, Process process, int port)
    {
        this.root = root;
        this.bin = bin;
        this.runAs = runAs;
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    private string DataDir => Path.Combine(root, "data");

    private string AdminConnectionString => ConnectionString("postgres");

    /// <summary>The run's server, started on first use; skips the test (fails on CI) when PostgreSQL is not installed.</summary>
    public static async Task<PostgresServer> GetAsync()
    {
        if (FindBinaries() is null)
        {
            Requirement.Missing("PostgreSQL server binaries are not installed (/usr/lib/postgresql/<version>/bin/initdb); " +
                "install the Debian package postgresql.");
        }
        return await Shared.Value;
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = Superuser,
        Pooling = true,
    }.ConnectionString;

    /// <summary>The Flywheel:Stores:State URI of a database.</summary>
    public string Uri(string database) => string.Create(CultureInfo.InvariantCulture, $"postgres://{Superuser}@127.0.0.1:{Port}/{database}");

    /// <summary>Creates an empty database with a fresh name and returns the name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return name;
    }

    /// <summary>Drops a database, closing whatever still uses it (idle pooled connections included).</summary>
    public async Task DropDatabaseAsync(string name)
    {
        await using (var c = new NpgsqlConnection(ConnectionString(name)))
        {
            NpgsqlConnection.ClearPool(c);
        }
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "postgres")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries()!;
        var runAs = IsRoot() ? "postgres" : null;
        var root = Directory.CreateTempSubdirectory("flywheel-pg-").FullName;
        if (runAs is not null)
        {
            // The temporary directory is the server's own; its parent (the temp root) is world-traversable.
            await RunAsync("chown", ["-R", $"{runAs}:", root]);
        }
        var data = Path.Combine(root, "data");
        await RunAsync(Path.Combine(bin, "initdb"),
            ["-D", data, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], runAs);

        var port = FreePort();
        var start = Command(Path.Combine(bin, "postgres"), [
            "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-h", "127.0.0.1", "-k", root,
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=400",
            "-c", "shared_buffers=64MB", "-c", "log_min_messages=warning"], runAs);
        var process = new Process { StartInfo = start };
        var server = new PostgresServer(root, bin, runAs, process, port);
        process.OutputDataReceived += server.Collect;
        process.ErrorDataReceived += server.Collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync();
        return server;
    }

    private async Task WaitUntilReadyAsync()
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString + ";Pooling=false;Timeout=5");
                await connection.OpenAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException)
            {
                if (process.HasExited || watch.Elapsed > StartTimeout)
                {
                    Stop();
                    throw new InvalidOperationException($"PostgreSQL did not start on port {Port}:\n{Log}", ex);
                }
                await Task.Delay(100);
            }
        }
    }

    private string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    private void Collect(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is not null)
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        }
    }

    private void Stop()
    {
        NpgsqlConnection.ClearAllPools();
        if (!process.HasExited)
        {
            // Immediate shutdown: the data is thrown away, so there is nothing to checkpoint.
            using var stop = Process.Start(Command(Path.Combine(bin, "pg_ctl"), ["stop", "-D", DataDir, "-m", "immediate", "-w"], runAs));
            if (stop is null || !stop.WaitForExit(TimeSpan.FromSeconds(30)) || !process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the OS to clean with the rest of the temp directory.
        }
    }

    private static ProcessStartInfo Command(string file, string[] args, string? runAs)
    {
        // setpriv execs the program itself (runuser and su stay as its parent), so the process is the server.
        var start = runAs is null ? new ProcessStartInfo(file) : new ProcessStartInfo("setpriv");
        if (runAs is not null)
        {
            foreach (var a in (string[])["--reuid", runAs, "--regid", runAs, "--init-groups", "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = Path.GetTempPath();
        return start;
    }

    private static async Task RunAsync(string file, string[] args, string? runAs = null)
    {
        using var process = Process.Start(Command(file, args, runAs))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    private static bool IsRoot()
    {
        try
        {
            return File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t')[2] == "0");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the run's server, if a test started it, when the run ends.</summary>
    public sealed class Lifetime : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
            {
                (await Shared.Value).Stop();
            }
        }
    }
}
