using Flywheel.Platform.Api;
using Flywheel.Platform.State;

namespace Flywheel.Platform.Import;

/// <summary>A record that passed its checks, with the row that problems found later (a refused update) are reported on.</summary>
public sealed record ImportItem<TValues>(TValues Values, int Row);

/// <summary>
/// The import every kind of record goes through: read the file, check every row, upsert the records that passed by
/// their key in one transaction with one audit entry, and report what happened to each row. A module supplies only
/// what is its own: columns, how rows become checked values, and how its entity is found, created and updated.
/// </summary>
public sealed class CsvImporter<TValues, TEntity>
    where TEntity : class
{
    /// <summary>The report's kind, e.g. "products".</summary>
    public required string Kind { get; init; }

    /// <summary>The audit entry's entity type, e.g. "product".</summary>
    public required string EntityType { get; init; }

    public required IReadOnlyCollection<string> Columns { get; init; }

    public required IReadOnlyCollection<string> RequiredColumns { get; init; }

    /// <summary>
    /// Turns the file's rows into records to upsert, each key at most once, and adds an error line for every row that
    /// will not be imported.
    /// </summary>
    public required Func<CsvFile, WorkspaceSettings, DateTimeOffset, List<ImportError>, List<ImportItem<TValues>>> Check { get; init; }

    public required Func<TValues, string> KeyOf { get; init; }

    public required Func<TEntity, string> EntityKey { get; init; }

    /// <summary>The workspace's existing records among these keys.</summary>
    public required Func<FlywheelDb, string, List<string>, CancellationToken, Task<List<TEntity>>> Load { get; init; }

    public required Func<string, TValues, DateTimeOffset, TEntity> Create { get; init; }

    /// <summary>Copies values onto an existing record; false when nothing differed.</summary>
    public required Func<TEntity, TValues, DateTimeOffset, bool> Apply { get; init; }

    /// <summary>Refuses an update the stored record does not allow; the record is then left as it is and reported.</summary>
    public Action<TEntity, TValues, FieldErrors>? CheckUpdate { get; init; }

    /// <summary>Runs after the transaction commits with the records it created or updated.</summary>
    public Func<IReadOnlyList<TEntity>, DateTimeOffset, CancellationToken, Task>? Committed { get; init; }

    public async Task<ImportReport> RunAsync(
        StateStore state, TimeProvider clock, string workspaceId, string actor, Stream csv, CancellationToken ct)
    {
        var file = await CsvFile.ReadAsync(csv, Columns, RequiredColumns, ct);
        await using var db = state.Open();
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var now = clock.GetUtcNow();
        var errors = new List<ImportError>();
        var items = Check(file, settings, now, errors);

        var created = new List<string>();
        var updated = new List<string>();
        var unchanged = 0;
        // Only kept when someone needs them: holding every entity would undo the per-chunk clearing below.
        var changed = Committed is null ? null : new List<TEntity>();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var chunk in items.Chunk(CsvImporter.Chunk))
            {
                var keys = chunk.Select(i => KeyOf(i.Values)).ToList();
                var existing = (await Load(db, workspaceId, keys, ct)).ToDictionary(EntityKey, StringComparer.Ordinal);
                foreach (var (values, row) in chunk)
                {
                    var key = KeyOf(values);
                    if (!existing.TryGetValue(key, out var entity))
                    {
                        entity = Create(workspaceId, values, now);
                        db.Add(entity);
                        created.Add(key);
                        changed?.Add(entity);
                        continue;
                    }
                    if (CheckUpdate is not null)
                    {
                        var refused = new FieldErrors();
                        CheckUpdate(entity, values, refused);
                        if (refused.Any)
                        {
                            errors.AddRange(ImportError.Of(row, refused));
                            continue;
                        }
                    }
                    if (Apply(entity, values, now))
                    {
                        updated.Add(key);
                        changed?.Add(entity);
                    }
                    else
                    {
                        unchanged++;
                    }
                }
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
            if (created.Count + updated.Count > 0)
            {
                db.Record(workspaceId, actor, now, "imported", EntityType, Ids.New("imp"), after: new { created, updated });
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        if (Committed is not null && changed is not null)
        {
            await Committed(changed, now, ct);
        }
        var rejected = errors.Select(e => e.Row).Distinct().Count();
        // Refused updates are found after the checks, so their lines are put back in row order.
        return new ImportReport(Kind, file.Rows.Count, rejected, created.Count, updated.Count, unchanged,
            errors.OrderBy(e => e.Row).ToList());
    }
}

public static class CsvImporter
{
    /// <summary>Rows per lookup and per SaveChanges: large enough to avoid round trips, small enough to keep memory flat.</summary>
    public const int Chunk = 1000;

    /// <summary>
    /// The check for files with one record per row: each row is validated on its own, and a key already seen on an
    /// earlier row is an error on the later one (<paramref name="noun"/> names what a file may hold once).
    /// </summary>
    public static List<ImportItem<TValues>> OnePerRow<TValues>(
        CsvFile file, List<ImportError> errors, Func<CsvRow, TValues?> validate, Func<TValues, string> keyOf, string keyColumn, string noun)
        where TValues : class
    {
        var items = new List<ImportItem<TValues>>();
        var firstRow = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in file.Rows)
        {
            var values = validate(row);
            if (values is not null && !firstRow.TryAdd(keyOf(values), row.RowNumber))
            {
                var key = keyOf(values);
                row.Errors.Add(keyColumn, $"'{key}' is already on row {firstRow[key]}; a file may hold each {noun} once.");
            }
            if (row.Errors.Any || values is null)
            {
                errors.AddRange(ImportError.Of(row.RowNumber, row.Errors));
                continue;
            }
            items.Add(new ImportItem<TValues>(values, row.RowNumber));
        }
        return items;
    }
}
