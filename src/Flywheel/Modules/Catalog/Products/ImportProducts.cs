using System.Security.Claims;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Import;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Catalog.Products;

/// <summary>
/// Products from CSV (columns in <see cref="ProductInput.Columns"/>, see docs/catalog-and-orders.md): every row is
/// checked first; rows with errors change nothing and are reported; the others are upserted by SKU in one transaction.
/// Used by POST /api/v1/imports/products and `flywheel import products`.
/// </summary>
public sealed class ImportProducts(StateStore state, TimeProvider clock)
{
    public const string Kind = "products";

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/imports/products", HandleAsync).RequireAuthorization(Scopes.CatalogWrite).WithIdempotency()
            .Accepts<string>("text/csv")
            .WithName("ImportProducts").WithSummary("Import products from a CSV body");

    public static async Task<Results<Ok<ImportReport>, ValidationProblem>> HandleAsync(
        HttpRequest request, ClaimsPrincipal caller, ImportProducts import, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await import.RunAsync(caller.WorkspaceId(), caller.Actor(), request.Body, ct));
        }
        catch (ImportFileException ex)
        {
            return Problems.Validation("file", ex.Message);
        }
    }

    public async Task<ImportReport> RunAsync(string workspaceId, string actor, Stream csv, CancellationToken ct)
    {
        var file = await CsvFile.ReadAsync(csv, ProductInput.Columns, ProductInput.RequiredColumns, ct);
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var errors = new List<ImportError>();
        var good = new List<ProductValues>();
        var firstRow = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in file.Rows)
        {
            var values = ProductRules.Validate(ProductInput.FromCsv(row), settings.Currency, row.Errors);
            if (values is not null && !firstRow.TryAdd(values.Sku, row.RowNumber))
            {
                row.Errors.Add("sku", $"'{values.Sku}' is already on row {firstRow[values.Sku]}; a file may hold each SKU once.");
            }
            if (row.Errors.Any || values is null)
            {
                errors.AddRange(Upserts.ErrorsOf(row.RowNumber, row.Errors));
                continue;
            }
            good.Add(values);
        }
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var outcome = await Upserts.RunAsync(
            db, good, v => v.Sku,
            (keys, c) => db.Products.Where(p => p.WorkspaceId == workspaceId && keys.Contains(p.Sku)).ToListAsync(c),
            p => p.Sku,
            v => ProductRules.Create(workspaceId, v, now),
            (p, v) => ProductRules.Apply(p, v, now),
            ct);
        if (outcome.Created.Count + outcome.Updated.Count > 0)
        {
            db.Record(workspaceId, actor, now, "imported", "product", Ids.New("imp"),
                after: new { created = outcome.Created, updated = outcome.Updated });
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        var rejected = errors.Select(e => e.Row).Distinct().Count();
        return new ImportReport(Kind, file.Rows.Count, rejected, outcome.Created.Count, outcome.Updated.Count, outcome.Unchanged, errors);
    }
}
