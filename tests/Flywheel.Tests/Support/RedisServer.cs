using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

[assembly: AssemblyFixture(typeof(Flywheel.Tests.Support.RedisServer.Lifetime))]

namespace Flywheel.Tests.Support;

/// <summary>
/// A real redis-server of its own on a free loopback port, shared by the tests of a class
/// (<c>IClassFixture&lt;RedisServer&gt;</c>): started from the machine's binary (Debian's redis-server package) in a
/// temporary directory with persistence off, and killed when the class is done. Tests keep apart by using keys of their
/// own. Without the binary the tests that ask for <see cref="Uri"/> are skipped, except on CI (<see cref="Requirement"/>).
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    public const string Executable = "/usr/bin/redis-server";

    private Process? process;
    private string? directory;
    private readonly StringBuilder output = new();

    /// <summary>The server as a Flywheel:Stores:Counters URI; skips (or, on CI, fails) the test when there is no redis-server.</summary>
    public string Uri
    {
        get
        {
            if (process is null)
            {
                Requirement.Missing($"No {Executable}: install it (apt-get install redis-server) to run the Redis tests.");
            }
            return $"redis://127.0.0.1:{Port}";
        }
    }

    public int Port { get; private set; }

    private static readonly Lazy<Task<RedisServer>> Shared = new(async () =>
    {
        var server = new RedisServer();
        await server.InitializeAsync();
        return server;
    });

    /// <summary>One server for the whole test run, for hosts on the production stores; stopped when the run ends.</summary>
    public static Task<RedisServer> SharedAsync() => Shared.Value;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            return;
        }
        directory = Directory.CreateTempSubdirectory("flywheel-redis-").FullName;
        // A port found free can be taken by another process before redis binds it; a second port then does.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            process = Start(Port, directory);
            if (await AnswersPingAsync(TimeSpan.FromSeconds(10)))
            {
                return;
            }
            Stop();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"redis-server did not answer PING on port {Port}. Output:\n{Output()}");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        if (directory is not null)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // The temp directory is cleaned by the OS eventually.
            }
        }
        return ValueTask.CompletedTask;
    }

    private Process Start(int port, string dir)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"])
        {
            start.ArgumentList.Add(a);
        }
        var p = new Process { StartInfo = start };
        p.OutputDataReceived += Collect;
        p.ErrorDataReceived += Collect;
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private void Collect(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is not null)
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        }
    }

    private string Output()
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>Sends PING over a plain socket until the server answers +PONG, it exits, or time runs out.</summary>
    private async Task<bool> AnswersPingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && process is { HasExited: false })
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            await Task.Delay(20);
        }
        return false;
    }

    private void Stop()
    {
        if (process is null)
        {
            return;
        }
        try
        {
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        process.Dispose();
        process = null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the run's shared server, if a test started it, while the runner is still running (see ClickHouseServer.Lifetime).</summary>
    public sealed class Lifetime : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
            {
                await (await Shared.Value).DisposeAsync();
            }
        }
    }
}
