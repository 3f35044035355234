using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Flywheel.Platform.Hosting;
using Flywheel.Tests.Support;

namespace Flywheel.Tests.Cli;

/// <summary>`flywheel generate` and `flywheel demo` as a user runs them.</summary>
public sealed class DemoCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Generate_WritesADataDir_AndRefusesOneThatHoldsData()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("flywheel-gen-").FullName, "shop");
        try
        {
            var first = await RunFlywheelAsync("generate", "--customers", "40", "--months", "3", "--seed", "1", "--end", "2026-07-01", "--out", dir);
            var second = await RunFlywheelAsync("generate", "--customers", "40", "--out", dir);

            Assert.Equal(0, first.ExitCode);
            Assert.True(File.Exists(Path.Combine(dir, "state.db")) && File.Exists(Path.Combine(dir, "events.duckdb")), first.Output);
            Assert.Contains("40 customers", first.Output, StringComparison.Ordinal);
            Assert.Equal(2, second.ExitCode);
            Assert.Contains("already holds data", second.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_GeneratesIntoAnEmptyDataDir_ServesWithTheDemoLogin_AndServesTheSameShopNextTime()
    {
        var dir = Directory.CreateTempSubdirectory("flywheel-demo-cli-").FullName;
        try
        {
            var (firstOutput, firstCount) = await ServeDemoOnceAsync(dir);
            var (secondOutput, secondCount) = await ServeDemoOnceAsync(dir);

            Assert.Contains("Generating a demo shop", firstOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("Generating a demo shop", secondOutput, StringComparison.Ordinal);
            Assert.Contains("demo@flywheel.local / flywheel-demo", secondOutput, StringComparison.Ordinal);
            Assert.True(firstCount > 0);
            Assert.Equal(firstCount, secondCount);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Starts `flywheel demo`, signs in with the printed login, counts the orders, and stops it.</summary>
    private static async Task<(string Output, int Orders)> ServeDemoOnceAsync(string dir)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[typeof(FlywheelHost).Assembly.Location, "demo", "--data-dir", dir, "--urls", $"http://127.0.0.1:{port}",
            "--customers", "60", "--end", "2026-11-23"])
        {
            start.ArgumentList.Add(a);
        }
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(object _, DataReceivedEventArgs e)
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            if (e.Data?.Contains("console login", StringComparison.Ordinal) == true && e.Data.Contains("flywheel-demo", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }
        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
            using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "demo@flywheel.local", password = "flywheel-demo" },
                TestContext.Current.CancellationToken);
            Assert.True(login.IsSuccessStatusCode, $"{login.StatusCode}: {output}");
            var orders = await FlywheelApp.ReadJsonAsync(await client.GetAsync("/api/v1/orders?limit=500", TestContext.Current.CancellationToken));
            // The storefront knows the workspace's public key on every start, so its tracking script can send events.
            using var shop = await client.GetAsync("/shop", TestContext.Current.CancellationToken);
            var page = await shop.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(shop.IsSuccessStatusCode, $"{shop.StatusCode}: {page}");
            Assert.Contains("/sdk/flywheel.js", page, StringComparison.Ordinal);
            Assert.Contains("data-key=\"fw_pk_", page, StringComparison.Ordinal);
            lock (output)
            {
                return (output.ToString(), orders.GetProperty("items").GetArrayLength());
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<ChildProcess.Outcome> RunFlywheelAsync(params string[] args)
    {
        var dll = typeof(FlywheelHost).Assembly.Location;
        return ChildProcess.RunAsync("dotnet", [dll, .. args], Path.GetTempPath(), Timeout);
    }
}
