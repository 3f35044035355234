using System.Security.Claims;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Import;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Profiles;

/// <summary>
/// Customers from CSV (columns in <see cref="CustomerInput.Columns"/>, see docs/catalog-and-orders.md): every row is
/// checked first; rows with errors change nothing and are reported; the others are upserted by external id in one transaction.
/// Used by POST /api/v1/imports/customers and `flywheel import customers`.
/// </summary>
public sealed class ImportCustomers(StateStore state, TimeProvider clock)
{
    public const string Kind = "customers";

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/imports/customers", HandleAsync).RequireAuthorization(Scopes.CustomersWrite).WithIdempotency()
            .Accepts<string>("text/csv")
            .WithName("ImportCustomers").WithSummary("Import customers from a CSV body");

    public static async Task<Results<Ok<ImportReport>, ValidationProblem>> HandleAsync(
        HttpRequest request, ClaimsPrincipal caller, ImportCustomers import, CancellationToken ct)
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
        var file = await CsvFile.ReadAsync(csv, CustomerInput.Columns, CustomerInput.RequiredColumns, ct);
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var errors = new List<ImportError>();
        var good = new List<CustomerValues>();
        var firstRow = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in file.Rows)
        {
            var values = CustomerRules.Validate(CustomerInput.FromCsv(row), settings.Zone, now, row.Errors);
            if (values is not null && !firstRow.TryAdd(values.ExternalId, row.RowNumber))
            {
                row.Errors.Add("external_id", $"'{values.ExternalId}' is already on row {firstRow[values.ExternalId]}; a file may hold each customer once.");
            }
            if (row.Errors.Any || values is null)
            {
                errors.AddRange(Upserts.ErrorsOf(row.RowNumber, row.Errors));
                continue;
            }
            good.Add(values);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var outcome = await Upserts.RunAsync(
            db, good, v => v.ExternalId,
            (keys, c) => db.Customers.Where(x => x.WorkspaceId == workspaceId && keys.Contains(x.ExternalId)).ToListAsync(c),
            x => x.ExternalId,
            v => CustomerRules.Create(workspaceId, v, now),
            (x, v) => CustomerRules.Apply(x, v, now),
            ct);
        if (outcome.Created.Count + outcome.Updated.Count > 0)
        {
            db.Record(workspaceId, actor, now, "imported", "customer", Ids.New("imp"),
                after: new { created = outcome.Created, updated = outcome.Updated });
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        var rejected = errors.Select(e => e.Row).Distinct().Count();
        return new ImportReport(Kind, file.Rows.Count, rejected, outcome.Created.Count, outcome.Updated.Count, outcome.Unchanged, errors);
    }
}
