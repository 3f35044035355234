using Flywheel.Modules.Catalog.Model;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Import;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Catalog.Products;

/// <summary>
/// Products from CSV (columns in <see cref="ProductInput.Columns"/>, see docs/catalog-and-orders.md): every row is
/// checked first; rows with errors change nothing and are reported; the others are upserted by SKU in one transaction.
/// Used by POST /api/v1/imports/products and `flywheel import products`.
/// </summary>
public sealed class ImportProducts(StateStore state, TimeProvider clock) : ICsvImport
{
    public const string Kind = "products";

    private static readonly CsvImporter<ProductValues, Product> Importer = new()
    {
        Kind = Kind,
        EntityType = "product",
        Columns = ProductInput.Columns,
        RequiredColumns = ProductInput.RequiredColumns,
        Check = (file, settings, _, errors) => CsvImporter.OnePerRow(file, errors,
            row => ProductRules.Validate(ProductInput.FromCsv(row), settings.Currency, row.Errors), v => v.Sku, "sku", "SKU"),
        KeyOf = v => v.Sku,
        EntityKey = p => p.Sku,
        Load = (db, workspaceId, skus, ct) =>
            db.Products.Where(p => p.WorkspaceId == workspaceId && skus.Contains(p.Sku)).ToListAsync(ct),
        Create = ProductRules.Create,
        Apply = ProductRules.Apply,
    };

    public static void Map(RouteGroupBuilder group) =>
        group.MapCsvImport<ImportProducts>(Kind, Scopes.CatalogWrite)
            .WithName("ImportProducts").WithSummary("Import products from a CSV body");

    public Task<ImportReport> RunAsync(string workspaceId, string actor, Stream csv, CancellationToken ct) =>
        Importer.RunAsync(state, clock, workspaceId, actor, csv, ct);
}
