using System.Security.Claims;
using Flywheel.Modules.Customers.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.Import;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>
/// POST /api/v1/tags/{name}/import?mode=add|replace with a text/csv body of one column, customer_id: puts the tag on
/// every customer in the file (add, the default), or makes them exactly its customers (replace, how an imported tag
/// is refreshed). All or nothing: one bad row (an empty or unknown id, an id twice) refuses the file with 422 naming
/// every bad row, and nothing changes. Rule tags refuse it.
/// </summary>
public static class ImportTagMembers
{
    public const string CustomerIdColumn = "customer_id";
    public const string Add = "add";
    public const string Replace = "replace";

    /// <summary>Rows in one file: a few megabytes, held in memory while checked.</summary>
    public const int MaxRows = 1_000_000;

    /// <summary>Problems listed in a refusal; the count says how many there were.</summary>
    private const int ListedErrors = 1000;

    private static readonly string[] Columns = [CustomerIdColumn];

    /// <summary>What an import did; <see cref="Unchanged"/> counts the file's customers who carried the tag before and still do.</summary>
    public sealed record TagImportReport(string Tag, string Mode, int Rows, int Added, int Removed, int Unchanged, int Members);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/tags/{name}/import", PostAsync).RequireAuthorization(Scopes.CustomersWrite).WithIdempotency()
            .Accepts<string>("text/csv")
            .WithName("ImportTagMembers").WithSummary("Put a tag on the customers of a CSV file, or make them its only customers");

    public static Task<Results<Ok<TagImportReport>, ValidationProblem, ProblemHttpResult>> PostAsync(
        string name, string? mode, HttpRequest request, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct) =>
        HandleAsync(TagRules.FromRoute(name), mode, request.Body, TagSources.Csv, caller, db, clock, ct);

    /// <summary>Imports the file; <c>source</c> says how (<see cref="TagSources.Csv"/> over HTTP, <see cref="TagSources.Console"/> from the console).</summary>
    public static async Task<Results<Ok<TagImportReport>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string name, string? mode, Stream csv, string source, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        mode = string.IsNullOrWhiteSpace(mode) ? Add : mode.Trim();
        if (mode is not (Add or Replace))
        {
            return Problems.Validation("mode", $"must be {Add} or {Replace}.");
        }
        var workspaceId = caller.WorkspaceId();
        var tag = await TagRules.FindAsync(db, workspaceId, name, ct);
        if (tag is null)
        {
            return TagRules.NotFound(name);
        }
        if (tag.Kind == TagKind.Rule)
        {
            return TagCustomers.RuleTagRefused(tag.Name);
        }
        CsvFile file;
        try
        {
            file = await CsvFile.ReadAsync(csv, Columns, Columns, ct);
        }
        catch (ImportFileException ex)
        {
            return Problems.Validation("file", ex.Message);
        }
        if (file.Rows.Count > MaxRows)
        {
            return Problems.Validation("file", $"has {file.Rows.Count} rows; at most {MaxRows} are accepted in one file.");
        }
        var errors = new List<ImportError>();
        var items = CsvImporter.OnePerRow(file, errors,
            row => Fields.Required(row.Text(CustomerIdColumn), CustomerIdColumn, TagRules.MaxCustomerIdLength, row.Errors),
            id => id, CustomerIdColumn, "customer");
        var unknown = (await TagMembership.UnknownCustomersAsync(db, workspaceId, [.. items.Select(i => i.Values)], ct)).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(items.Where(i => unknown.Contains(i.Values))
            .Select(i => new ImportError(i.Row, CustomerIdColumn, $"'{i.Values}' is not a customer of this workspace.")));
        if (errors.Count > 0)
        {
            return Refused(errors);
        }
        var ids = items.Select(i => i.Values).ToList();
        var now = clock.GetUtcNow();
        var (added, removed) = await TagMembership.InTransactionAsync(db, async () =>
        {
            var result = mode == Replace
                ? await TagMembership.ReplaceAsync(db, tag, ids, source, now, ct)
                : (await TagMembership.AddAsync(db, tag, ids, source, now, ct), []);
            if (result.Added.Count + result.Removed.Count > 0)
            {
                db.Record(caller, now, "imported", "tag", tag.Name, after: new { mode, added = result.Added, removed = result.Removed });
                await db.SaveChangesAsync(ct);
            }
            return result;
        }, ct);
        var members = await TagMembership.CountAsync(db, tag.Id, ct);
        return TypedResults.Ok(new TagImportReport(tag.Name, mode, file.Rows.Count, added.Count, removed.Count, ids.Count - added.Count, members));
    }

    /// <summary>422 with every bad row (the first <see cref="ListedErrors"/> in "errors") and a detail naming the first few.</summary>
    private static ProblemHttpResult Refused(List<ImportError> errors)
    {
        var ordered = errors.OrderBy(e => e.Row).ToList();
        var rows = ordered.Select(e => e.Row).Distinct().Count();
        // Messages end with a full stop, so the first few read as sentences one after another.
        var first = string.Join(" ", ordered.Take(3).Select(e => $"row {e.Row}{(e.Column.Length > 0 ? $" ({e.Column})" : "")}: {e.Message}"));
        return TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The file has rows that cannot be imported.",
            detail: $"{rows} row{(rows == 1 ? "" : "s")} cannot be imported, so nothing was changed. {first}{(ordered.Count > 3 ? " …" : "")}",
            extensions: new Dictionary<string, object?>
            {
                ["error_count"] = ordered.Count,
                ["errors"] = ordered.Take(ListedErrors).ToList(),
            });
    }
}
