using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Catalog.Products;

/// <summary>
/// GET /api/v1/products?category=&amp;brand=&amp;cursor=&amp;limit=: products by SKU. <c>category</c> matches a level of
/// the path and everything below it ("beauty" finds "beauty > skincare"); <c>brand</c> matches exactly.
/// </summary>
public static class ListProducts
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/products", HandleAsync).RequireAuthorization(Scopes.CatalogRead)
            .WithName("ListProducts").WithSummary("Products, by SKU, a page at a time");

    public static async Task<Results<Ok<Page<ProductView>>, ValidationProblem>> HandleAsync(
        string? category, string? brand, string? cursor, int? limit, ClaimsPrincipal caller, FlywheelDb db, CancellationToken ct)
    {
        if (Cursor.CheckPaging(limit, cursor, out var take, out string? after) is { } problem)
        {
            return problem;
        }
        var workspaceId = caller.WorkspaceId();
        var query = db.Products.AsNoTracking().Where(p => p.WorkspaceId == workspaceId);
        if (!string.IsNullOrWhiteSpace(category))
        {
            var path = string.Join(" > ", category.Split('>', StringSplitOptions.TrimEntries));
            var below = path + " > ";
            query = query.Where(p => p.CategoryPath == path || p.CategoryPath.StartsWith(below));
        }
        if (!string.IsNullOrWhiteSpace(brand))
        {
            query = query.Where(p => p.Brand == brand);
        }
        if (after is not null)
        {
            query = query.Where(p => p.Sku.CompareTo(after) > 0);
        }
        var fetched = await query.OrderBy(p => p.Sku).Take(take + 1).ToListAsync(ct);
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        var page = Cursor.PageOf(fetched, take, p => p.Sku);
        return TypedResults.Ok(new Page<ProductView>(page.Items.Select(p => ProductView.From(p, settings.Currency)).ToList(), page.NextCursor));
    }
}
