using Flywheel.Modules.Customers.Model;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Import;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Profiles;

/// <summary>
/// Customers from CSV (columns in <see cref="CustomerInput.Columns"/>, see docs/catalog-and-orders.md): every row is
/// checked first; rows with errors change nothing and are reported; the others are upserted by external id in one transaction.
/// Used by POST /api/v1/imports/customers and `flywheel import customers`.
/// </summary>
public sealed class ImportCustomers(StateStore state, TimeProvider clock) : ICsvImport
{
    public const string Kind = "customers";

    private static readonly CsvImporter<CustomerValues, Customer> Importer = new()
    {
        Kind = Kind,
        EntityType = "customer",
        Columns = CustomerInput.Columns,
        RequiredColumns = CustomerInput.RequiredColumns,
        Check = (file, settings, now, errors) => CsvImporter.OnePerRow(file, errors,
            row => CustomerRules.Validate(CustomerInput.FromCsv(row), settings.Zone, now, row.Errors), v => v.ExternalId, "external_id", "customer"),
        KeyOf = v => v.ExternalId,
        EntityKey = c => c.ExternalId,
        Load = (db, workspaceId, ids, ct) =>
            db.Customers.Where(c => c.WorkspaceId == workspaceId && ids.Contains(c.ExternalId)).ToListAsync(ct),
        Create = CustomerRules.Create,
        Apply = CustomerRules.Apply,
    };

    public static void Map(RouteGroupBuilder group) =>
        group.MapCsvImport<ImportCustomers>(Kind, Scopes.CustomersWrite)
            .WithName("ImportCustomers").WithSummary("Import customers from a CSV body");

    public Task<ImportReport> RunAsync(string workspaceId, string actor, Stream csv, CancellationToken ct) =>
        Importer.RunAsync(state, clock, workspaceId, actor, csv, ct);
}
