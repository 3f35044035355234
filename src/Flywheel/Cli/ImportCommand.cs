using System.CommandLine;
using Flywheel.Modules.Catalog.Products;
using Flywheel.Modules.Customers.Profiles;
using Flywheel.Modules.Orders.Orders;
using Flywheel.Platform.Hosting;
using Flywheel.Platform.Import;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Cli;

/// <summary>`flywheel import products|customers|orders FILE`: CSV into a workspace, with a row-level error report.</summary>
internal static class ImportCommand
{
    public const int RowsRejected = 1;
    public const int FileRejected = 2;

    public static Command Create(Option<string?> dataDir)
    {
        var kind = new Argument<string>("kind") { Description = "What the file holds: products, customers or orders." };
        kind.AcceptOnlyFromAmong(ImportProducts.Kind, ImportCustomers.Kind, ImportOrders.Kind);
        var file = new Argument<FileInfo>("file") { Description = "The CSV file (UTF-8, header row first; see docs/catalog-and-orders.md)." };
        file.AcceptExistingOnly();
        var workspace = new Option<string?>("--workspace")
        {
            Description = "Workspace id or name (default: the first workspace created).",
        };
        var import = new Command("import", "Import products, customers or orders from a CSV file.") { kind, file, dataDir, workspace };
        import.SetAction(async (result, ct) =>
        {
            var overrides = CommandLine.Overrides(result, dataDir, null);
            overrides["Logging:LogLevel:Default"] = "Warning";
            await using var app = FlywheelHost.Build([], overrides, b => b.Services.AddSingleton<IServer, NoServer>());
            await app.StartAsync(ct);
            try
            {
                var workspaceId = await ResolveWorkspaceAsync(app.Services.GetRequiredService<StateStore>(), result.GetValue(workspace), ct);
                if (workspaceId is null)
                {
                    await Console.Error.WriteLineAsync($"No workspace '{result.GetValue(workspace)}'.");
                    return FileRejected;
                }
                var path = result.GetValue(file)!;
                await using var stream = path.OpenRead();
                ICsvImport importer = result.GetValue(kind) switch
                {
                    ImportProducts.Kind => app.Services.GetRequiredService<ImportProducts>(),
                    ImportCustomers.Kind => app.Services.GetRequiredService<ImportCustomers>(),
                    _ => app.Services.GetRequiredService<ImportOrders>(),
                };
                ImportReport report;
                try
                {
                    report = await importer.RunAsync(workspaceId, "cli", stream, ct);
                }
                catch (ImportFileException ex)
                {
                    await Console.Error.WriteLineAsync($"{path.Name}: {ex.Message} Nothing was imported.");
                    return FileRejected;
                }
                Print(path.Name, report);
                return report.Ok ? 0 : RowsRejected;
            }
            finally
            {
                // Stopping lets the event loader and the order projection finish with what the import emitted.
                await app.StopAsync(CancellationToken.None);
            }
        });
        return import;
    }

    private static async Task<string?> ResolveWorkspaceAsync(StateStore state, string? wanted, CancellationToken ct)
    {
        await using var db = state.Open();
        var query = db.Workspaces.AsNoTracking();
        if (wanted is not null)
        {
            query = query.Where(w => w.Id == wanted || w.Name == wanted);
        }
        return await query.OrderBy(w => w.CreatedAt).ThenBy(w => w.Id).Select(w => w.Id).FirstOrDefaultAsync(ct);
    }

    private static void Print(string file, ImportReport r)
    {
        Console.WriteLine($"{file}: {r.Rows} rows; {r.Created} created, {r.Updated} updated, {r.Unchanged} unchanged; {r.RejectedRows} rows rejected.");
        foreach (var e in r.Errors)
        {
            Console.WriteLine(e.Column.Length == 0 ? $"  row {e.Row}: {e.Message}" : $"  row {e.Row}, {e.Column}: {e.Message}");
        }
    }
}
