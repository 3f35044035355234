using Flywheel.Modules.Customers.Model;
using Flywheel.Modules.Customers.Tags;
using Flywheel.Platform;
using Flywheel.Platform.Api;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Flywheel.Modules.Customers.Contracts;

/// <summary>An imported tag as another module describes it; null description or owner leaves a stored one as it is.</summary>
public sealed record ImportedTag(string Name, string? Description = null, string? Owner = null);

/// <summary>What <see cref="CustomerTagging.ReplaceImportedTagAsync"/> did.</summary>
public sealed record ImportedTagWritten(string TagId, string Name, bool Created, int Added, int Removed, int Members);

/// <summary>The tag catalogue refused a change; the message says why in words a person can act on. Nothing was changed.</summary>
public sealed class TagRefusedException(string message) : Exception(message);

/// <summary>Tags for other modules: turning a computed group (a cluster) into a tag, and reading customers' tags.</summary>
public static class CustomerTagging
{
    /// <summary>
    /// Creates the imported tag <paramref name="tag"/>, or replaces the customers of the imported tag of that name, so
    /// that exactly <paramref name="customerIds"/> carry it; customers who already did keep the time they were tagged.
    /// One transaction: the caller's when one is open on <paramref name="db"/>, else its own. Audited as
    /// <paramref name="actor"/>. Throws <see cref="TagRefusedException"/>, changing nothing, when the name is not a valid
    /// tag name, belongs to a manual or rule tag (or differs only in letter case from another tag's), or when an id is
    /// not a customer of the workspace.
    /// </summary>
    public static async Task<ImportedTagWritten> ReplaceImportedTagAsync(
        FlywheelDb db, string workspaceId, string actor, ImportedTag tag, IReadOnlyCollection<string> customerIds, DateTimeOffset now,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(customerIds);
        var errors = new FieldErrors();
        var name = TagRules.Name(tag.Name, errors);
        var description = TagRules.Description(tag.Description, errors);
        var owner = TagRules.Owner(tag.Owner, errors);
        var ids = customerIds.Select(id => id?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (ids.Any(id => id.Length is 0 or > TagRules.MaxCustomerIdLength || id.Any(char.IsControl)))
        {
            errors.Add("customer_ids", $"must be customer ids of 1 to {TagRules.MaxCustomerIdLength} characters without control characters.");
        }
        if (errors.Any)
        {
            throw new TagRefusedException(string.Join(" ", errors.ToDictionary().Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}")));
        }
        var unknown = await TagMembership.UnknownCustomersAsync(db, workspaceId, ids, ct);
        if (unknown.Count > 0)
        {
            throw new TagRefusedException(TagMembership.Describe(unknown) + ".");
        }
        var stored = await TagRules.FindAsync(db, workspaceId, name!, ct);
        if (stored is not null && stored.Kind != TagKind.Imported)
        {
            throw new TagRefusedException($"'{stored.Name}' is a {TagKinds.Name(stored.Kind)} tag; only an imported tag is replaced as a whole.");
        }
        if (stored is null && await TagRules.ClashAsync(db, workspaceId, name!, null, ct) is { } existing)
        {
            throw new TagRefusedException($"A tag named '{existing}' already exists; names that differ only in letter case are refused.");
        }
        return await TagMembership.InTransactionAsync(db, async () =>
        {
            var created = stored is null;
            var entity = stored ?? new Tag
            {
                Id = Ids.New("tag"),
                WorkspaceId = workspaceId,
                Name = name!,
                Kind = TagKind.Imported,
                CreatedAt = now,
            };
            var before = created ? null : TagAuditView.From(entity);
            entity.Description = description ?? entity.Description;
            entity.Owner = owner ?? entity.Owner;
            if (created)
            {
                entity.UpdatedAt = now;
                db.Tags.Add(entity);
                db.Record(workspaceId, actor, now, "created", "tag", entity.Name, after: TagAuditView.From(entity));
            }
            else if (TagAuditView.From(entity) != before)
            {
                entity.UpdatedAt = now;
                db.Record(workspaceId, actor, now, "updated", "tag", entity.Name, before, TagAuditView.From(entity));
            }
            await db.SaveChangesAsync(ct);
            var (added, removed) = await TagMembership.ReplaceAsync(db, entity, ids, TagSources.Import, now, ct);
            if (added.Count + removed.Count > 0)
            {
                db.Record(workspaceId, actor, now, "imported", "tag", entity.Name, after: new { mode = "replace", added, removed });
                await db.SaveChangesAsync(ct);
            }
            return new ImportedTagWritten(entity.Id, entity.Name, created, added.Count, removed.Count, await TagMembership.CountAsync(db, entity.Id, ct));
        }, ct);
    }

    /// <summary>The names of the tags a customer carries, in ordinal order.</summary>
    public static async Task<IReadOnlyList<string>> TagNamesOfAsync(FlywheelDb db, string workspaceId, string customerId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var names = await (
            from m in db.CustomerTags
            join t in db.Tags on m.TagId equals t.Id
            where m.WorkspaceId == workspaceId && m.CustomerExternalId == customerId
            select t.Name).ToListAsync(ct);
        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>The names of the tags each of <paramref name="customerIds"/> carries (customers with none are absent).</summary>
    public static async Task<IReadOnlyDictionary<string, List<string>>> TagNamesByCustomerAsync(
        FlywheelDb db, string workspaceId, IReadOnlyCollection<string> customerIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var names = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var chunk in customerIds.Distinct(StringComparer.Ordinal).Chunk(1000))
        {
            var rows = await (
                from m in db.CustomerTags
                join t in db.Tags on m.TagId equals t.Id
                where m.WorkspaceId == workspaceId && chunk.Contains(m.CustomerExternalId)
                select new { m.CustomerExternalId, t.Name }).ToListAsync(ct);
            foreach (var row in rows)
            {
                if (!names.TryGetValue(row.CustomerExternalId, out var list))
                {
                    names[row.CustomerExternalId] = list = [];
                }
                list.Add(row.Name);
            }
        }
        return names;
    }

    /// <summary>The ids of the customers carrying the tag, as a query to compose further (e.g. into a segment's <c>has tag</c>).</summary>
    public static IQueryable<string> CustomersWith(FlywheelDb db, string workspaceId, string tagName)
    {
        ArgumentNullException.ThrowIfNull(db);
        return from m in db.CustomerTags
               join t in db.Tags on m.TagId equals t.Id
               where t.WorkspaceId == workspaceId && t.Name == tagName
               select m.CustomerExternalId;
    }
}

/// <summary>A rule tag: carried by exactly the customers meeting its condition, which the segment engine keeps current.</summary>
public sealed record RuleTag(string Id, string WorkspaceId, string Name, string Condition, DateTimeOffset UpdatedAt);

/// <summary>The members of rule tags, as the segment engine reads and writes them (source "rule").</summary>
public static class RuleTagMembers
{
    private const int Chunk = 500;

    public static async Task<List<RuleTag>> ListAsync(FlywheelDb db, string? workspaceId, CancellationToken ct)
    {
        var tags = db.Tags.AsNoTracking().Where(t => t.Kind == TagKind.Rule && t.Condition != null);
        if (workspaceId is not null)
        {
            tags = tags.Where(t => t.WorkspaceId == workspaceId);
        }
        return await tags.Select(t => new RuleTag(t.Id, t.WorkspaceId, t.Name, t.Condition!, t.UpdatedAt)).ToListAsync(ct);
    }

    /// <summary>The tag's customers among <paramref name="among"/>, or all of them when null.</summary>
    public static async Task<HashSet<string>> CurrentAsync(FlywheelDb db, string tagId, IReadOnlyCollection<string>? among, CancellationToken ct)
    {
        var rows = db.CustomerTags.AsNoTracking().Where(t => t.TagId == tagId);
        if (among is not null)
        {
            rows = rows.Where(t => among.Contains(t.CustomerExternalId));
        }
        return (await rows.Select(t => t.CustomerExternalId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Puts the tag on <paramref name="entered"/> and takes it off <paramref name="exited"/>, in the caller's transaction.</summary>
    public static async Task WriteAsync(
        FlywheelDb db, string workspaceId, string tagId, IReadOnlyCollection<string> entered, IReadOnlyCollection<string> exited, DateTimeOffset now,
        CancellationToken ct)
    {
        foreach (var chunk in exited.Chunk(Chunk))
        {
            await db.CustomerTags.Where(t => t.TagId == tagId && chunk.Contains(t.CustomerExternalId)).ExecuteDeleteAsync(ct);
        }
        if (entered.Count == 0)
        {
            return;
        }
        using var insert = new BulkInsert(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), "cdp_customer_tags",
            "WorkspaceId", "TagId", "CustomerExternalId", "TaggedAt", "Source");
        foreach (var id in entered)
        {
            insert.Add(workspaceId, tagId, id, now.UtcTicks, TagSources.Rule);
        }
    }
}
