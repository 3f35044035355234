using Flywheel.Platform.Api;
using Flywheel.Platform.State;

namespace Flywheel.Platform.Import;

/// <summary>The write side every import shares: look records up in chunks, create or update them, save in chunks.</summary>
public static class Upserts
{
    /// <summary>Rows per lookup and per SaveChanges: large enough to avoid round trips, small enough to keep memory flat.</summary>
    public const int Chunk = 1000;

    public sealed record Outcome(IReadOnlyList<string> Created, IReadOnlyList<string> Updated, int Unchanged);

    /// <summary>
    /// Upserts <paramref name="items"/> (unique by key) in chunks. The caller owns the transaction, so that all chunks
    /// and the audit entry commit together.
    /// </summary>
    public static async Task<Outcome> RunAsync<TEntity, TValues>(
        FlywheelDb db,
        IReadOnlyList<TValues> items,
        Func<TValues, string> keyOf,
        Func<List<string>, CancellationToken, Task<List<TEntity>>> load,
        Func<TEntity, string> entityKey,
        Func<TValues, TEntity> create,
        Func<TEntity, TValues, bool> apply,
        CancellationToken ct)
        where TEntity : class
    {
        var created = new List<string>();
        var updated = new List<string>();
        var unchanged = 0;
        foreach (var chunk in items.Chunk(Chunk))
        {
            var keys = chunk.Select(keyOf).ToList();
            var existing = (await load(keys, ct)).ToDictionary(entityKey, StringComparer.Ordinal);
            foreach (var item in chunk)
            {
                var key = keyOf(item);
                if (existing.TryGetValue(key, out var entity))
                {
                    if (apply(entity, item))
                    {
                        updated.Add(key);
                    }
                    else
                    {
                        unchanged++;
                    }
                }
                else
                {
                    db.Add(create(item));
                    created.Add(key);
                }
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        return new Outcome(created, updated, unchanged);
    }

    /// <summary>A row's field errors as report lines.</summary>
    public static IEnumerable<ImportError> ErrorsOf(int row, FieldErrors errors) =>
        errors.ToDictionary().SelectMany(kv => kv.Value.Select(m => new ImportError(row, kv.Key, m)));
}
