using System.Runtime.CompilerServices;
using Flywheel.Tests.Support;

namespace Flywheel.Tests;

/// <summary>Puts every test host of this assembly on the production stores before any test runs.</summary>
internal static class ProductionStores
{
    [ModuleInitializer]
    internal static void Select() => Environment.SetEnvironmentVariable(FlywheelApp.StoresVariable, "production");
}
