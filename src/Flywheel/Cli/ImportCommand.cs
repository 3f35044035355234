using System.CommandLine;

namespace Flywheel.Cli;

/// <summary>`flywheel import products|customers|orders FILE`: CSV into a workspace, with a row-level error report.</summary>
internal static class ImportCommand
{
    public static Command Create(Option<string?> dataDir)
    {
        var import = new Command("import", "Import products, customers or orders from a CSV file.") { dataDir };
        return import;
    }
}
