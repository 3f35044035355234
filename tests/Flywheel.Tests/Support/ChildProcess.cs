using System.Diagnostics;
using System.Text;

namespace Flywheel.Tests.Support;

/// <summary>Runs programs the tests need (node, the flywheel host) and finds files of the repository.</summary>
public static class ChildProcess
{
    /// <summary>True when the environment says this is a CI run, where a missing tool is a failure, not a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The repository root: the nearest directory above the test binaries holding Flywheel.slnx.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Flywheel.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Flywheel.slnx above {AppContext.BaseDirectory}.");
    }

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    public sealed record Outcome(int ExitCode, string Output);

    /// <summary>Runs a program to completion within <paramref name="timeout"/>; killed (and an exception) if it takes longer.</summary>
    public static async Task<Outcome> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var gate = new Lock();
        void Collect(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (gate)
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
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} did not finish within {timeout}. Output so far:\n{Snapshot()}");
        }
        // The parameterless wait drains the redirected streams.
        await process.WaitForExitAsync(CancellationToken.None);
        return new Outcome(process.ExitCode, Snapshot());

        string Snapshot()
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }
}
