using System.Security.Claims;
using Flywheel.Platform.Api;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Catalog.Products;

/// <summary>DELETE /api/v1/products/{sku}. Orders keep their own copy of line details, so they are unaffected.</summary>
public static class DeleteProduct
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapDelete("/products/{sku}", HandleAsync).RequireAuthorization(Scopes.CatalogWrite)
            .WithName("DeleteProduct").WithSummary("Delete a product");

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        string sku, ClaimsPrincipal caller, FlywheelDb db, TimeProvider clock, CancellationToken ct)
    {
        var workspaceId = caller.WorkspaceId();
        var product = await db.Products.FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.Sku == sku, ct);
        if (product is null)
        {
            return Problems.NotFound($"There is no product with SKU '{sku}'.");
        }
        var settings = await WorkspaceSettings.LoadAsync(db, workspaceId, ct);
        db.Products.Remove(product);
        db.Record(caller, clock.GetUtcNow(), "deleted", "product", sku, before: ProductView.From(product, settings.Currency));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
