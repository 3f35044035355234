using Flywheel.Modules.Catalog.Model;
using Flywheel.Platform;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Catalog.Contracts;

/// <summary>A product as another module hands it to the catalog. Money in minor units of the workspace currency.</summary>
/// <remarks><para><c>CategoryPath</c>: From the root, joined by " > ".</para> <para><c>Tags</c>: Tags joined by ",".</para></remarks>
public sealed record CatalogProduct(
    string Sku, string Name, string CategoryPath, string? Brand, long PriceMinor, long? CostMinor, int Stock, string Tags);

/// <summary>Writes to the catalog for other modules.</summary>
public static class CatalogWrites
{
    /// <summary>Adds products to an empty catalog (a generated shop); a SKU that exists already fails the save.</summary>
    public static async Task AddNewAsync(FlywheelDb db, string workspaceId, IEnumerable<CatalogProduct> products, DateTimeOffset now, CancellationToken ct)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var chunk in products.Chunk(1000))
        {
            db.Products.AddRange(chunk.Select(p => new Product
            {
                Id = Ids.New("prd"),
                WorkspaceId = workspaceId,
                Sku = p.Sku,
                Name = p.Name,
                CategoryPath = p.CategoryPath,
                Brand = p.Brand,
                PriceMinor = p.PriceMinor,
                CostMinor = p.CostMinor,
                Stock = p.Stock,
                Tags = p.Tags,
                CreatedAt = now,
                UpdatedAt = now,
            }));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>Reads of the catalog for other modules.</summary>
public static class CatalogQueries
{
    /// <summary>The unit cost of each of <paramref name="skus"/> whose product records one, in minor units.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CostsAsync(
        FlywheelDb db, string workspaceId, IReadOnlyCollection<string> skus, CancellationToken ct)
    {
        var costs = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var chunk in skus.Distinct(StringComparer.Ordinal).Chunk(1000))
        {
            var rows = await db.Products.AsNoTracking()
                .Where(p => p.WorkspaceId == workspaceId && chunk.Contains(p.Sku) && p.CostMinor != null)
                .Select(p => new { p.Sku, p.CostMinor }).ToListAsync(ct);
            foreach (var row in rows)
            {
                costs[row.Sku] = row.CostMinor!.Value;
            }
        }
        return costs;
    }
}
