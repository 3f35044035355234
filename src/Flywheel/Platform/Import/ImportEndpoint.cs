using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Platform.Import;

/// <summary>A CSV import of one kind of record, run the same way over HTTP and from the CLI.</summary>
public interface ICsvImport
{
    /// <summary>Imports the file into the workspace; throws <see cref="ImportFileException"/> when the file itself is refused.</summary>
    Task<ImportReport> RunAsync(string workspaceId, string actor, Stream csv, CancellationToken ct);
}

public static class ImportEndpoint
{
    /// <summary>POST /imports/{kind} with the file as a text/csv body; the caller adds its name and summary.</summary>
    public static RouteHandlerBuilder MapCsvImport<TImport>(this RouteGroupBuilder group, string kind, string scope)
        where TImport : ICsvImport =>
        group.MapPost($"/imports/{kind}", HandleAsync<TImport>).RequireAuthorization(scope).WithIdempotency()
            .Accepts<string>("text/csv");

    /// <summary>The report, or 400 naming the problem when the file cannot be imported at all.</summary>
    public static async Task<Results<Ok<ImportReport>, ValidationProblem>> HandleAsync<TImport>(
        HttpRequest request, ClaimsPrincipal caller, TImport import, CancellationToken ct)
        where TImport : ICsvImport
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
}
