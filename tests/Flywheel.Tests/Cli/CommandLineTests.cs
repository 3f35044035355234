using Flywheel.Tests.Support;

namespace Flywheel.Tests.Cli;

/// <summary>The flywheel executable as a user runs it: a child process with arguments.</summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Version_PrintsTheAssemblyVersion()
    {
        var outcome = await RunFlywheelAsync("version");

        Assert.Equal(0, outcome.ExitCode);
        // The version set in Flywheel.csproj, followed by the source revision when built from a repository.
        Assert.Matches(@"^0\.1\.0(\+[0-9a-f]+)?$", outcome.Output.Trim());
    }

    [Fact]
    public async Task Migrate_CreatesTheStateStoreInTheDataDir()
    {
        var dataDir = Directory.CreateTempSubdirectory("flywheel-cli-").FullName;
        try
        {
            var outcome = await RunFlywheelAsync("migrate", "--data-dir", dataDir);

            Assert.Equal(0, outcome.ExitCode);
            Assert.True(File.Exists(Path.Combine(dataDir, "state.db")), outcome.Output);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task UnknownVerb_FailsWithUsage()
    {
        var outcome = await RunFlywheelAsync("launch");

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("launch", outcome.Output, StringComparison.Ordinal);
    }

    private static Task<ChildProcess.Outcome> RunFlywheelAsync(params string[] args)
    {
        var dll = typeof(Flywheel.Platform.Hosting.FlywheelHost).Assembly.Location;
        return ChildProcess.RunAsync("dotnet", [dll, .. args], Path.GetTempPath(), Timeout);
    }
}
