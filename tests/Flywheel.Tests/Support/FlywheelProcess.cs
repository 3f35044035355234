using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Flywheel.Platform.Hosting;

namespace Flywheel.Tests.Support;

/// <summary>
/// The real `flywheel serve` as a child process (the built flywheel.dll run by dotnet) on a free loopback port and a
/// data directory the caller owns, so that a test can kill it with SIGKILL and start it again on the same data.
/// </summary>
public sealed class FlywheelProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Lock gate = new();

    private FlywheelProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the host and returns once /health answers 200, or throws after a bounded wait. Settings (such as the stores
    /// of <see cref="FlywheelApp.OwnStoresAsync"/>) are passed as environment variables.
    /// </summary>
    public static async Task<FlywheelProcess> StartAsync(string dataDir, string publicKey, string secretKey, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var dll = typeof(FlywheelHost).Assembly.Location;
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var a in (string[])[dll, "serve", "--data-dir", dataDir, "--urls", $"http://127.0.0.1:{port}"])
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["FLYWHEEL_PUBLIC_KEY"] = publicKey;
        start.Environment["FLYWHEEL_SECRET_KEY"] = secretKey;
        start.Environment["FLYWHEEL_ADMIN_PASSWORD"] = FlywheelApp.AdminPassword;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = new Process { StartInfo = start };
        var host = new FlywheelProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += host.Collect;
        process.ErrorDataReceived += host.Collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilHealthyAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    public HttpClient CreateClient(string bearerKey) => new()
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", bearerKey) },
    };

    /// <summary>SIGKILL on Linux: no shutdown hooks, no flushing — a power cut as far as the process can tell.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"flywheel exited with {process.ExitCode} while starting:\n{Output}");
            }
            try
            {
                using var response = await client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }
            // Polling interval, not a wait for an assumed start time: the loop ends as soon as /health answers.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        throw new TimeoutException($"flywheel did not become healthy within {StartTimeout}:\n{Output}");
    }

    private void Collect(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is not null)
        {
            lock (gate)
            {
                output.AppendLine(e.Data);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
