using Flywheel.Modules.Customers.Model;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Customers.Tags;

/// <summary>
/// Putting a tag on customers and taking it off, set-based and in chunks, for the API, CSV imports and other modules.
/// A customer tagged again keeps the first <see cref="CustomerTag.TaggedAt"/>. The caller owns the transaction.
/// </summary>
internal static class TagMembership
{
    /// <summary>Ids per query: far below every provider's parameter limit, large enough to avoid round trips.</summary>
    private const int Chunk = 1000;

    /// <summary>
    /// Trims and checks request ids (each under "customer_ids[i]") and drops repeats; null when any is bad or there are
    /// none or more than <paramref name="max"/>.
    /// </summary>
    public static List<string>? CheckIds(IReadOnlyList<string> ids, int max, FieldErrors errors)
    {
        if (ids.Count == 0)
        {
            errors.Add("customer_ids", "must name at least one customer.");
            return null;
        }
        if (ids.Count > max)
        {
            errors.Add("customer_ids", $"has {ids.Count} ids; at most {max} are accepted in one request (use the CSV import for more).");
            return null;
        }
        var distinct = new List<string>(ids.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (Fields.Required(ids[i], $"customer_ids[{i}]", TagRules.MaxCustomerIdLength, errors) is { } id && seen.Add(id))
            {
                distinct.Add(id);
            }
        }
        return errors.Any ? null : distinct;
    }

    /// <summary>The ids that are not customers of the workspace, in the order given.</summary>
    public static async Task<List<string>> UnknownCustomersAsync(FlywheelDb db, string workspaceId, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(Chunk))
        {
            known.UnionWith(await db.Customers.AsNoTracking()
                .Where(c => c.WorkspaceId == workspaceId && chunk.Contains(c.ExternalId)).Select(c => c.ExternalId).ToListAsync(ct));
        }
        return [.. ids.Where(id => !known.Contains(id))];
    }

    /// <summary>422 naming the ids that are not customers (all of them in "unknown_customer_ids").</summary>
    public static ProblemHttpResult UnknownCustomers(IReadOnlyList<string> unknown) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Unknown customers.",
        detail: $"{Describe(unknown)}; nothing was changed.",
        extensions: new Dictionary<string, object?> { ["unknown_customer_ids"] = unknown });

    /// <summary>"2 ids are not customers of this workspace: 'a', 'b'" (the first 20 named).</summary>
    public static string Describe(IReadOnlyList<string> unknown)
    {
        const int Shown = 20;
        var names = string.Join(", ", unknown.Take(Shown).Select(id => $"'{id}'"));
        var more = unknown.Count > Shown ? $" and {unknown.Count - Shown} more" : "";
        return unknown.Count == 1
            ? $"{names} is not a customer of this workspace"
            : $"{unknown.Count} ids are not customers of this workspace: {names}{more}";
    }

    /// <summary>Tags the customers not yet tagged; returns them.</summary>
    public static async Task<List<string>> AddAsync(
        FlywheelDb db, Tag tag, IReadOnlyCollection<string> ids, string source, DateTimeOffset now, CancellationToken ct)
    {
        var added = new List<string>();
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var already = (await db.CustomerTags.AsNoTracking()
                .Where(m => m.TagId == tag.Id && chunk.Contains(m.CustomerExternalId)).Select(m => m.CustomerExternalId).ToListAsync(ct))
                .ToHashSet(StringComparer.Ordinal);
            var fresh = chunk.Where(id => !already.Contains(id)).ToList();
            await InsertAsync(db, tag, fresh, source, now, ct);
            added.AddRange(fresh);
        }
        return added;
    }

    /// <summary>Takes the tag off those of the customers who carry it; returns them.</summary>
    public static async Task<List<string>> RemoveAsync(FlywheelDb db, Tag tag, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var removed = new List<string>();
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var members = db.CustomerTags.Where(m => m.TagId == tag.Id && chunk.Contains(m.CustomerExternalId));
            removed.AddRange(await members.Select(m => m.CustomerExternalId).ToListAsync(ct));
            await members.ExecuteDeleteAsync(ct);
        }
        return removed;
    }

    /// <summary>Makes exactly these customers carry the tag: the others lose it, those already tagged keep their time.</summary>
    public static async Task<(List<string> Added, List<string> Removed)> ReplaceAsync(
        FlywheelDb db, Tag tag, IReadOnlyCollection<string> ids, string source, DateTimeOffset now, CancellationToken ct)
    {
        var current = (await db.CustomerTags.AsNoTracking().Where(m => m.TagId == tag.Id).Select(m => m.CustomerExternalId).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var leaving = current.Where(id => !wanted.Contains(id)).Order(StringComparer.Ordinal).ToList();
        var joining = ids.Where(id => !current.Contains(id)).ToList();
        foreach (var chunk in leaving.Chunk(Chunk))
        {
            await db.CustomerTags.Where(m => m.TagId == tag.Id && chunk.Contains(m.CustomerExternalId)).ExecuteDeleteAsync(ct);
        }
        foreach (var chunk in joining.Chunk(Chunk))
        {
            await InsertAsync(db, tag, chunk, source, now, ct);
        }
        return (joining, leaving);
    }

    public static Task<int> CountAsync(FlywheelDb db, string tagId, CancellationToken ct) =>
        db.CustomerTags.CountAsync(m => m.TagId == tagId, ct);

    /// <summary>Runs <paramref name="work"/> in the caller's transaction when one is open, else in one of its own.</summary>
    public static async Task<T> InTransactionAsync<T>(FlywheelDb db, Func<Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work();
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await work();
        await tx.CommitAsync(ct);
        return result;
    }

    private static async Task InsertAsync(FlywheelDb db, Tag tag, IReadOnlyCollection<string> ids, string source, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }
        var rows = ids.Select(id => new CustomerTag
        {
            WorkspaceId = tag.WorkspaceId,
            TagId = tag.Id,
            CustomerExternalId = id,
            TaggedAt = now,
            Source = source,
        }).ToList();
        db.CustomerTags.AddRange(rows);
        await db.SaveChangesAsync(ct);
        // Detached one by one rather than clearing the tracker: the caller may still hold tracked changes of its own.
        foreach (var row in rows)
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }
}
