using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Flywheel.Tests.Support;

/// <summary>
/// What a test needs from the machine (a browser, a database server binary). Missing, the test is skipped with a message
/// saying what to install — except when CI=true, where a skip would hide a suite that silently stopped running, so it fails.
/// </summary>
public static class Requirement
{
    public static bool IsCi => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>Skips the running test (or fails it on CI) because <paramref name="what"/> is missing.</summary>
    [DoesNotReturn]
    public static void Missing(string what)
    {
        if (IsCi)
        {
            Assert.Fail(what + " CI=true requires these tests to run.");
        }
        Assert.Skip(what);
        throw new UnreachableException();
    }
}
