using System.Text.RegularExpressions;
using Flywheel.Tests.Support;

namespace Flywheel.Tests;

/// <summary>
/// Modules are folders; code in one module may use another only through that module's Contracts. Driven by the list
/// of module folders, so a new module is covered the day it is added.
/// </summary>
public sealed partial class ModuleBoundaryTests
{
    [Fact]
    public void Modules_UseOtherModulesOnlyThroughTheirContracts()
    {
        var modulesDir = Path.Combine(ChildProcess.RepositoryRoot(), "src", "Flywheel", "Modules");
        var modules = Directory.GetDirectories(modulesDir).Select(Path.GetFileName).ToList();
        Assert.Contains("Customers", modules);

        var violations = new List<string>();
        foreach (var module in modules)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(modulesDir, module!), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match m in ModuleReference().Matches(File.ReadAllText(file)))
                {
                    var other = m.Groups["module"].Value;
                    if (other != module && m.Groups["rest"].Value != "Contracts")
                    {
                        violations.Add($"{Path.GetRelativePath(modulesDir, file)} uses {m.Value}");
                    }
                }
            }
        }

        Assert.Empty(violations);
    }

    [GeneratedRegex(@"Flywheel\.Modules\.(?<module>[A-Za-z]+)(\.(?<rest>[A-Za-z]+))?")]
    private static partial Regex ModuleReference();
}
